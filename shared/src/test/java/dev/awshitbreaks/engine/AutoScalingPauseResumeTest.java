package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.SuspendedProcess;
import software.amazon.awssdk.services.autoscaling.model.Tag;

class AutoScalingPauseResumeTest {
    private static final List<String> TWO_REGIONS = List.of("us-east-1", "eu-west-1");
    /** What the pause suspends (Terminate and AddToLoadBalancer never). */
    private static final List<String> PAUSE_PROCESSES = List.of("AZRebalance", "AlarmNotification", "HealthCheck",
            "InstanceRefresh", "Launch", "ReplaceUnhealthy", "ScheduledActions");
    private EngineFixture f;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
    }

    private static Request request(Action action, boolean dryRun) {
        return new Request(action, TWO_REGIONS, List.of("autoscaling"), null, null, null, dryRun, null, null);
    }

    private static Request resume(boolean dryRun) {
        return new Request(Action.RESUME, TWO_REGIONS, List.of("autoscaling"), null, null, null, dryRun, null, null);
    }

    @Test
    void pauseScalesGroupsInTwoRegionsToZeroAndResumeRestoresMinMaxDesiredExactly() {
        group("us-east-1", "web", 2, 6, 3, Map.of("team", "web"));
        group("eu-west-1", "batch", 1, 4, 2, Map.of());
        group("us-east-1", "idle", 0, 3, 0, Map.of());
        group("eu-west-1", "guarded", 1, 2, 1, Map.of("aws-hit-breaks:protect", "true"));
        group("us-west-2", "elsewhere", 1, 2, 1, Map.of());
        assertThat(get("us-east-1", "web").instances()).hasSize(3);

        OperationReport pause = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("paused");
        assertThat(outcomes(pause)).containsOnly(Map.entry("web", Outcome.PAUSED), Map.entry("batch", Outcome.PAUSED),
                Map.entry("guarded", Outcome.SKIPPED));
        assertThat(reason(pause, "guarded")).contains("aws-hit-breaks:protect");
        assertThat(capacity("us-east-1", "web")).containsExactly(0, 6, 0);
        assertThat(capacity("eu-west-1", "batch")).containsExactly(0, 4, 0);
        assertThat(get("us-east-1", "web").instances()).as("scaled in: Terminate stays enabled").isEmpty();
        assertThat(suspended("us-east-1", "web")).containsExactlyElementsOf(PAUSE_PROCESSES).doesNotContain("Terminate");
        assertThat(suspended("eu-west-1", "batch")).containsExactlyElementsOf(PAUSE_PROCESSES);
        assertThat(capacity("us-east-1", "idle")).containsExactly(0, 3, 0);
        assertThat(suspended("us-east-1", "idle")).isEmpty();
        assertThat(capacity("eu-west-1", "guarded")).containsExactly(1, 2, 1);
        assertThat(suspended("eu-west-1", "guarded")).isEmpty();
        assertThat(capacity("us-west-2", "elsewhere")).as("a region not asked for").containsExactly(1, 2, 1);
        assertThat(f.store.records(pause.snapshotId(), "us-east-1", ServiceKind.AUTOSCALING)).singleElement().satisfies(r -> {
            assertThat(r.original()).containsEntry("minSize", 2).containsEntry("maxSize", 6)
                    .containsEntry("desiredCapacity", 3).containsEntry("suspendedProcesses", List.of());
            assertThat(r.tags()).containsEntry("team", "web");
            assertThat(r.type()).isEqualTo("launch configuration lc-us-east-1");
        });

        OperationReport resume = f.engine().run(resume(false), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(outcomes(resume)).containsOnly(Map.entry("web", Outcome.RESUMED), Map.entry("batch", Outcome.RESUMED));
        assertThat(capacity("us-east-1", "web")).containsExactly(2, 6, 3);
        assertThat(capacity("eu-west-1", "batch")).containsExactly(1, 4, 2);
        assertThat(suspended("us-east-1", "web")).isEmpty();
        assertThat(suspended("eu-west-1", "batch")).isEmpty();
        assertThat(get("us-east-1", "web").instances()).hasSize(3);
        assertThat(capacity("us-east-1", "idle")).containsExactly(0, 3, 0);
        assertThat(f.store.activeSnapshotId()).isEmpty();
    }

    @Test
    void processesSuspendedBeforeThePauseStaySuspendedAfterResumeAndOnlyOursAreResumed() {
        group("us-east-1", "web", 1, 5, 2, Map.of());
        asg("us-east-1").suspendProcesses(b -> b.autoScalingGroupName("web").scalingProcesses("AZRebalance", "AddToLoadBalancer"));

        OperationReport pause = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry("web", Outcome.PAUSED));
        assertThat(f.store.records(pause.snapshotId(), null, null)).singleElement().satisfies(r ->
                assertThat(r.original()).containsEntry("suspendedProcesses", List.of("AZRebalance", "AddToLoadBalancer")));
        List<String> whilePaused = new ArrayList<>(PAUSE_PROCESSES);
        whilePaused.add("AddToLoadBalancer");
        assertThat(suspended("us-east-1", "web")).containsExactlyInAnyOrderElementsOf(whilePaused);

        OperationReport resume = f.engine().run(resume(false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("web", Outcome.RESUMED));
        assertThat(suspended("us-east-1", "web")).containsExactly("AZRebalance", "AddToLoadBalancer");
        assertThat(capacity("us-east-1", "web")).containsExactly(1, 5, 2);
    }

    @Test
    void groupsAtDesiredZeroAreNotTouchedAndAGroupThatCannotTerminateIsSkippedWithAReason() {
        group("us-east-1", "idle", 0, 3, 0, Map.of());
        group("us-east-1", "stuck", 1, 3, 2, Map.of());
        asg("us-east-1").suspendProcesses(b -> b.autoScalingGroupName("stuck").scalingProcesses("Terminate"));

        OperationReport pause = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry("stuck", Outcome.SKIPPED));
        assertThat(reason(pause, "stuck")).contains("Terminate process is suspended");
        assertThat(capacity("us-east-1", "stuck")).containsExactly(1, 3, 2);
        assertThat(suspended("us-east-1", "stuck")).containsExactly("Terminate");
        assertThat(capacity("us-east-1", "idle")).containsExactly(0, 3, 0);
        assertThat(suspended("us-east-1", "idle")).isEmpty();
        assertThat(f.store.records(pause.snapshotId(), null, null)).isEmpty();
    }

    @Test
    void groupDeletedWhilePausedIsReportedAsDriftAndTheOthersAreResumed() {
        group("us-east-1", "gone", 1, 3, 2, Map.of());
        group("eu-west-1", "kept", 1, 3, 2, Map.of());
        f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        asg("us-east-1").deleteAutoScalingGroup(b -> b.autoScalingGroupName("gone").forceDelete(true));

        OperationReport resume = f.engine().run(resume(false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("gone", Outcome.SKIPPED), Map.entry("kept", Outcome.RESUMED));
        assertThat(reason(resume, "gone")).startsWith("drift:").contains("no longer exists");
        assertThat(resume.hasFailures()).isFalse();
        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(capacity("eu-west-1", "kept")).containsExactly(1, 3, 2);
    }

    @Test
    void capacityChangedWhilePausedIsLeftAsItIsButTheProcessesWeSuspendedAreResumed() {
        group("us-east-1", "web", 2, 6, 3, Map.of());
        f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        asg("us-east-1").updateAutoScalingGroup(b -> b.autoScalingGroupName("web").minSize(1).desiredCapacity(1));

        OperationReport resume = f.engine().run(resume(false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("web", Outcome.RESUMED));
        assertThat(reason(resume, "web")).startsWith("drift:").contains("1/6/1").contains("2/6/3");
        assertThat(capacity("us-east-1", "web")).containsExactly(1, 6, 1);
        assertThat(suspended("us-east-1", "web")).isEmpty();
    }

    @Test
    void dryRunsChangeNothingAndListWhatARealRunWould() {
        group("us-east-1", "web", 2, 6, 3, Map.of());
        group("eu-west-1", "guarded", 1, 2, 1, Map.of("aws-hit-breaks:protect", "true"));

        OperationReport dry = f.engine().run(request(Action.PAUSE, true), ProgressListener.NONE);

        assertThat(outcomes(dry)).containsOnly(Map.entry("web", Outcome.WOULD_PAUSE), Map.entry("guarded", Outcome.SKIPPED));
        assertThat(capacity("us-east-1", "web")).containsExactly(2, 6, 3);
        assertThat(suspended("us-east-1", "web")).isEmpty();
        assertThat(f.store.activeSnapshotId()).as("a dry run leaves no snapshot").isEmpty();

        f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        OperationReport dryResume = f.engine().run(resume(true), ProgressListener.NONE);

        assertThat(outcomes(dryResume)).containsOnly(Map.entry("web", Outcome.WOULD_RESUME));
        assertThat(capacity("us-east-1", "web")).containsExactly(0, 6, 0);
        assertThat(suspended("us-east-1", "web")).containsExactlyElementsOf(PAUSE_PROCESSES);
        assertThat(f.store.activeSnapshotId()).isPresent();
    }

    @Test
    void pausingTwiceKeepsTheFirstOriginalSoResumeStillRestoresIt() {
        group("us-east-1", "web", 2, 6, 3, Map.of());
        f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        OperationReport again = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        assertThat(outcomes(again)).as("desired 0 now: nothing more to pause").isEmpty();

        f.engine().run(resume(false), ProgressListener.NONE);
        assertThat(capacity("us-east-1", "web")).containsExactly(2, 6, 3);
        assertThat(suspended("us-east-1", "web")).isEmpty();
    }

    @Test
    void tagFiltersSelectOnlyMatchingGroupsAndExclusionsAreSkipped() {
        group("us-east-1", "web", 1, 3, 2, Map.of("env", "dev", "app", "web"));
        group("us-east-1", "db", 1, 3, 2, Map.of("env", "dev", "app", "db"));
        group("us-east-1", "prod", 1, 3, 2, Map.of("env", "prod", "app", "web"));
        group("us-east-1", "byid", 1, 3, 2, Map.of("env", "dev", "app", "web"));

        OperationReport pause = f.engine().run(new Request(Action.PAUSE, List.of("us-east-1"), List.of("autoscaling"),
                Map.of("env", "dev"), Map.of("app", "db"), List.of("byid"), false, null, null), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry("web", Outcome.PAUSED), Map.entry("db", Outcome.SKIPPED),
                Map.entry("byid", Outcome.SKIPPED));
        assertThat(reason(pause, "db")).contains("excluded by tag app=db");
        assertThat(reason(pause, "byid")).contains("excluded by id");
        assertThat(capacity("us-east-1", "web")).containsExactly(0, 3, 0);
        assertThat(capacity("us-east-1", "db")).containsExactly(1, 3, 2);
        assertThat(capacity("us-east-1", "prod")).containsExactly(1, 3, 2);
        assertThat(capacity("us-east-1", "byid")).containsExactly(1, 3, 2);
    }

    /**
     * An outcome is what was read back: the proxy acknowledges one group's UpdateAutoScalingGroup as Auto Scaling does
     * without passing it on to moto, so DescribeAutoScalingGroups shows its capacity unchanged; it is FAILED, stays
     * resumable, and the next resume puts it back.
     */
    @Test
    void anUpdateThatIsAcknowledgedButNotReadBackIsFailedAndTheNextResumeRetriesIt() {
        group("us-east-1", "web", 2, 6, 3, Map.of());
        group("us-east-1", "batch", 1, 4, 2, Map.of());
        Request pauseEast = new Request(Action.PAUSE, List.of("us-east-1"), List.of("autoscaling"), null, null, null, false, null, null);
        Request resumeEast = new Request(Action.RESUME, List.of("us-east-1"), List.of("autoscaling"), null, null, null, false, null,
                null);
        try (dev.awshitbreaks.testing.FaultProxy proxy = dev.awshitbreaks.testing.FaultProxy
                .builder(dev.awshitbreaks.testing.MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("UpdateAutoScalingGroup") && "web".equals(c.form().get("AutoScalingGroupName")),
                    1, c -> acknowledged("UpdateAutoScalingGroup"));
            OperationReport pause = f.engineThrough(proxy).run(pauseEast, ProgressListener.NONE);
            assertThat(outcomes(pause)).containsOnly(Map.entry("web", Outcome.FAILED), Map.entry("batch", Outcome.PAUSED));
            assertThat(reason(pause, "web")).contains("DescribeAutoScalingGroups shows min/max/desired 2/6/3");

            proxy.respondInstead(c -> c.operation().equals("UpdateAutoScalingGroup") && "batch".equals(c.form().get("AutoScalingGroupName")),
                    1, c -> acknowledged("UpdateAutoScalingGroup"));
            OperationReport resume = f.engineThrough(proxy).run(resumeEast, ProgressListener.NONE);
            assertThat(outcomes(resume)).containsEntry("batch", Outcome.FAILED);
            assertThat(reason(resume, "batch")).contains("min/max/desired 0/4/0 (recorded 1/4/2)");
            assertThat(f.store.records(pause.snapshotId(), "us-east-1", ServiceKind.AUTOSCALING))
                    .filteredOn(r -> r.id().equals("batch")).singleElement().matches(r -> r.needsResume());

            OperationReport retry = f.engineThrough(proxy).run(resumeEast, ProgressListener.NONE);
            assertThat(outcomes(retry)).containsEntry("batch", Outcome.RESUMED);
            assertThat(capacity("us-east-1", "batch")).containsExactly(1, 4, 2);
        }
    }

    @Test
    void theGroupOfAnEksManagedNodeGroupIsSkippedWithTheNodeGroupNamed() {
        group("us-east-1", "eks-ng-1-a2c4e6", 1, 3, 2, Map.of("eks:nodegroup-name", "ng-1", "eks:cluster-name", "prod",
                "k8s.io/cluster-autoscaler/enabled", "true"));
        group("us-east-1", "autoscaled-only", 1, 3, 1, Map.of("k8s.io/cluster-autoscaler/enabled", "true",
                "k8s.io/cluster-autoscaler/prod", "owned"));

        OperationReport pause = f.engine().run(new Request(Action.PAUSE, List.of("us-east-1"), List.of("autoscaling"), null, null,
                null, false, null, null), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry("eks-ng-1-a2c4e6", Outcome.SKIPPED),
                Map.entry("autoscaled-only", Outcome.PAUSED));
        assertThat(reason(pause, "eks-ng-1-a2c4e6")).contains("EKS managed node group ng-1 (cluster prod)");
        assertThat(capacity("us-east-1", "eks-ng-1-a2c4e6")).containsExactly(1, 3, 2);
    }

    /**
     * Issue #16: desired 0 cannot terminate an instance protected from scale in (moto 5.2.5 keeps it too, as AWS
     * documents). It is reported on a row of its own, skipped as still running with its own cost, and the savings count
     * only the instances the pause stops.
     */
    @Test
    void instancesProtectedFromScaleInAreReportedAsStillRunningWithTheirCostAndNotCountedInTheSavings() {
        group("us-east-1", "web", 2, 6, 3, Map.of());
        String kept = get("us-east-1", "web").instances().get(0).instanceId();
        asg("us-east-1").setInstanceProtection(b -> b.autoScalingGroupName("web").instanceIds(kept).protectedFromScaleIn(true));

        OperationReport dry = f.engine().run(request(Action.PAUSE, true), ProgressListener.NONE);
        assertThat(outcomes(dry)).containsOnly(Map.entry("web", Outcome.WOULD_PAUSE), Map.entry(kept, Outcome.SKIPPED));
        assertThat(dry.costs().hourly()).isEqualByComparingTo("0.0208");

        OperationReport pause = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry("web", Outcome.PAUSED), Map.entry(kept, Outcome.SKIPPED));
        assertThat(reason(pause, kept)).startsWith("still running: protected from scale in").contains("group web");
        assertThat(reason(pause, "web")).startsWith("1 instance(s) still running: protected from scale in");
        assertThat(row(pause, kept).hourlyCost()).as("its own cost: a t3.micro in us-east-1").isEqualTo(0.0104);
        assertThat(row(pause, kept).name()).isEqualTo("web");
        assertThat(row(pause, "web").hourlyCost()).as("the two instances the pause stops").isEqualTo(0.0208);
        assertThat(pause.costs().hourly()).as("savings: the protected instance not counted").isEqualByComparingTo("0.0208");
        assertThat(get("us-east-1", "web").instances()).as("read back: the protected instance still runs")
                .singleElement().satisfies(i -> assertThat(i.instanceId()).isEqualTo(kept));
        assertThat(f.store.records(pause.snapshotId(), null, null)).as("nothing recorded for the instance")
                .singleElement().satisfies(r -> assertThat(r.id()).isEqualTo("web"));

        OperationReport resume = f.engine().run(resume(false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("web", Outcome.RESUMED));
        assertThat(capacity("us-east-1", "web")).containsExactly(2, 6, 3);
    }

    private static dev.awshitbreaks.core.ResourceResult row(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private static dev.awshitbreaks.testing.FaultProxy.Answer acknowledged(String operation) {
        return new dev.awshitbreaks.testing.FaultProxy.Answer(200, "text/xml", "<" + operation
                + "Response xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><ResponseMetadata><RequestId>canned"
                + "</RequestId></ResponseMetadata></" + operation + "Response>");
    }

    // ---------------------------------------------------------------- seeding and reading, through the SDK

    private AutoScalingClient asg(String region) {
        return f.clients.autoScaling(region);
    }

    private void group(String region, String name, int min, int max, int desired, Map<String, String> tags) {
        String lc = "lc-" + region;
        if (asg(region).describeLaunchConfigurations(b -> b.launchConfigurationNames(lc)).launchConfigurations().isEmpty()) {
            String ami = dev.awshitbreaks.testing.MotoAccount.defaultAmi(f.clients.ec2(region), region);
            asg(region).createLaunchConfiguration(b -> b.launchConfigurationName(lc).imageId(ami).instanceType("t3.micro"));
        }
        List<Tag> t = new ArrayList<>();
        tags.forEach((k, v) -> t.add(Tag.builder().key(k).value(v).propagateAtLaunch(false)
                .resourceId(name).resourceType("auto-scaling-group").build()));
        asg(region).createAutoScalingGroup(b -> b.autoScalingGroupName(name).launchConfigurationName(lc)
                .minSize(min).maxSize(max).desiredCapacity(desired).availabilityZones(region + "a").tags(t));
    }

    private AutoScalingGroup get(String region, String name) {
        return asg(region).describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups().get(0);
    }

    private List<Integer> capacity(String region, String name) {
        AutoScalingGroup g = get(region, name);
        return List.of(g.minSize(), g.maxSize(), g.desiredCapacity());
    }

    private List<String> suspended(String region, String name) {
        return get(region, name).suspendedProcesses().stream().map(SuspendedProcess::processName).sorted().toList();
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
