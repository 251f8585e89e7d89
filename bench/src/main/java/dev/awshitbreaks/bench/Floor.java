package dev.awshitbreaks.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The fewest calls the APIs allow for a pause or resume of the seeded account, by {@code service:operation}
 * (the {@code FaultProxy}'s names), per issue #8: listing at the largest page sizes (DescribeInstances 1,000,
 * DescribeDBInstances 100, ListServices 100, DescribeServices 10 names, DescribeAutoScalingGroups 100,
 * DescribeScalableTargets 50, ListFunctions 50); one StopInstances/StartInstances per region per 1,000 instances;
 * one call per database and ECS service; suspend (or resume) plus update per Auto Scaling group; one read-back of
 * what was changed per batch (DescribeInstances 1,000, DescribeDBInstances 100, DescribeServices 10,
 * DescribeAutoScalingGroups 100); on pause one DescribeInstanceTypes per region; the snapshot
 * records in BatchWriteItem calls of 25 (per (region, service) target, since each target writes its own records
 * before changing anything) plus one S3 document. Bookkeeping that is not in that list (the account lock, the
 * operation header, per-target result documents, reports, reading a snapshot's records) has no floor here and is
 * reported beside it.
 */
final class Floor {
    private Floor() {
    }

    static Map<String, Long> of(String action, AccountBench.Sizes s, int reportedResources) {
        long r = s.regions();
        long instancesListed = s.ec2() + s.asgs(); // each group runs one instance, listed but left to its group
        long perCluster = Math.max(1, s.ecs() / Math.max(1, s.clusters()));
        Map<String, Long> f = new TreeMap<>();
        boolean pause = action.equals("pause");
        // the read-back of what was stopped or started: one DescribeInstances per 1,000 changed (issue #14)
        f.put("ec2:DescribeInstances", r * pages(instancesListed, 1000) + r * batches(s.ec2(), 1000));
        if (pause && s.ec2() > 0) {
            f.put("ec2:DescribeInstanceTypes", r); // whether the types have instance storage: one call, up to 100 types
        }
        f.put(pause ? "ec2:StopInstances" : "ec2:StartInstances", r * batches(s.ec2(), 1000));
        // resume: the listing, then one check that the started databases are available before compute resumes
        f.put("rds:DescribeDBInstances", r * pages(s.rds(), 100) * (pause ? 1 : 2) + r * batches(s.rds(), 100)); // + read-back
        f.put(pause ? "rds:StopDBInstance" : "rds:StartDBInstance", r * s.rds());
        if (pause) {
            f.put("rds:DescribeDBClusters", r); // the Aurora target lists clusters: one page, none here
            f.put("ecs:ListClusters", r);
            f.put("ecs:ListServices", s.ecs() == 0 ? 0 : r * s.clusters() * pages(perCluster, 100));
            f.put("lambda:ListFunctions", r); // one page, no functions here
            f.put("eks:ListClusters", r); // one page, no clusters here
        }
        f.put("ecs:DescribeServices", s.ecs() == 0 ? 0 : 2 * r * s.clusters() * pages(perCluster, 10)); // + read-back
        f.put("ecs:UpdateService", r * s.ecs());
        if (pause) {
            // on resume the records say which services had a scalable target (none here): nothing to list
            f.put("application-autoscaling:DescribeScalableTargets", r * pages(s.ecs(), 50));
        }
        // + read-back; on pause the warm-pools target lists the groups once more (its own target: the state machine runs
        // it apart from the autoscaling one, so the listing cannot be shared); no group has a warm pool here, so no
        // DescribeWarmPool. The spot-fleet target lists the requests once per region on pause (none here).
        f.put("autoscaling:DescribeAutoScalingGroups", r * pages(s.asgs(), 100) * (pause ? 2 : 1) + r * batches(s.asgs(), 100));
        if (pause) {
            f.put("ec2:DescribeSpotFleetRequests", r);
        }
        f.put(pause ? "autoscaling:SuspendProcesses" : "autoscaling:ResumeProcesses", r * s.asgs());
        f.put("autoscaling:UpdateAutoScalingGroup", r * s.asgs());
        f.put("dynamodb:BatchWriteItem", r * (batches(s.ec2(), 25) + batches(s.rds(), 25) + batches(s.ecs(), 25)
                + batches(s.asgs(), 25)));
        f.put("s3:PutObject", 1L);
        return f;
    }

    /** Calls that write {@code items} in batches: none for none. */
    private static long batches(long items, long batchSize) {
        return (items + batchSize - 1) / batchSize;
    }

    /** Listing calls: one page even when empty. */
    private static long pages(long items, long pageSize) {
        return Math.max(1, (items + pageSize - 1) / pageSize);
    }
}
