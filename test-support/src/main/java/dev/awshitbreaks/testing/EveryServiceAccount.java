package dev.awshitbreaks.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One of every kind of resource the brake handles in each given region, seeded through a {@link MixedAccount}
 * (whose endpoint must be a {@link ProvisionedConcurrencyStub}'s), and what a correct pause makes of them. Used
 * by the reliability tests (faulty network, crashes, races), which compare {@link MixedAccount#observe} before
 * and after. Never runs product code.
 */
public final class EveryServiceAccount {
    public static final String PROTECT = "aws-hit-breaks:protect";
    /** What a pause suspends on a group (AutoScalingPauser.PAUSE_PROCESSES), sorted. */
    public static final List<String> PAUSE_PROCESSES = List.of("AZRebalance", "AlarmNotification", "HealthCheck",
            "InstanceRefresh", "Launch", "ReplaceUnhealthy", "ScheduledActions");

    /** The six kinds seeded here, as {@code --service} options. */
    private static final List<String> SERVICE_OPTIONS = List.of("--service", "ec2", "--service", "rds", "--service",
            "aurora", "--service", "ecs", "--service", "autoscaling", "--service", "lambda");

    /**
     * {@code --pause}, the {@code --service} options naming exactly the six kinds seeded here, then {@code more}: the
     * reliability tests pause those six, so the kinds added since (issue #16, e.g. lambda-throttle, which would also
     * throttle the seeded function) keep their own every-path tests ({@link AddedKinds}) and these tests their counts.
     */
    public static String[] pauseArgs(String... more) {
        List<String> args = new ArrayList<>();
        args.add("--pause");
        args.addAll(SERVICE_OPTIONS);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** What one region holds, by role. */
    public record Seeded(String region, String running, String stopped, String guarded, String db, String cluster,
            String service, String group, String function) {
    }

    private final MixedAccount account;
    private final List<Seeded> seeded = new ArrayList<>();

    public EveryServiceAccount(MixedAccount account) {
        this.account = account;
    }

    /**
     * Per region: a running and a stopped EC2 instance, a protected running one, an RDS instance, an Aurora
     * cluster, an ECS service (desired 3) with a scalable target (2-10, scale-in suspended), an Auto Scaling group
     * (1/4/2, AZRebalance suspended) and a Lambda alias with provisioned concurrency 5.
     */
    public List<Seeded> seed(List<String> regions) {
        for (String region : regions) {
            String suffix = region.replace("-", "");
            seeded.add(new Seeded(region,
                    account.ec2Instance(region, "t3.micro", true, Map.of("env", "dev")),
                    account.ec2Instance(region, "t3.small", false, Map.of()),
                    account.ec2Instance(region, "t3.micro", true, Map.of(PROTECT, "true")),
                    account.rdsInstance(region, "orders-" + suffix, true, Map.of()),
                    account.auroraCluster(region, "catalog-" + suffix, true, Map.of()),
                    account.ecsService(region, "alpha", "api", 3,
                            Optional.of(new MixedAccount.ScalableTargetSpec(2, 10, true, false, false)), Map.of()),
                    account.autoScalingGroup(region, "workers-" + suffix, 1, 4, 2, List.of("AZRebalance"), Map.of()),
                    account.lambdaFunctionWithProvisionedConcurrency(region, "fn-" + suffix, "live", 5, Map.of())));
        }
        return List.copyOf(seeded);
    }

    /** How many resources a pause changes per region: EC2, RDS, Aurora, ECS, Auto Scaling, Lambda. */
    public static final int PAUSED_PER_REGION = 6;

    /** The observation a correct pause leaves, given the observation before it. */
    public Map<String, String> expectedWhilePaused(Map<String, String> before) {
        Map<String, String> expected = new TreeMap<>(before);
        for (Seeded s : seeded) {
            String r = s.region();
            expected.put("ec2:" + r + ":" + s.running(), "state=stopped type=t3.micro");
            expected.put("rds:" + r + ":" + s.db(), "status=stopped class=db.t3.micro");
            expected.put("aurora:" + r + ":" + s.cluster(), "status=stopped");
            expected.put("ecs:" + r + ":" + s.service(), "desired=0 target=min 0 max 10 in=true out=true scheduled=true");
            expected.put("autoscaling:" + r + ":" + s.group(), "min=0 max=4 desired=0 suspended=" + PAUSE_PROCESSES);
            expected.put("lambda:" + r + ":" + s.function(), "pc=none");
        }
        return expected;
    }
}
