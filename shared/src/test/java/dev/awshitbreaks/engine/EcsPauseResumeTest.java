package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.PausedResource;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.SuspendedState;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.Tag;

class EcsPauseResumeTest {
    private static final String EAST = "us-east-1";
    private static final String WEST = "eu-west-1";
    private static final List<String> TWO_REGIONS = List.of(EAST, WEST);
    private EngineFixture f;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
    }

    @Test
    void applicationAutoScalingClientPinnedAt2_44WorksAgainstMotoBesideTheNewerCore() {
        service(EAST, "alpha", "web", 3, Map.of());
        assertThat(aas(EAST).describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.ECS)).scalableTargets()).isEmpty();

        scalableTarget(EAST, "alpha/web", 2, 10, true);

        assertThat(target(EAST, "alpha/web")).satisfies(t -> {
            assertThat(t.minCapacity()).isEqualTo(2);
            assertThat(t.maxCapacity()).isEqualTo(10);
            assertThat(t.suspendedState().dynamicScalingInSuspended()).isTrue();
        });
    }

    @Test
    void pauseScalesServicesInBothRegionsToZeroAndResumeRestoresEachDesiredCountExactly() {
        service(EAST, "alpha", "web", 3, Map.of());
        service(EAST, "beta", "web", 1, Map.of()); // same service name, other cluster: its own id
        service(WEST, "alpha", "worker", 7, Map.of());
        service(EAST, "alpha", "idle", 0, Map.of());
        service("us-west-2", "alpha", "elsewhere", 2, Map.of());

        OperationReport pause = f.engine().run(request(Action.PAUSE, TWO_REGIONS, false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("paused");
        assertThat(outcomes(pause)).containsOnly(Map.entry("alpha/web", Outcome.PAUSED),
                Map.entry("beta/web", Outcome.PAUSED), Map.entry("alpha/worker", Outcome.PAUSED));
        assertThat(pause.resources()).filteredOn(r -> r.id().equals("alpha/web")).singleElement().satisfies(r -> {
            assertThat(r.service()).isEqualTo(ServiceKind.ECS);
            assertThat(r.type()).isEqualTo("FARGATE");
            assertThat(r.name()).isEqualTo("web");
        });
        assertThat(desired(EAST, "alpha", "web")).isZero();
        assertThat(desired(EAST, "beta", "web")).isZero();
        assertThat(desired(WEST, "alpha", "worker")).isZero();
        assertThat(desired("us-west-2", "alpha", "elsewhere")).as("a region not asked for").isEqualTo(2);
        assertThat(record(pause.snapshotId(), EAST, "alpha/web").original())
                .containsEntry("desiredCount", 3).containsEntry("scalableTarget", false);

        OperationReport resume = f.engine().run(request(Action.RESUME, TWO_REGIONS, false), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(outcomes(resume)).containsOnly(Map.entry("alpha/web", Outcome.RESUMED),
                Map.entry("beta/web", Outcome.RESUMED), Map.entry("alpha/worker", Outcome.RESUMED));
        assertThat(desired(EAST, "alpha", "web")).isEqualTo(3);
        assertThat(desired(EAST, "beta", "web")).isEqualTo(1);
        assertThat(desired(WEST, "alpha", "worker")).isEqualTo(7);
        assertThat(desired(EAST, "alpha", "idle")).as("was 0 before the pause").isZero();
        assertThat(f.store.activeSnapshotId()).isEmpty();
    }

    @Test
    void scalableTargetGetsMinZeroAndAllScalingSuspendedWhilePausedAndExactlyItsOwnSettingsBackOnResume() {
        service(EAST, "alpha", "api", 4, Map.of());
        scalableTarget(EAST, "alpha/api", 2, 10, true); // the user had scaling-in suspended before

        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of(EAST), false), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry("alpha/api", Outcome.PAUSED));
        assertThat(desired(EAST, "alpha", "api")).isZero();
        ScalableTarget paused = target(EAST, "alpha/api");
        assertThat(paused.minCapacity()).isZero();
        assertThat(paused.maxCapacity()).isEqualTo(10);
        assertThat(paused.suspendedState()).isEqualTo(suspended(true, true, true));
        assertThat(record(pause.snapshotId(), EAST, "alpha/api").original()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "desiredCount", 4, "scalableTarget", true, "minCapacity", 2, "maxCapacity", 10,
                "dynamicScalingInSuspended", true, "dynamicScalingOutSuspended", false, "scheduledScalingSuspended", false));

        OperationReport resume = f.engine().run(request(Action.RESUME, List.of(EAST), false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("alpha/api", Outcome.RESUMED));
        assertThat(reason(resume, "alpha/api")).isNull();
        assertThat(desired(EAST, "alpha", "api")).isEqualTo(4);
        ScalableTarget back = target(EAST, "alpha/api");
        assertThat(back.minCapacity()).isEqualTo(2);
        assertThat(back.maxCapacity()).isEqualTo(10);
        assertThat(back.suspendedState()).as("scaling-in stays suspended as the user had it")
                .isEqualTo(suspended(true, false, false));
    }

    @Test
    void serviceAtDesiredCountZeroIsNotTouchedNorItsScalableTarget() {
        service(EAST, "alpha", "idle", 0, Map.of());
        scalableTarget(EAST, "alpha/idle", 0, 5, false);
        service(EAST, "alpha", "busy", 2, Map.of());

        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of(EAST), false), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry("alpha/busy", Outcome.PAUSED));
        assertThat(f.store.records(pause.snapshotId(), EAST, ServiceKind.ECS)).extracting(SnapshotRecord::id)
                .containsExactly("alpha/busy");
        assertThat(target(EAST, "alpha/idle").suspendedState()).isEqualTo(suspended(false, false, false));

        f.engine().run(request(Action.RESUME, List.of(EAST), false), ProgressListener.NONE);

        assertThat(desired(EAST, "alpha", "idle")).isZero();
        assertThat(target(EAST, "alpha/idle").minCapacity()).isZero();
        assertThat(target(EAST, "alpha/idle").maxCapacity()).isEqualTo(5);
    }

    @Test
    void moreThanTenServicesInAClusterAreAllPausedAndResumed() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 1; i <= 23; i++) {
            service(EAST, "alpha", "svc" + i, i, Map.of());
            counts.put("alpha/svc" + i, i);
        }
        for (int i = 1; i <= 12; i += 4) {
            scalableTarget(EAST, "alpha/svc" + i, 1, 30, false);
        }

        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of(EAST), false), ProgressListener.NONE);

        assertThat(outcomes(pause)).hasSize(23).allSatisfy((id, o) -> assertThat(o).isEqualTo(Outcome.PAUSED));
        for (int i = 1; i <= 23; i++) {
            assertThat(desired(EAST, "alpha", "svc" + i)).as("svc" + i).isZero();
        }
        assertThat(target(EAST, "alpha/svc9").minCapacity()).isZero();

        OperationReport resume = f.engine().run(request(Action.RESUME, List.of(EAST), false), ProgressListener.NONE);

        assertThat(outcomes(resume)).hasSize(23).allSatisfy((id, o) -> assertThat(o).isEqualTo(Outcome.RESUMED));
        counts.forEach((id, n) -> assertThat(desired(EAST, "alpha", id.substring("alpha/".length()))).as(id).isEqualTo(n));
        assertThat(target(EAST, "alpha/svc9").minCapacity()).isEqualTo(1);
        assertThat(target(EAST, "alpha/svc9").suspendedState()).isEqualTo(suspended(false, false, false));
    }

    @Test
    void protectedAndDaemonServicesAreSkippedWithAReasonAndLeftRunning() {
        service(EAST, "alpha", "guarded", 2, Map.of("aws-hit-breaks:protect", "true"));
        f.clients.ecs(EAST).createService(b -> b.cluster("alpha").serviceName("agent").taskDefinition("app")
                .schedulingStrategy(SchedulingStrategy.DAEMON).launchType(LaunchType.EC2).desiredCount(1));
        service(EAST, "alpha", "web", 2, Map.of("team", "data"));
        service(EAST, "alpha", "other-team", 2, Map.of("team", "ops"));

        OperationReport onlyOps = f.engine().run(new Request(Action.DISCOVER, List.of(EAST), List.of("ecs"),
                Map.of("team", "ops"), null, null, false, null, null), ProgressListener.NONE);
        assertThat(outcomes(onlyOps)).as("a tag filter lists only what it selects")
                .containsOnly(Map.entry("alpha/other-team", Outcome.DISCOVERED));

        OperationReport pause = f.engine().run(new Request(Action.PAUSE, List.of(EAST), List.of("ecs"), null, null, null,
                false, null, null), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry("alpha/guarded", Outcome.SKIPPED), Map.entry("alpha/agent", Outcome.SKIPPED),
                Map.entry("alpha/web", Outcome.PAUSED), Map.entry("alpha/other-team", Outcome.PAUSED));
        assertThat(reason(pause, "alpha/guarded")).contains("aws-hit-breaks:protect=true");
        assertThat(reason(pause, "alpha/agent")).contains("DAEMON");
        assertThat(desired(EAST, "alpha", "guarded")).isEqualTo(2);
        assertThat(desired(EAST, "alpha", "agent")).isEqualTo(1);
        assertThat(f.store.records(pause.snapshotId(), EAST, ServiceKind.ECS)).extracting(SnapshotRecord::id)
                .containsExactlyInAnyOrder("alpha/web", "alpha/other-team");
    }

    @Test
    void aServiceEcsRefusesFailsAloneWithTheErrorCodeAndTheOthersArePaused() {
        service(EAST, "alpha", "web", 2, Map.of());
        var engine = f.engine(p -> p.kind() != ServiceKind.ECS ? p : new ResourcePauser() {
            @Override
            public ServiceKind kind() {
                return p.kind();
            }

            @Override
            public List<Discovered> discover(String region, ResourceFilter filter) {
                List<Discovered> found = new java.util.ArrayList<>(p.discover(region, filter));
                found.add(new Discovered(ServiceKind.ECS, region, "alpha/ghost", "FARGATE", "ghost", Map.of(),
                        OriginalState.EcsService.withoutTarget(2), null));
                found.add(new Discovered(ServiceKind.ECS, region, "alpha/scaled-ghost", "FARGATE", "scaled-ghost", Map.of(),
                        OriginalState.EcsService.withTarget(2, new OriginalState.EcsService.ScalableTarget(1, 4, false, false,
                                false)), null));
                return found;
            }

            @Override
            public List<ResourceResult> pause(String region, List<Discovered> eligible) {
                return p.pause(region, eligible);
            }

            @Override
            public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
                return p.resume(region, records, dryRun);
            }
        });

        OperationReport pause = engine.run(request(Action.PAUSE, List.of(EAST), false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("partial");
        assertThat(outcomes(pause)).containsOnly(Map.entry("alpha/web", Outcome.PAUSED),
                Map.entry("alpha/ghost", Outcome.FAILED), Map.entry("alpha/scaled-ghost", Outcome.FAILED));
        assertThat(reason(pause, "alpha/ghost")).startsWith("UpdateService desiredCount 0 failed: ServiceNotFoundException");
        assertThat(reason(pause, "alpha/scaled-ghost")).contains("RegisterScalableTarget").contains("the service was not changed");
        assertThat(desired(EAST, "alpha", "web")).isZero();

        OperationReport resume = f.engine().run(request(Action.RESUME, List.of(EAST), false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("alpha/web", Outcome.RESUMED),
                Map.entry("alpha/ghost", Outcome.SKIPPED), Map.entry("alpha/scaled-ghost", Outcome.SKIPPED));
        assertThat(reason(resume, "alpha/ghost")).startsWith("drift:");
        assertThat(desired(EAST, "alpha", "web")).isEqualTo(2);
    }

    @Test
    void serviceDeletedWhilePausedIsDriftAndADesiredCountChangedWhilePausedIsLeftAsSet() {
        service(EAST, "alpha", "gone", 2, Map.of());
        service(EAST, "alpha", "bumped", 3, Map.of());
        scalableTarget(EAST, "alpha/bumped", 1, 6, false);
        service(EAST, "alpha", "kept", 5, Map.of());
        f.engine().run(request(Action.PAUSE, List.of(EAST), false), ProgressListener.NONE);

        f.clients.ecs(EAST).deleteService(b -> b.cluster("alpha").service("gone"));
        f.clients.ecs(EAST).updateService(b -> b.cluster("alpha").service("bumped").desiredCount(1));

        OperationReport dry = f.engine().run(request(Action.RESUME, List.of(EAST), true), ProgressListener.NONE);
        assertThat(outcomes(dry)).containsOnly(Map.entry("alpha/gone", Outcome.SKIPPED),
                Map.entry("alpha/bumped", Outcome.WOULD_RESUME), Map.entry("alpha/kept", Outcome.WOULD_RESUME));

        OperationReport resume = f.engine().run(request(Action.RESUME, List.of(EAST), false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("alpha/gone", Outcome.SKIPPED),
                Map.entry("alpha/bumped", Outcome.RESUMED), Map.entry("alpha/kept", Outcome.RESUMED));
        assertThat(reason(resume, "alpha/gone")).startsWith("drift:").contains("no longer exists");
        assertThat(reason(resume, "alpha/bumped")).startsWith("drift:").contains("set to 1").contains("3 before the pause");
        assertThat(desired(EAST, "alpha", "bumped")).as("not fought").isEqualTo(1);
        assertThat(target(EAST, "alpha/bumped").minCapacity()).as("our own change is undone").isEqualTo(1);
        assertThat(target(EAST, "alpha/bumped").suspendedState()).isEqualTo(suspended(false, false, false));
        assertThat(desired(EAST, "alpha", "kept")).isEqualTo(5);
        assertThat(f.store.activeSnapshotId()).isEmpty();
    }

    @Test
    void dryRunChangesNeitherTheServicesNorTheirScalableTargets() {
        service(EAST, "alpha", "api", 4, Map.of());
        scalableTarget(EAST, "alpha/api", 2, 10, true);
        service(WEST, "alpha", "web", 1, Map.of());

        OperationReport dry = f.engine().run(request(Action.PAUSE, TWO_REGIONS, true), ProgressListener.NONE);

        assertThat(outcomes(dry)).containsOnly(Map.entry("alpha/api", Outcome.WOULD_PAUSE), Map.entry("alpha/web", Outcome.WOULD_PAUSE));
        assertThat(desired(EAST, "alpha", "api")).isEqualTo(4);
        assertThat(desired(WEST, "alpha", "web")).isEqualTo(1);
        assertThat(target(EAST, "alpha/api").minCapacity()).isEqualTo(2);
        assertThat(target(EAST, "alpha/api").suspendedState()).isEqualTo(suspended(true, false, false));
        assertThat(f.store.activeSnapshotId()).as("a dry run leaves no snapshot").isEmpty();

        f.engine().run(request(Action.PAUSE, TWO_REGIONS, false), ProgressListener.NONE);
        OperationReport dryResume = f.engine().run(request(Action.RESUME, TWO_REGIONS, true), ProgressListener.NONE);

        assertThat(outcomes(dryResume)).containsOnly(Map.entry("alpha/api", Outcome.WOULD_RESUME),
                Map.entry("alpha/web", Outcome.WOULD_RESUME));
        assertThat(desired(EAST, "alpha", "api")).isZero();
        assertThat(target(EAST, "alpha/api").minCapacity()).isZero();
        assertThat(target(EAST, "alpha/api").suspendedState()).isEqualTo(suspended(true, true, true));
        assertThat(f.store.activeSnapshotId()).isPresent();
    }

    /**
     * An outcome is what was read back: the proxy acknowledges one service's UpdateService as ECS does without passing
     * it on to moto, so DescribeServices shows the count unchanged; it is FAILED, stays resumable, and is retried.
     */
    @Test
    void anUpdateServiceThatIsAcknowledgedButNotReadBackIsFailedAndTheNextResumeRetriesIt() {
        service(EAST, "prod", "web", 3, Map.of());
        service(EAST, "prod", "api", 2, Map.of());
        try (dev.awshitbreaks.testing.FaultProxy proxy = dev.awshitbreaks.testing.FaultProxy
                .builder(dev.awshitbreaks.testing.MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("UpdateService") && c.body().contains("\"web\""), 1,
                    c -> new dev.awshitbreaks.testing.FaultProxy.Answer(200, "application/x-amz-json-1.1",
                            "{\"service\":{\"serviceName\":\"web\",\"desiredCount\":0,\"status\":\"ACTIVE\"}}"));
            OperationReport pause = f.engineThrough(proxy).run(request(Action.PAUSE, List.of(EAST), false), ProgressListener.NONE);
            assertThat(outcomes(pause)).containsOnly(Map.entry("prod/web", Outcome.FAILED), Map.entry("prod/api", Outcome.PAUSED));
            assertThat(reason(pause, "prod/web")).contains("DescribeServices shows desiredCount 3");
            assertThat(desired(EAST, "prod", "api")).isZero();

            proxy.respondInstead(c -> c.operation().equals("UpdateService") && c.body().contains("\"api\""), 1,
                    c -> new dev.awshitbreaks.testing.FaultProxy.Answer(200, "application/x-amz-json-1.1",
                            "{\"service\":{\"serviceName\":\"api\",\"desiredCount\":2,\"status\":\"ACTIVE\"}}"));
            OperationReport resume = f.engineThrough(proxy).run(request(Action.RESUME, List.of(EAST), false), ProgressListener.NONE);
            assertThat(outcomes(resume)).containsEntry("prod/api", Outcome.FAILED);
            assertThat(reason(resume, "prod/api")).contains("DescribeServices shows desiredCount 0");
            assertThat(record(pause.snapshotId(), EAST, "prod/api").needsResume()).isTrue();

            OperationReport retry = f.engineThrough(proxy).run(request(Action.RESUME, List.of(EAST), false), ProgressListener.NONE);
            assertThat(outcomes(retry)).containsEntry("prod/api", Outcome.RESUMED);
            assertThat(desired(EAST, "prod", "api")).isEqualTo(2);
        }
    }

    // ---------------------------------------------------------------- seeding and reading

    private static Request request(Action action, List<String> regions, boolean dryRun) {
        return new Request(action, regions, List.of("ecs"), null, null, null, dryRun, null, null);
    }

    /** A FARGATE service (its cluster and task definition created when missing). */
    private void service(String region, String cluster, String name, int desiredCount, Map<String, String> tags) {
        EcsClient ecs = f.clients.ecs(region);
        if (ecs.describeClusters(b -> b.clusters(cluster)).clusters().isEmpty()) {
            ecs.createCluster(b -> b.clusterName(cluster));
            ecs.registerTaskDefinition(b -> b.family("app").requiresCompatibilitiesWithStrings("FARGATE").cpu("256").memory("512")
                    .networkMode("awsvpc").containerDefinitions(c -> c.name("app").image("nginx").essential(true)));
        }
        ecs.createService(b -> b.cluster(cluster).serviceName(name).taskDefinition("app").desiredCount(desiredCount)
                .launchType(LaunchType.FARGATE)
                .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()));
    }

    private int desired(String region, String cluster, String name) {
        return f.clients.ecs(region).describeServices(b -> b.cluster(cluster).services(name)).services().get(0).desiredCount();
    }

    private ApplicationAutoScalingClient aas(String region) {
        return f.clients.applicationAutoScaling(region);
    }

    private void scalableTarget(String region, String id, int min, int max, boolean scaleInSuspended) {
        aas(region).registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS).resourceId("service/" + id)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).minCapacity(min).maxCapacity(max)
                .suspendedState(suspended(scaleInSuspended, false, false)));
    }

    private ScalableTarget target(String region, String id) {
        return aas(region).describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.ECS).resourceIds("service/" + id))
                .scalableTargets().get(0);
    }

    private static SuspendedState suspended(boolean in, boolean out, boolean scheduled) {
        return SuspendedState.builder().dynamicScalingInSuspended(in).dynamicScalingOutSuspended(out)
                .scheduledScalingSuspended(scheduled).build();
    }

    private SnapshotRecord record(String snapshotId, String region, String id) {
        return f.store.records(snapshotId, region, ServiceKind.ECS).stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
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
