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
 *
 * <p>The kinds issue #16 added, n of each per region ({@code added}; n EKS node groups in one cluster, n Redshift
 * clusters, n notebook instances, n warm pools, n Spot Fleet requests, F = 3n functions of which n with reserved
 * concurrency, M = 2n event source mappings from n SQS queues and n Kinesis streams, n REST and n HTTP APIs of one stage
 * each). A pause lists every kind in every region (one page even when empty); a resume reads only the recorded ones.
 * <ul>
 *   <li>eks: ListClusters (100 a page), ListNodegroups per cluster (100), DescribeNodegroup per node group (the listing
 *       carries names only; EKS has no batch describe), UpdateNodegroupConfig per node group, and a DescribeNodegroup
 *       read-back per node group. Resume: DescribeNodegroup (the state now), UpdateNodegroupConfig and DescribeNodegroup
 *       per node group.</li>
 *   <li>redshift: DescribeClusters (100 a page, tags included), PauseCluster per cluster (no batch), one DescribeClusters
 *       read-back per 100. Resume: DescribeClusters, ResumeCluster per cluster, one DescribeClusters check that they are
 *       available before compute resumes (a database, as RDS) and one read-back per 100.</li>
 *   <li>sagemaker-notebooks: ListNotebookInstances (100 a page), ListTags per notebook instance (the listing carries no
 *       tags), StopNotebookInstance per instance, one ListNotebookInstances read-back per 100. Resume: the listing,
 *       StartNotebookInstance per instance, the read-back.</li>
 *   <li>warm-pools: its own DescribeAutoScalingGroups listing (100 a page; a target of its own, as for the autoscaling
 *       kind), DescribeWarmPool per pool (what runs in it, what it costs: the groups' listing does not carry the pool's
 *       instances), PutWarmPool per pool, one DescribeAutoScalingGroups read-back per 100 names. Resume:
 *       DescribeAutoScalingGroups by name (100), PutWarmPool per pool, the read-back.</li>
 *   <li>spot-fleet: DescribeSpotFleetRequests (1,000 a page), ModifySpotFleetRequest per request, one
 *       DescribeSpotFleetRequests read-back per 1,000 ids. Resume: DescribeSpotFleetRequests by id, ModifySpotFleetRequest
 *       per request, the read-back. The fleets' instances (2 a fleet) are in the EC2 listing.</li>
 *   <li>lambda-throttle: its own ListFunctions (50 a page), one GetFunction per function (it carries both the tags and
 *       the reserved concurrency, which ListFunctions does not), PutFunctionConcurrency per function, a
 *       GetFunctionConcurrency read-back per function (no batch). Resume: GetFunctionConcurrency (the state now),
 *       PutFunctionConcurrency or DeleteFunctionConcurrency, and the read-back, per function. The provisioned-concurrency
 *       kind (lambda) lists the functions too and costs one ListProvisionedConcurrencyConfigs per function (there is no
 *       region-wide listing of them).</li>
 *   <li>lambda-event-sources: ListEventSourceMappings (100 a page), ListTags per function with a mapping and per mapping
 *       (the listing carries no tags), UpdateEventSourceMapping per mapping, one ListEventSourceMappings read-back per
 *       100; each source's retention, which the report must give: GetQueueUrl and GetQueueAttributes per SQS queue (AWS
 *       says not to build a queue URL from its parts), DescribeStreamSummary per Kinesis stream. Resume:
 *       ListEventSourceMappings (the state now), UpdateEventSourceMapping per mapping, the listing again (read-back).</li>
 *   <li>apigateway: GetRestApis (500 a page) and GetStages per REST API; GetApis (100 a page) and GetStages per HTTP or
 *       WebSocket API; UpdateStage per stage and a GetStage read-back per stage (no batch); GetAccount only when an
 *       HTTP stage lacks a limit (none here). Resume: GetStages per API (the state now), UpdateStage and GetStage per
 *       stage.</li>
 * </ul>
 * Each of these targets writes its records in BatchWriteItem calls of 25, as the others.
 */
final class Floor {
    private Floor() {
    }

    static Map<String, Long> of(String action, AccountBench.Sizes s, int reportedResources) {
        long r = s.regions();
        long n = s.added();
        // each group runs one instance, listed but left to its group; each Spot Fleet runs 2, left to their fleet
        long instancesListed = s.ec2() + s.asgs() + 2 * n;
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
        // (the warm pools' groups, desired 0, are listed by both targets)
        f.put("autoscaling:DescribeAutoScalingGroups", pause ? r * pages(s.asgs() + n, 100) * 2 + r * batches(s.asgs(), 100)
                : r * pages(s.asgs(), 100) + r * batches(s.asgs(), 100));
        f.put(pause ? "autoscaling:SuspendProcesses" : "autoscaling:ResumeProcesses", r * s.asgs());
        f.put("autoscaling:UpdateAutoScalingGroup", r * s.asgs());
        long functions = 3 * n;
        long mappings = 2 * n;
        long stages = 2 * n;
        added(f, pause, r, n, functions, mappings);
        f.put("dynamodb:BatchWriteItem", r * (batches(s.ec2(), 25) + batches(s.rds(), 25) + batches(s.ecs(), 25)
                + batches(s.asgs(), 25) + 5 * batches(n, 25) + batches(functions, 25) + batches(mappings, 25)
                + batches(stages, 25)));
        f.put("s3:PutObject", 1L);
        if (pause && s.covers("still-billing")) {
            stillBilling(f, r, instancesListed, s.rds(), n, s.stillBilling());
        }
        return f;
    }

    /**
     * What still bills (issue #17), on a pause that covers it: per region one listing call per (kind, page) at each
     * API's largest page, plus the per-resource reads the listings cannot spare (one DescribeStreamSummary per
     * provisioned Kinesis stream: ListStreams gives no shard count). {@code m} sets of the demo's still-billing
     * resources per region (a NAT gateway with its Elastic IP, an ALB, a spare Elastic IP, two volumes); every instance
     * has a root volume. Nothing of it is changed, and a resume has no still-billing target.
     */
    private static void stillBilling(Map<String, Long> f, long r, long instances, long rds, long n, long m) {
        f.merge("ec2:DescribeNatGateways", r * pages(m, 1000), Long::sum);
        f.merge("ec2:DescribeVolumes", r * pages(instances + 2 * m, 500), Long::sum);
        f.merge("ec2:DescribeAddresses", r, Long::sum); // does not page
        f.merge("ec2:DescribeNetworkInterfaces", r * pages(instances + 3 * m, 1000), Long::sum);
        f.merge("ec2:DescribeVpcEndpoints", r, Long::sum);
        // v2 (400 a page) and classic: one operation name, two APIs
        f.merge("elasticloadbalancing:DescribeLoadBalancers", r * (pages(m, 400) + 1), Long::sum);
        f.merge("elasticache:DescribeCacheClusters", r, Long::sum);
        f.merge("elasticache:DescribeServerlessCaches", r, Long::sum);
        f.merge("eks:ListClusters", r, Long::sum); // the control planes: a listing of its own target
        f.merge("rds:DescribeDBInstances", r * pages(rds, 100), Long::sum); // the databases' storage
        f.merge("rds:DescribeDBClusters", r, Long::sum);
        f.merge("kinesis:ListStreams", r * pages(n, 100), Long::sum);
        f.merge("kinesis:DescribeStreamSummary", r * n, Long::sum); // each provisioned stream's shards
        f.merge("es:GET /2021-01-01/domain", r, Long::sum); // ListDomainNames, as the proxy names a REST call
        f.merge("kafka:GET /api/v2/clusters", r, Long::sum); // ListClustersV2
        f.merge("sagemaker:ListEndpoints", r, Long::sum);
        f.merge("elasticmapreduce:ListClusters", r, Long::sum);
    }

    /** The kinds issue #16 added (see the class comment): n of each per region, F functions, M mappings. */
    private static void added(Map<String, Long> f, boolean pause, long r, long n, long functions, long mappings) {
        if (pause) {
            f.put("eks:ListClusters", r); // one page (one cluster when n > 0)
            f.merge("eks:ListNodegroups", n == 0 ? 0 : r * pages(n, 100), Long::sum);
            f.put("eks:DescribeNodegroup", r * 2 * n); // discovery and read-back, each per node group
            f.put("redshift:DescribeClusters", r * (pages(n, 100) + batches(n, 100)));
            f.put("sagemaker:ListNotebookInstances", r * (pages(n, 100) + batches(n, 100)));
            f.put("sagemaker:ListTags", r * n);
            f.merge("autoscaling:DescribeAutoScalingGroups", r * batches(n, 100), Long::sum); // the warm pools' read-back
            f.put("autoscaling:DescribeWarmPool", r * n);
            f.put("ec2:DescribeSpotFleetRequests", r * (pages(n, 1000) + batches(n, 1000)));
            // two targets list the functions: provisioned concurrency (lambda) and lambda-throttle
            f.put("lambda:ListFunctions", r * 2 * pages(functions, 50));
            f.put("lambda:ListProvisionedConcurrencyConfigs", r * functions);
            f.put("lambda:GetFunction", r * functions); // tags and reserved concurrency in one read
            f.put("lambda:GetFunctionConcurrency", r * functions); // read-back
            f.put("lambda:ListEventSourceMappings", r * (pages(mappings, 100) + batches(mappings, 100)));
            f.put("lambda:ListTags", r * (mappings + mappings)); // each mapping's function (one each here) and the mapping
            f.put("sqs:GetQueueUrl", r * n);
            f.put("sqs:GetQueueAttributes", r * n);
            f.put("kinesis:DescribeStreamSummary", r * n);
            f.put("apigateway:GetRestApis", r * pages(n, 500));
            f.put("apigateway:GetApis (v2)", r * pages(n, 100));
        } else if (n > 0) {
            f.put("eks:DescribeNodegroup", r * 2 * n); // the state now and the read-back
            f.put("redshift:DescribeClusters", r * 3 * batches(n, 100)); // the state now, the ready check, the read-back
            f.put("sagemaker:ListNotebookInstances", r * (pages(n, 100) + batches(n, 100)));
            f.merge("autoscaling:DescribeAutoScalingGroups", r * 2 * batches(n, 100), Long::sum);
            f.put("ec2:DescribeSpotFleetRequests", r * 2 * batches(n, 1000));
            f.put("lambda:GetFunctionConcurrency", r * 2 * functions); // the state now and the read-back
            f.put("lambda:PutFunctionConcurrency", r * n); // the functions that had reserved concurrency
            f.put("lambda:DeleteFunctionConcurrency", r * (functions - n)); // those that had none
            f.put("lambda:ListEventSourceMappings", r * (pages(mappings, 100) + batches(mappings, 100)));
        }
        if (pause || n > 0) {
            f.put("eks:UpdateNodegroupConfig", r * n);
            f.put(pause ? "redshift:PauseCluster" : "redshift:ResumeCluster", r * n);
            f.put(pause ? "sagemaker:StopNotebookInstance" : "sagemaker:StartNotebookInstance", r * n);
            f.put("autoscaling:PutWarmPool", r * n);
            f.put("ec2:ModifySpotFleetRequest", r * n);
            if (pause) {
                f.put("lambda:PutFunctionConcurrency", r * functions);
            }
            f.put("lambda:UpdateEventSourceMapping", r * mappings);
            // one stage per API: the GetStages of each API is the listing (pause) or the state now (resume)
            f.put("apigateway:GetStages", r * n);
            f.put("apigateway:GetStages (v2)", r * n);
            f.put("apigateway:UpdateStage", r * n);
            f.put("apigateway:UpdateStage (v2)", r * n);
            f.put("apigateway:GetStage", r * n); // read-back
            f.put("apigateway:GetStage (v2)", r * n); // read-back
        }
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
