package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MixedAccount;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eks.model.Nodegroup;

/**
 * EKS managed node groups against moto 5.2.5, which implements ListClusters, ListNodegroups, DescribeNodegroup and
 * UpdateNodegroupConfig and holds the scaling configuration it is given (models.py). moto has every node group ACTIVE
 * and applies an update at once: what AWS shows while an update runs (UPDATING) is made by a {@link FaultProxy} that
 * answers DescribeNodegroup as AWS would.
 */
class EksPauseResumeTest {
    private static final List<String> TWO_REGIONS = List.of("us-east-1", "eu-west-1");
    private EngineFixture f;
    private MixedAccount account;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
        account = new MixedAccount(f.moto.endpoint());
    }

    @AfterEach
    void tearDown() {
        account.close();
    }

    private static Request request(Action action, List<String> regions, boolean dryRun) {
        return new Request(action, regions, List.of("eks"), null, null, null, dryRun, null, null);
    }

    @Test
    void pauseScalesNodeGroupsInTwoRegionsToZeroKeepingMaxAndResumeRestoresMinMaxDesiredExactly() {
        String web = ng("us-east-1", "prod", "web", 2, 6, 3, List.of("t3.medium"), Map.of("team", "web"));
        String batch = ng("eu-west-1", "jobs", "batch", 0, 4, 1, List.of("t3.medium", "m5.large"), Map.of());
        String idle = ng("us-east-1", "prod", "idle", 0, 3, 0, List.of("t3.medium"), Map.of());
        String guarded = ng("eu-west-1", "jobs", "guarded", 1, 2, 1, List.of("t3.medium"), Map.of("aws-hit-breaks:protect", "true"));
        String own = ng("us-east-1", "prod", "own", 1, 2, 1, List.of("t3.medium"), Map.of("aws-hit-breaks:stack", "hit-breaks"));
        String elsewhere = ng("us-west-2", "prod", "elsewhere", 1, 2, 1, List.of("t3.medium"), Map.of());

        OperationReport pause = f.engine().run(request(Action.PAUSE, TWO_REGIONS, false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("paused");
        assertThat(outcomes(pause)).containsOnly(Map.entry(web, Outcome.PAUSED), Map.entry(batch, Outcome.PAUSED),
                Map.entry(guarded, Outcome.SKIPPED), Map.entry(own, Outcome.SKIPPED));
        assertThat(outcomes(pause)).as("desired 0: nothing costs, so not listed (as an idle Auto Scaling group)")
                .doesNotContainKey(idle);
        assertThat(reason(pause, guarded)).contains("aws-hit-breaks:protect");
        assertThat(reason(pause, own)).contains("stack itself");
        assertThat(scaling("us-east-1", web)).containsExactly(0, 6, 0);
        assertThat(scaling("eu-west-1", batch)).containsExactly(0, 4, 0);
        assertThat(scaling("us-east-1", idle)).containsExactly(0, 3, 0);
        assertThat(scaling("eu-west-1", guarded)).containsExactly(1, 2, 1);
        assertThat(scaling("us-east-1", own)).containsExactly(1, 2, 1);
        assertThat(scaling("us-west-2", elsewhere)).as("a region not asked for").containsExactly(1, 2, 1);
        assertThat(f.store.records(pause.snapshotId(), "us-east-1", ServiceKind.EKS)).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("prod/web");
            assertThat(r.original()).containsEntry("clusterName", "prod").containsEntry("nodegroupName", "web")
                    .containsEntry("minSize", 2).containsEntry("maxSize", 6).containsEntry("desiredSize", 3);
            assertThat(r.tags()).containsEntry("team", "web");
        });
        // priced at desired x the on-demand rate of the first instance type (bundled: t3.medium 0.0416 in us-east-1)
        assertThat(result(pause, web).hourlyCost()).isEqualTo(0.1248);

        OperationReport resume = f.engine().run(request(Action.RESUME, TWO_REGIONS, false), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(outcomes(resume)).containsOnly(Map.entry(web, Outcome.RESUMED), Map.entry(batch, Outcome.RESUMED));
        assertThat(scaling("us-east-1", web)).containsExactly(2, 6, 3);
        assertThat(scaling("eu-west-1", batch)).containsExactly(0, 4, 1);
        assertThat(scaling("us-east-1", idle)).containsExactly(0, 3, 0);
    }

    @Test
    void theNodeGroupIsPausedThroughEksAndItsAutoScalingGroupAndInstancesAreNeverChangedDirectly() {
        String web = ng("us-east-1", "prod", "web", 1, 3, 2, List.of("t3.medium"), Map.of());
        // moto names the node group's Auto Scaling group but creates none: made here as EKS makes it (its tags)
        String asgName = account.eks("us-east-1").describeNodegroup(b -> b.clusterName("prod").nodegroupName("web")).nodegroup()
                .resources().autoScalingGroups().get(0).name();
        Map<String, String> eksTags = Map.of("eks:cluster-name", "prod", "eks:nodegroup-name", "web",
                "k8s.io/cluster-autoscaler/enabled", "true", "kubernetes.io/cluster/prod", "owned");
        account.autoScalingGroup("us-east-1", asgName, 1, 3, 2, List.of(), eksTags);
        String node = account.ec2Instance("us-east-1", "t3.medium", true, eksTags);

        OperationReport pause = f.engine().run(new Request(Action.PAUSE, List.of("us-east-1"), List.of("eks", "autoscaling", "ec2"),
                null, null, null, false, null, null), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsEntry(web, Outcome.PAUSED).containsEntry(asgName, Outcome.SKIPPED)
                .containsEntry(node, Outcome.SKIPPED);
        assertThat(reason(pause, asgName)).contains("EKS managed node group web (cluster prod)");
        assertThat(reason(pause, node)).contains("EKS node group web");
        assertThat(scaling("us-east-1", web)).containsExactly(0, 3, 0);
        var group = account.autoScaling("us-east-1").describeAutoScalingGroups(b -> b.autoScalingGroupNames(asgName))
                .autoScalingGroups().get(0);
        assertThat(List.of(group.minSize(), group.maxSize(), group.desiredCapacity())).as("left to EKS").containsExactly(1, 3, 2);
        assertThat(group.suspendedProcesses()).isEmpty();
        assertThat(account.observe(List.of("us-east-1"))).containsEntry("ec2:us-east-1:" + node, "state=running type=t3.medium");
    }

    @Test
    void aDryRunChangesNothingAndSaysWhatItWouldDo() {
        String web = ng("us-east-1", "prod", "web", 1, 3, 2, List.of("t3.medium"), Map.of());

        OperationReport dry = f.engine().run(request(Action.PAUSE, List.of("us-east-1"), true), ProgressListener.NONE);

        assertThat(outcomes(dry)).containsOnly(Map.entry(web, Outcome.WOULD_PAUSE));
        assertThat(scaling("us-east-1", web)).containsExactly(1, 3, 2);

        f.engine().run(request(Action.PAUSE, List.of("us-east-1"), false), ProgressListener.NONE);
        OperationReport dryResume = f.engine().run(request(Action.RESUME, List.of("us-east-1"), true), ProgressListener.NONE);

        assertThat(outcomes(dryResume)).containsOnly(Map.entry(web, Outcome.WOULD_RESUME));
        assertThat(scaling("us-east-1", web)).containsExactly(0, 3, 0);
    }

    @Test
    void aNodeGroupBeingUpdatedOrNotActiveIsSkippedWithItsStatus() {
        String busy = ng("us-east-1", "prod", "busy", 1, 3, 2, List.of("t3.medium"), Map.of());
        String degraded = ng("us-east-1", "prod", "degraded", 1, 3, 2, List.of("t3.medium"), Map.of());
        String fine = ng("us-east-1", "prod", "fine", 1, 3, 2, List.of("t3.medium"), Map.of());
        try (FaultProxy proxy = FaultProxy.builder(f.moto.endpoint()).start()) {
            proxy.respondInstead(c -> isDescribe(c, "prod", "busy"), 10, c -> describeAnswer("prod", "busy", "UPDATING", 1, 3, 2));
            proxy.respondInstead(c -> isDescribe(c, "prod", "degraded"), 10, c -> describeAnswer("prod", "degraded", "DEGRADED", 1, 3, 2));

            OperationReport pause = f.engineThrough(proxy).run(request(Action.PAUSE, List.of("us-east-1"), false), ProgressListener.NONE);

            assertThat(outcomes(pause)).containsOnly(Map.entry(busy, Outcome.SKIPPED), Map.entry(degraded, Outcome.SKIPPED),
                    Map.entry(fine, Outcome.PAUSED));
            assertThat(reason(pause, busy)).contains("status is UPDATING: it is being updated");
            assertThat(reason(pause, degraded)).contains("status is DEGRADED");
            assertThat(scaling("us-east-1", busy)).containsExactly(1, 3, 2);
            assertThat(scaling("us-east-1", degraded)).containsExactly(1, 3, 2);
            assertThat(scaling("us-east-1", fine)).containsExactly(0, 3, 0);
        }
    }

    @Test
    void whatIsReportedIsWhatDescribeNodegroupShowsWhileTheUpdateRuns() {
        String slow = ng("us-east-1", "prod", "slow", 1, 3, 2, List.of("t3.medium"), Map.of());
        String ignored = ng("us-east-1", "prod", "ignored", 1, 3, 2, List.of("t3.medium"), Map.of());
        try (FaultProxy proxy = FaultProxy.builder(f.moto.endpoint()).start()) {
            // "slow": after the update, DescribeNodegroup shows the old configuration UPDATING twice, then moto's (applied) one
            // "ignored": EKS accepts the update (a canned answer moto never applies), and it never shows
            proxy.respondInstead(c -> isUpdate(c, "prod", "ignored"), 1, c -> new FaultProxy.Answer(200, "application/json",
                    "{\"update\":{\"id\":\"u-1\",\"status\":\"InProgress\",\"type\":\"ConfigUpdate\",\"params\":[],\"errors\":[]}}"));
            proxy.respondInstead(c -> isDescribe(c, "prod", "ignored"), 100, c -> describeAnswer("prod", "ignored", "ACTIVE", 1, 3, 2));
            List<Integer> describesOfSlow = new java.util.concurrent.CopyOnWriteArrayList<>();
            proxy.respondInstead(c -> isDescribe(c, "prod", "slow") && describesOfSlow.add(1) && describesOfSlow.size() >= 2
                    && describesOfSlow.size() <= 3, 2, c -> describeAnswer("prod", "slow", "UPDATING", 1, 3, 2));

            OperationReport pause = f.engineThrough(proxy).run(request(Action.PAUSE, List.of("us-east-1"), false), ProgressListener.NONE);

            assertThat(outcomes(pause)).containsOnly(Map.entry(slow, Outcome.PAUSED), Map.entry(ignored, Outcome.FAILED));
            assertThat(reason(pause, ignored)).contains("DescribeNodegroup shows min/max/desired 1/3/2 (asked 0/3/0, status ACTIVE)");
            assertThat(describesOfSlow).as("discovery, then two reads UPDATING, then the applied one").hasSize(4);
            assertThat(scaling("us-east-1", slow)).containsExactly(0, 3, 0);
        }
    }

    @Test
    void aResumeReportsDriftAndLeavesItAsItIsAndOneFailureDoesNotFailTheOthers() {
        String drifted = ng("us-east-1", "prod", "drifted", 1, 4, 2, List.of("t3.medium"), Map.of());
        String deleted = ng("us-east-1", "prod", "deleted", 1, 4, 2, List.of("t3.medium"), Map.of());
        String refused = ng("us-east-1", "prod", "refused", 1, 4, 2, List.of("t3.medium"), Map.of());
        String fine = ng("us-east-1", "prod", "fine", 1, 4, 2, List.of("t3.medium"), Map.of());
        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of("us-east-1"), false), ProgressListener.NONE);
        assertThat(outcomes(pause)).containsOnly(Map.entry(drifted, Outcome.PAUSED), Map.entry(deleted, Outcome.PAUSED),
                Map.entry(refused, Outcome.PAUSED), Map.entry(fine, Outcome.PAUSED));
        account.eks("us-east-1").updateNodegroupConfig(b -> b.clusterName("prod").nodegroupName("drifted")
                .scalingConfig(c -> c.minSize(0).maxSize(4).desiredSize(1)));
        account.eks("us-east-1").deleteNodegroup(b -> b.clusterName("prod").nodegroupName("deleted"));

        try (FaultProxy proxy = FaultProxy.builder(f.moto.endpoint()).start()) {
            proxy.respondInstead(c -> isUpdate(c, "prod", "refused"), 1, c -> new FaultProxy.Answer(409, "application/json",
                    "{\"message\":\"Nodegroup refused is in UPDATING state\"}"));
            OperationReport resume = f.engineThrough(proxy).run(request(Action.RESUME, List.of("us-east-1"), false),
                    ProgressListener.NONE);

            assertThat(outcomes(resume)).containsOnly(Map.entry(drifted, Outcome.SKIPPED), Map.entry(deleted, Outcome.SKIPPED),
                    Map.entry(refused, Outcome.FAILED), Map.entry(fine, Outcome.RESUMED));
            assertThat(reason(resume, drifted)).contains("drift: scaling configuration changed while paused (min/max/desired now 0/4/1, "
                    + "recorded 1/4/2, paused 0/4/0)");
            assertThat(reason(resume, deleted)).contains("no longer exists");
            assertThat(scaling("us-east-1", drifted)).containsExactly(0, 4, 1);
            assertThat(scaling("us-east-1", refused)).containsExactly(0, 4, 0);
            assertThat(scaling("us-east-1", fine)).containsExactly(1, 4, 2);
            assertThat(f.store.records(pause.snapshotId(), "us-east-1", ServiceKind.EKS))
                    .filteredOn(r -> r.id().equals(refused)).singleElement().matches(r -> r.needsResume());
        }

        OperationReport retry = f.engine().run(request(Action.RESUME, List.of("us-east-1"), false), ProgressListener.NONE);
        assertThat(outcomes(retry)).containsEntry(refused, Outcome.RESUMED);
        assertThat(scaling("us-east-1", refused)).containsExactly(1, 4, 2);
    }

    @Test
    void aSpotNodeGroupIsPausedAndPricedAsUnknownWithTheReason() {
        String spot = account.eksNodegroup("us-east-1", "prod", "spot", 0, 3, 2, List.of("t3.medium"), "SPOT", Map.of());

        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of("us-east-1"), false), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry(spot, Outcome.PAUSED));
        assertThat(result(pause, spot).hourlyCost()).isNull();
        assertThat(result(pause, spot).priceSource()).isEqualTo("unknown: SPOT capacity: billed at the Spot price of the hour, "
                + "not the on-demand rate");
    }

    // ---------------------------------------------------------------- seeding and reading, through the SDK

    private String ng(String region, String cluster, String name, int min, int max, int desired, List<String> types,
            Map<String, String> tags) {
        return account.eksNodegroup(region, cluster, name, min, max, desired, types, "ON_DEMAND", tags);
    }

    private List<Integer> scaling(String region, String id) {
        String[] parts = id.split("/", 2);
        Nodegroup g = account.eks(region).describeNodegroup(b -> b.clusterName(parts[0]).nodegroupName(parts[1])).nodegroup();
        return List.of(g.scalingConfig().minSize(), g.scalingConfig().maxSize(), g.scalingConfig().desiredSize());
    }

    private static boolean isDescribe(FaultProxy.Call c, String cluster, String name) {
        return c.method().equals("GET") && c.path().equals("/clusters/" + cluster + "/node-groups/" + name);
    }

    private static boolean isUpdate(FaultProxy.Call c, String cluster, String name) {
        return c.method().equals("POST") && c.path().equals("/clusters/" + cluster + "/node-groups/" + name + "/update-config");
    }

    /** DescribeNodegroup's answer (AWS's documented shape) with this status and scaling configuration. */
    private static FaultProxy.Answer describeAnswer(String cluster, String name, String status, int min, int max, int desired) {
        return new FaultProxy.Answer(200, "application/json", "{\"nodegroup\":{\"nodegroupName\":\"" + name + "\",\"clusterName\":\""
                + cluster + "\",\"nodegroupArn\":\"arn:aws:eks:us-east-1:123456789012:nodegroup/" + cluster + "/" + name
                + "/0a1b2c3d\",\"status\":\"" + status + "\",\"capacityType\":\"ON_DEMAND\",\"instanceTypes\":[\"t3.medium\"],"
                + "\"scalingConfig\":{\"minSize\":" + min + ",\"maxSize\":" + max + ",\"desiredSize\":" + desired + "},\"tags\":{}}}");
    }

    private static Map<String, Outcome> outcomes(OperationReport report) {
        Map<String, Outcome> out = new HashMap<>();
        report.resources().forEach(r -> out.put(r.id(), r.outcome()));
        return out;
    }

    private static ResourceResult result(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private static String reason(OperationReport report, String id) {
        return result(report, id).reason();
    }
}
