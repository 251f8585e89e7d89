package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MotoServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.PutWarmPoolRequest;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.autoscaling.model.WarmPoolConfiguration;

/**
 * Warm pools (issue #16) against moto 5.2.5, which holds PutWarmPool's configuration and returns it in
 * DescribeAutoScalingGroups and DescribeWarmPool, but lists no warm instances (DescribeWarmPool's Instances is always
 * empty): pools are found by their state Running here; a pool with instances in Warmed:Running is shown through a
 * labelled stub answer of DescribeWarmPool ({@link #aStoppedPoolWithWarmInstancesRunningIsPausedAndPricedByThem}).
 */
class WarmPoolPauseResumeTest {
    private static final List<String> TWO_REGIONS = List.of("us-east-1", "eu-west-1");
    private EngineFixture f;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
    }

    private static Request request(Action action, boolean dryRun) {
        return new Request(action, TWO_REGIONS, List.of("warm-pools"), null, null, null, dryRun, null, null);
    }

    @Test
    void runningPoolsAreStoppedWithMinAndPreparedCapacityZeroAndResumeRestoresTheWholeConfigurationExactly() {
        group("us-east-1", "web", Map.of());
        pool("us-east-1", "web", 2, null, "Running", true);
        group("eu-west-1", "batch", Map.of("team", "batch"));
        pool("eu-west-1", "batch", 1, 5, "Running", null);
        group("us-east-1", "cold", Map.of());
        pool("us-east-1", "cold", 3, null, "Stopped", null);
        group("us-east-1", "nopool", Map.of());
        group("eu-west-1", "guarded", Map.of("aws-hit-breaks:protect", "true"));
        pool("eu-west-1", "guarded", 1, null, "Running", null);
        group("us-east-1", "ours", Map.of("aws-hit-breaks:stack", "brake"));
        pool("us-east-1", "ours", 1, null, "Running", null);

        OperationReport pause = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("paused");
        assertThat(outcomes(pause)).containsOnly(Map.entry("web", Outcome.PAUSED), Map.entry("batch", Outcome.PAUSED),
                Map.entry("cold", Outcome.SKIPPED), Map.entry("guarded", Outcome.SKIPPED), Map.entry("ours", Outcome.SKIPPED));
        assertThat(reason(pause, "cold")).contains("already Stopped with no warm instance running");
        assertThat(reason(pause, "guarded")).contains("aws-hit-breaks:protect");
        assertThat(reason(pause, "ours")).contains("stack itself");
        assertThat(shown("us-east-1", "web")).isEqualTo("min=0 max=0 state=Stopped reuse=true");
        assertThat(shown("eu-west-1", "batch")).isEqualTo("min=0 max=0 state=Stopped reuse=null");
        assertThat(shown("us-east-1", "cold")).isEqualTo("min=3 max=null state=Stopped reuse=null");
        assertThat(shown("eu-west-1", "guarded")).isEqualTo("min=1 max=null state=Running reuse=null");
        assertThat(f.store.records(pause.snapshotId(), "us-east-1", ServiceKind.WARM_POOLS)).singleElement().satisfies(r -> {
            assertThat(r.original()).containsEntry("minSize", 2).containsEntry("poolState", "Running")
                    .containsEntry("reuseOnScaleIn", true).doesNotContainKey("maxGroupPreparedCapacity");
            assertThat(r.hourlyCost()).as("moto lists no warm instance: none running, known 0").isEqualTo(0.0);
        });
        assertThat(f.store.records(pause.snapshotId(), "eu-west-1", ServiceKind.WARM_POOLS)).singleElement()
                .satisfies(r -> assertThat(r.original()).containsEntry("maxGroupPreparedCapacity", 5));

        OperationReport again = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        assertThat(outcomes(again)).as("stopped now: nothing more to pause").containsEntry("web", Outcome.SKIPPED)
                .containsEntry("batch", Outcome.SKIPPED);

        OperationReport resume = f.engine().run(request(Action.RESUME, false), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(outcomes(resume)).containsOnly(Map.entry("web", Outcome.RESUMED), Map.entry("batch", Outcome.RESUMED));
        assertThat(shown("us-east-1", "web")).as("max prepared capacity absent again (put as -1)")
                .isEqualTo("min=2 max=null state=Running reuse=true");
        assertThat(shown("eu-west-1", "batch")).isEqualTo("min=1 max=5 state=Running reuse=null");
        assertThat(shown("us-east-1", "cold")).isEqualTo("min=3 max=null state=Stopped reuse=null");
    }

    /**
     * The two kinds on one group do not fight: autoscaling sets min/desired 0 and suspends its processes, warm-pools
     * stops the pool; each reads back only what it changed, and the resume puts both back exactly, in either order.
     */
    @Test
    void aGroupPausedByBothAutoscalingAndWarmPoolsIsRestoredExactlyByBoth() {
        group("us-east-1", "web", Map.of());
        asg("us-east-1").updateAutoScalingGroup(b -> b.autoScalingGroupName("web").minSize(1).maxSize(4).desiredCapacity(2));
        pool("us-east-1", "web", 1, null, "Running", null);
        Request both = new Request(Action.PAUSE, List.of("us-east-1"), List.of("autoscaling", "warm-pools"), null, null, null, false,
                null, null);

        OperationReport pause = f.engine().run(both, ProgressListener.NONE);

        assertThat(pause.resources()).extracting(r -> r.service().id() + " " + r.outcome().id())
                .containsExactlyInAnyOrder("autoscaling paused", "warm-pools paused");
        var g = asg("us-east-1").describeAutoScalingGroups(b -> b.autoScalingGroupNames("web")).autoScalingGroups().get(0);
        assertThat(List.of(g.minSize(), g.maxSize(), g.desiredCapacity())).containsExactly(0, 4, 0);
        assertThat(g.suspendedProcesses()).extracting(p -> p.processName()).contains("Launch").doesNotContain("Terminate");
        assertThat(shown("us-east-1", "web")).isEqualTo("min=0 max=0 state=Stopped reuse=null");

        OperationReport resume = f.engine().run(new Request(Action.RESUME, List.of("us-east-1"), List.of("autoscaling", "warm-pools"),
                null, null, null, false, null, null), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        g = asg("us-east-1").describeAutoScalingGroups(b -> b.autoScalingGroupNames("web")).autoScalingGroups().get(0);
        assertThat(List.of(g.minSize(), g.maxSize(), g.desiredCapacity())).containsExactly(1, 4, 2);
        assertThat(g.suspendedProcesses()).isEmpty();
        assertThat(shown("us-east-1", "web")).isEqualTo("min=1 max=null state=Running reuse=null");
    }

    @Test
    void dryRunsChangeNothing() {
        group("us-east-1", "web", Map.of());
        pool("us-east-1", "web", 2, 4, "Running", null);

        OperationReport dry = f.engine().run(request(Action.PAUSE, true), ProgressListener.NONE);

        assertThat(outcomes(dry)).containsOnly(Map.entry("web", Outcome.WOULD_PAUSE));
        assertThat(shown("us-east-1", "web")).isEqualTo("min=2 max=4 state=Running reuse=null");
        assertThat(f.store.activeSnapshotId()).isEmpty();

        f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        OperationReport dryResume = f.engine().run(request(Action.RESUME, true), ProgressListener.NONE);

        assertThat(outcomes(dryResume)).containsOnly(Map.entry("web", Outcome.WOULD_RESUME));
        assertThat(shown("us-east-1", "web")).isEqualTo("min=0 max=0 state=Stopped reuse=null");
    }

    @Test
    void aPoolChangedWhilePausedIsLeftAsItIsAndADeletedOneIsDriftWhileTheOthersResume() {
        group("us-east-1", "changed", Map.of());
        pool("us-east-1", "changed", 2, null, "Running", null);
        group("us-east-1", "deleted", Map.of());
        pool("us-east-1", "deleted", 2, null, "Running", null);
        group("us-east-1", "kept", Map.of());
        pool("us-east-1", "kept", 2, null, "Running", null);
        f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        pool("us-east-1", "changed", 1, null, "Hibernated", null);
        asg("us-east-1").deleteWarmPool(b -> b.autoScalingGroupName("deleted").forceDelete(true));

        OperationReport resume = f.engine().run(request(Action.RESUME, false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("changed", Outcome.RESUMED), Map.entry("deleted", Outcome.SKIPPED),
                Map.entry("kept", Outcome.RESUMED));
        assertThat(reason(resume, "changed")).startsWith("drift:").contains("state Hibernated");
        assertThat(reason(resume, "deleted")).startsWith("drift:").contains("no longer exists");
        assertThat(shown("us-east-1", "changed")).isEqualTo("min=1 max=null state=Hibernated reuse=null");
        assertThat(shown("us-east-1", "kept")).isEqualTo("min=2 max=null state=Running reuse=null");
    }

    /**
     * An outcome is what was read back, and one pool's failure does not fail the others: the proxy acknowledges one
     * group's PutWarmPool without passing it on, so its pool reads back unchanged and it is FAILED; the other is PAUSED.
     */
    @Test
    void aPutThatIsAcknowledgedButNotReadBackIsFailedAndTheOthersArePaused() {
        group("us-east-1", "web", Map.of());
        pool("us-east-1", "web", 2, null, "Running", null);
        group("us-east-1", "batch", Map.of());
        pool("us-east-1", "batch", 2, null, "Running", null);
        Request east = new Request(Action.PAUSE, List.of("us-east-1"), List.of("warm-pools"), null, null, null, false, null, null);
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("PutWarmPool") && "web".equals(c.form().get("AutoScalingGroupName")),
                    1, c -> new FaultProxy.Answer(200, "text/xml", "<PutWarmPoolResponse xmlns=\"http://autoscaling.amazonaws.com/"
                            + "doc/2011-01-01/\"><PutWarmPoolResult/><ResponseMetadata><RequestId>canned</RequestId>"
                            + "</ResponseMetadata></PutWarmPoolResponse>"));

            OperationReport pause = f.engineThrough(proxy).run(east, ProgressListener.NONE);

            assertThat(outcomes(pause)).containsOnly(Map.entry("web", Outcome.FAILED), Map.entry("batch", Outcome.PAUSED));
            assertThat(reason(pause, "web")).contains("shows the warm pool as min 2, max prepared none, state Running");
            assertThat(shown("us-east-1", "batch")).isEqualTo("min=0 max=0 state=Stopped reuse=null");
        }
    }

    /**
     * STUB (labelled): moto 5.2.5's DescribeWarmPool lists no instances, so its answer for one group is AWS's documented
     * shape (API reference: DescribeWarmPool, Instance) with two t3.micro in {@code Warmed:Running} and one in
     * {@code Warmed:Stopped}, in a pool whose state is Stopped: the running warm instances make it pausable, and it is
     * priced as those two at the on-demand rate.
     */
    @Test
    void aStoppedPoolWithWarmInstancesRunningIsPausedAndPricedByThem() {
        group("us-east-1", "web", Map.of());
        pool("us-east-1", "web", 3, null, "Stopped", null);
        Request east = new Request(Action.PAUSE, List.of("us-east-1"), List.of("warm-pools"), null, null, null, false, null, null);
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("DescribeWarmPool") && "web".equals(c.form().get("AutoScalingGroupName")),
                    1, c -> new FaultProxy.Answer(200, "text/xml", "<DescribeWarmPoolResponse xmlns=\"http://autoscaling.amazonaws.com/"
                            + "doc/2011-01-01/\"><DescribeWarmPoolResult><WarmPoolConfiguration><MinSize>3</MinSize><PoolState>Stopped"
                            + "</PoolState></WarmPoolConfiguration><Instances>" + warm("i-0000000000000000a", "Warmed:Running")
                            + warm("i-0000000000000000b", "Warmed:Running") + warm("i-0000000000000000c", "Warmed:Stopped")
                            + "</Instances></DescribeWarmPoolResult><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata>"
                            + "</DescribeWarmPoolResponse>"));

            OperationReport pause = f.engineThrough(proxy).run(east, ProgressListener.NONE);

            assertThat(outcomes(pause)).containsOnly(Map.entry("web", Outcome.PAUSED));
            assertThat(pause.resources()).singleElement().satisfies(r -> assertThat(r.hourlyCost()).isEqualTo(0.0208));
            assertThat(shown("us-east-1", "web")).isEqualTo("min=0 max=0 state=Stopped reuse=null");
        }
    }

    private static String warm(String id, String state) {
        return "<member><InstanceId>" + id + "</InstanceId><InstanceType>t3.micro</InstanceType><AvailabilityZone>us-east-1a"
                + "</AvailabilityZone><LifecycleState>" + state + "</LifecycleState><HealthStatus>Healthy</HealthStatus>"
                + "<ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>";
    }

    // ---------------------------------------------------------------- seeding and reading, through the SDK

    private AutoScalingClient asg(String region) {
        return f.clients.autoScaling(region);
    }

    private void group(String region, String name, Map<String, String> tags) {
        String lc = "lc-" + region;
        if (asg(region).describeLaunchConfigurations(b -> b.launchConfigurationNames(lc)).launchConfigurations().isEmpty()) {
            String ami = dev.awshitbreaks.testing.MotoAccount.defaultAmi(f.clients.ec2(region), region);
            asg(region).createLaunchConfiguration(b -> b.launchConfigurationName(lc).imageId(ami).instanceType("t3.micro"));
        }
        List<Tag> t = new ArrayList<>();
        tags.forEach((k, v) -> t.add(Tag.builder().key(k).value(v).propagateAtLaunch(false)
                .resourceId(name).resourceType("auto-scaling-group").build()));
        asg(region).createAutoScalingGroup(b -> b.autoScalingGroupName(name).launchConfigurationName(lc)
                .minSize(0).maxSize(4).desiredCapacity(0).availabilityZones(region + "a").tags(t));
    }

    private void pool(String region, String group, int min, Integer maxPrepared, String state, Boolean reuse) {
        PutWarmPoolRequest.Builder b = PutWarmPoolRequest.builder().autoScalingGroupName(group).minSize(min).poolState(state)
                .maxGroupPreparedCapacity(maxPrepared);
        if (reuse != null) {
            b.instanceReusePolicy(p -> p.reuseOnScaleIn(reuse));
        }
        asg(region).putWarmPool(b.build());
    }

    private String shown(String region, String group) {
        WarmPoolConfiguration c = asg(region).describeWarmPool(b -> b.autoScalingGroupName(group)).warmPoolConfiguration();
        Integer max = c.maxGroupPreparedCapacity() == null || c.maxGroupPreparedCapacity() < 0 ? null : c.maxGroupPreparedCapacity();
        return "min=" + c.minSize() + " max=" + max + " state=" + c.poolStateAsString() + " reuse="
                + (c.instanceReusePolicy() == null ? null : c.instanceReusePolicy().reuseOnScaleIn());
    }

    private static Map<String, Outcome> outcomes(OperationReport report) {
        Map<String, Outcome> out = new HashMap<>();
        report.resources().forEach(r -> out.put(r.id(), r.outcome()));
        return out;
    }

    private static String reason(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow().reason();
    }
}
