package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.PausedResource;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationInProgressException;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.SnapshotNotFoundException;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Ec2PauseResumeTest {
    private static final List<String> TWO_REGIONS = List.of("us-east-1", "eu-west-1");
    private EngineFixture f;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
    }

    private static Request request(Action action, boolean dryRun) {
        return new Request(action, TWO_REGIONS, List.of("ec2"), null, null, null, dryRun, null, null);
    }

    @Test
    void pauseStopsRunningInstancesInBothRegionsAndResumeStartsExactlyThoseAgain() {
        String a = f.account.runInstance("us-east-1", "t3.micro");
        String b = f.account.runInstance("eu-west-1", "m5.large");
        String stopped = f.account.stoppedInstance("us-east-1", "t3.small", Map.of());
        String guarded = f.account.runInstance("eu-west-1", "t3.micro", Map.of("aws-hit-breaks:protect", "true"));
        String asgMember = f.account.runInstance("us-east-1", "t3.micro", Map.of("aws:autoscaling:groupName", "web"));
        String elsewhere = f.account.runInstance("us-west-2", "t3.micro");

        OperationReport pause = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("paused");
        assertThat(outcomes(pause)).containsOnly(
                Map.entry(a, Outcome.PAUSED), Map.entry(b, Outcome.PAUSED),
                Map.entry(guarded, Outcome.SKIPPED), Map.entry(asgMember, Outcome.SKIPPED));
        assertThat(reason(pause, guarded)).contains("aws-hit-breaks:protect");
        assertThat(reason(pause, asgMember)).contains("Auto Scaling group web");
        assertThat(f.account.state("us-east-1", a)).isEqualTo("stopped");
        assertThat(f.account.state("eu-west-1", b)).isEqualTo("stopped");
        assertThat(f.account.state("eu-west-1", guarded)).isEqualTo("running");
        assertThat(f.account.state("us-east-1", asgMember)).isEqualTo("running");
        assertThat(f.account.state("us-west-2", elsewhere)).as("a region not asked for").isEqualTo("running");

        f.account.ec2("us-east-1").stopInstances(x -> x.instanceIds(asgMember)); // stopped by someone else meanwhile

        OperationReport resume = f.engine().run(Request.of(Action.RESUME), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(resume.snapshotId()).isEqualTo(pause.snapshotId());
        assertThat(outcomes(resume)).containsOnly(Map.entry(a, Outcome.RESUMED), Map.entry(b, Outcome.RESUMED));
        assertThat(f.account.state("us-east-1", a)).isEqualTo("running");
        assertThat(f.account.state("eu-west-1", b)).isEqualTo("running");
        assertThat(f.account.state("us-east-1", stopped)).as("was stopped before the pause").isEqualTo("stopped");
        assertThat(f.account.state("us-east-1", asgMember)).as("never ours to start").isEqualTo("stopped");
        assertThat(f.store.activeSnapshotId()).isEmpty();
    }

    @Test
    void aRegionOfMoreInstancesThanOnePageIsPausedAndResumedWhole() throws Exception {
        // one instance per reservation, as instances launched one by one are: moto counts MaxResults in
        // reservations, EC2 in instances, so only this way is moto's page the size EC2's would be
        int n = dev.awshitbreaks.services.Ec2Pauser.DESCRIBE_PAGE + 20;
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> launched = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                launched.add(pool.submit(() -> ids.add(f.account.runInstance("us-east-1", "t3.micro"))));
            }
            for (var l : launched) {
                l.get();
            }
        } finally {
            pool.shutdown();
        }
        Request pauseRequest = new Request(Action.PAUSE, List.of("us-east-1"), List.of("ec2"), null, null, null, false, null, null);

        OperationReport pause = f.engine().run(pauseRequest, ProgressListener.NONE);

        assertThat(pause.resources()).as("every instance, those on the second page included").hasSize(n)
                .allMatch(r -> r.outcome() == Outcome.PAUSED);
        assertThat(ids).allMatch(id -> f.account.state("us-east-1", id).equals("stopped"));

        OperationReport resume = f.engine().run(Request.of(Action.RESUME), ProgressListener.NONE);

        assertThat(resume.resources()).hasSize(n).allMatch(r -> r.outcome() == Outcome.RESUMED);
        assertThat(ids).allMatch(id -> f.account.state("us-east-1", id).equals("running"));
    }

    @Test
    void listingPagesInFlightFollowTheHeap() {
        // half the heap, 24 MB a 500-instance page being parsed: a 256 MB launcher parses at most 5 at once
        assertThat(dev.awshitbreaks.services.Ec2Pauser.listingPermits(256L << 20)).isEqualTo(5);
        assertThat(dev.awshitbreaks.services.Ec2Pauser.listingPermits(32L << 20)).isEqualTo(1);
        assertThat(dev.awshitbreaks.services.Ec2Pauser.listingPermits(64L << 30)).isEqualTo(64);
    }

    @Test
    void originalStateIsRecordedBeforeTheInstanceIsStopped() {
        String a = f.account.runInstance("us-east-1", "t3.micro", Map.of("team", "data"));
        AtomicReference<List<SnapshotRecord>> seenAtPause = new AtomicReference<>();
        AtomicReference<String> stateAtPause = new AtomicReference<>();
        var engine = f.engine(p -> p.kind() != ServiceKind.EC2 ? p : new Observing(p) {
            @Override
            public List<ResourceResult> pause(String region, List<Discovered> eligible) {
                seenAtPause.set(f.store.records(f.store.activeSnapshotId().orElseThrow(), region, ServiceKind.EC2));
                stateAtPause.set(f.account.state(region, a));
                return super.pause(region, eligible);
            }
        });

        OperationReport report = engine.run(new Request(Action.PAUSE, List.of("us-east-1"), null, null, null, null, false, null, null),
                ProgressListener.NONE);

        assertThat(stateAtPause.get()).isEqualTo("running");
        assertThat(seenAtPause.get()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(a);
            assertThat(r.original()).containsEntry("state", "running").containsEntry("instanceType", "t3.micro");
            assertThat(r.tags()).containsEntry("team", "data");
        });
        assertThat(report.snapshotId()).isEqualTo(report.operationId());
    }

    @Test
    void dryRunChangesNothingAndListsExactlyWhatARealRunWould() {
        String a = f.account.runInstance("us-east-1", "t3.micro");
        String b = f.account.runInstance("eu-west-1", "t3.micro");
        String guarded = f.account.runInstance("us-east-1", "t3.micro", Map.of("aws-hit-breaks:protect", "true"));

        OperationReport dry = f.engine().run(request(Action.PAUSE, true), ProgressListener.NONE);

        assertThat(outcomes(dry)).containsOnly(Map.entry(a, Outcome.WOULD_PAUSE), Map.entry(b, Outcome.WOULD_PAUSE),
                Map.entry(guarded, Outcome.SKIPPED));
        assertThat(f.account.states("us-east-1")).containsOnly(Map.entry(a, "running"), Map.entry(guarded, "running"));
        assertThat(f.account.states("eu-west-1")).containsOnly(Map.entry(b, "running"));
        assertThat(f.store.activeSnapshotId()).as("a dry run leaves no snapshot").isEmpty();

        OperationReport real = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        assertThat(outcomes(real)).containsOnly(Map.entry(a, Outcome.PAUSED), Map.entry(b, Outcome.PAUSED),
                Map.entry(guarded, Outcome.SKIPPED));

        OperationReport dryResume = f.engine().run(new Request(Action.RESUME, TWO_REGIONS, null, null, null, null, true, null, null),
                ProgressListener.NONE);
        assertThat(outcomes(dryResume)).containsOnly(Map.entry(a, Outcome.WOULD_RESUME), Map.entry(b, Outcome.WOULD_RESUME));
        assertThat(f.account.state("us-east-1", a)).isEqualTo("stopped");
        assertThat(f.store.activeSnapshotId()).contains(real.snapshotId());
    }

    @Test
    void pausingTwiceKeepsTheFirstPausesOriginalStateAndResumeReportsTheDrift() {
        String a = f.account.runInstance("us-east-1", "t3.micro");
        Request pause = new Request(Action.PAUSE, List.of("us-east-1"), null, null, null, null, false, null, null);
        OperationReport first = f.engine().run(pause, ProgressListener.NONE);
        Instant recordedAt = f.store.records(first.snapshotId(), null, null).get(0).recordedAt();

        // someone resizes the instance and starts it again while the account is paused
        f.account.ec2("us-east-1").modifyInstanceAttribute(x -> x.instanceId(a).instanceType(t -> t.value("t3.large")));
        f.account.ec2("us-east-1").startInstances(x -> x.instanceIds(a));

        OperationReport second = f.engine().run(pause, ProgressListener.NONE);

        assertThat(second.snapshotId()).as("the second pause joins the active snapshot").isEqualTo(first.snapshotId());
        assertThat(second.operationId()).isNotEqualTo(first.operationId());
        assertThat(outcomes(second)).containsOnly(Map.entry(a, Outcome.PAUSED));
        SnapshotRecord record = f.store.records(first.snapshotId(), null, null).get(0);
        assertThat(record.original()).containsEntry("instanceType", "t3.micro");
        assertThat(record.recordedAt()).isEqualTo(recordedAt);

        OperationReport resume = f.engine().run(Request.of(Action.RESUME), ProgressListener.NONE);
        assertThat(outcomes(resume)).containsOnly(Map.entry(a, Outcome.RESUMED));
        assertThat(reason(resume, a)).contains("drift").contains("t3.micro").contains("t3.large");
        assertThat(f.account.state("us-east-1", a)).isEqualTo("running");
    }

    @Test
    void resumeReportsATerminatedInstanceAsDriftAndStillRestoresTheOthers() {
        String a = f.account.runInstance("us-east-1", "t3.micro");
        String gone = f.account.runInstance("us-east-1", "t3.micro");
        f.engine().run(new Request(Action.PAUSE, List.of("us-east-1"), null, null, null, null, false, null, null), ProgressListener.NONE);
        f.account.ec2("us-east-1").terminateInstances(x -> x.instanceIds(gone));

        OperationReport resume = f.engine().run(Request.of(Action.RESUME), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry(a, Outcome.RESUMED), Map.entry(gone, Outcome.SKIPPED));
        assertThat(reason(resume, gone)).startsWith("drift:").contains("terminated");
        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(resume.hasFailures()).isFalse();
    }

    @Test
    void oneInstanceFailingToStopDoesNotStopTheOthersAndIsReported() {
        String a = f.account.runInstance("us-east-1", "t3.micro");
        String b = f.account.runInstance("us-east-1", "t3.micro");
        String phantom = "i-0123456789abcdef0"; // EC2 answers InvalidInstanceID.NotFound for it
        var engine = f.engine(p -> p.kind() != ServiceKind.EC2 ? p : new Observing(p) {
            @Override
            public List<Discovered> discover(String region, ResourceFilter filter) {
                List<Discovered> found = new ArrayList<>(super.discover(region, filter));
                found.add(new Discovered(ServiceKind.EC2, region, phantom, "t3.micro", null, Map.of(),
                        new OriginalState.Ec2Instance("running", "t3.micro"), null));
                return found;
            }
        });

        OperationReport report = engine.run(new Request(Action.PAUSE, List.of("us-east-1"), null, null, null, null, false, null, null),
                ProgressListener.NONE);

        assertThat(outcomes(report)).containsOnly(Map.entry(a, Outcome.PAUSED), Map.entry(b, Outcome.PAUSED),
                Map.entry(phantom, Outcome.FAILED));
        assertThat(reason(report, phantom)).contains("InvalidInstanceID");
        assertThat(report.status()).isEqualTo("partial");
        assertThat(report.hasFailures()).isTrue();
        assertThat(f.account.state("us-east-1", a)).isEqualTo("stopped");
        assertThat(f.account.state("us-east-1", b)).isEqualTo("stopped");
        assertThat(f.store.records(report.snapshotId(), null, null))
                .filteredOn(r -> r.id().equals(phantom)).singleElement()
                .satisfies(r -> assertThat(r.phase()).isEqualTo(Outcome.FAILED));
    }

    @Test
    void invalidRequestIsRefusedBeforeAnyAwsCall() {
        String a = f.account.runInstance("us-east-1", "t3.micro");
        assertThatThrownBy(() -> f.engine().run(new Request(Action.PAUSE, List.of("us-east-1", "mars-north-9"), null, null, null, null,
                false, null, null), ProgressListener.NONE))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("mars-north-9");
        assertThatThrownBy(() -> f.engine().run(new Request(Action.PAUSE, null, List.of("ec2", "warp-drive"), null, null, null,
                false, null, null), ProgressListener.NONE))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("warp-drive");
        assertThat(f.account.state("us-east-1", a)).isEqualTo("running");
        assertThat(f.store.headers()).isEmpty();
    }

    @Test
    void resumeOfAnUnknownSnapshotIsRefusedClearly() {
        assertThatThrownBy(() -> f.engine().run(new Request(Action.RESUME, List.of("us-east-1"), null, null, null, null, false,
                "pause-20260101-000000-abcdef", null), ProgressListener.NONE))
                .isInstanceOf(SnapshotNotFoundException.class).hasMessageContaining("pause-20260101-000000-abcdef");
        assertThatThrownBy(() -> f.engine().run(Request.of(Action.RESUME), ProgressListener.NONE))
                .isInstanceOf(SnapshotNotFoundException.class).hasMessageContaining("no paused snapshot");
    }

    @Test
    void aSecondPauseWhileOneHoldsTheLockIsRefusedAndNamesIt() {
        String a = f.account.runInstance("us-east-1", "t3.micro");
        f.store.acquireLock("resume-20261125-120000-abcdef", Action.RESUME, "process:elsewhere:1:1", Instant.now(),
                Duration.ofMinutes(10), owner -> false);

        assertThatThrownBy(() -> f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE))
                .isInstanceOf(OperationInProgressException.class)
                .hasMessageContaining("resume-20261125-120000-abcdef").hasMessageContaining("a resume");
        assertThat(f.account.state("us-east-1", a)).isEqualTo("running");
    }

    @Test
    void theSnapshotDocumentInS3AgreesWithTheRecordsInDynamoDb() throws Exception {
        f.account.runInstance("us-east-1", "t3.micro");
        f.account.runInstance("eu-west-1", "t3.nano");
        OperationReport pause = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        String doc = f.store.getDocument("snapshots/" + pause.snapshotId() + ".json").orElseThrow();
        SnapshotDocument parsed = Json.mapper().readValue(doc, SnapshotDocument.class);

        assertThat(parsed.header().status()).isEqualTo(OperationHeader.PAUSED);
        assertThat(parsed.records()).containsExactlyInAnyOrderElementsOf(f.store.records(pause.snapshotId(), null, null));
        assertThat(f.store.getDocument("reports/" + pause.operationId() + ".json")).isPresent();
        assertThat(f.store.getDocument("reports/" + pause.operationId() + ".csv")).get().asString()
                .startsWith("operationId,service,region,id");
    }

    @Test
    void tagFiltersSelectOnlyMatchingInstancesAndExclusionsAreSkipped() {
        String web = f.account.runInstance("us-east-1", "t3.micro", Map.of("env", "dev", "app", "web"));
        String db = f.account.runInstance("us-east-1", "t3.micro", Map.of("env", "dev", "app", "db"));
        String prod = f.account.runInstance("us-east-1", "t3.micro", Map.of("env", "prod", "app", "web"));
        String byId = f.account.runInstance("us-east-1", "t3.micro", Map.of("env", "dev", "app", "web"));

        OperationReport report = f.engine().run(new Request(Action.PAUSE, List.of("us-east-1"), null, Map.of("env", "dev"),
                Map.of("app", "db"), List.of(byId), false, null, null), ProgressListener.NONE);

        assertThat(outcomes(report)).containsOnly(Map.entry(web, Outcome.PAUSED), Map.entry(db, Outcome.SKIPPED),
                Map.entry(byId, Outcome.SKIPPED));
        assertThat(f.account.states("us-east-1")).containsOnly(Map.entry(web, "stopped"), Map.entry(db, "running"),
                Map.entry(prod, "running"), Map.entry(byId, "running"));
    }

    /** The EC2 rows' outcomes; what still bills (the instances' volumes, in a request of every service) aside. */
    private static Map<String, Outcome> outcomes(OperationReport report) {
        Map<String, Outcome> out = new java.util.HashMap<>();
        report.resources().stream().filter(r -> r.service() != ServiceKind.STILL_BILLING).forEach(r -> out.put(r.id(), r.outcome()));
        return out;
    }

    private static String reason(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow().reason();
    }

    /** Passes every call through to the real pauser; tests override one method to watch or add to it. */
    private static class Observing implements ResourcePauser {
        private final ResourcePauser delegate;

        Observing(ResourcePauser delegate) {
            this.delegate = delegate;
        }

        @Override
        public ServiceKind kind() {
            return delegate.kind();
        }

        @Override
        public List<Discovered> discover(String region, ResourceFilter filter) {
            return delegate.discover(region, filter);
        }

        @Override
        public List<ResourceResult> pause(String region, List<Discovered> eligible) {
            return delegate.pause(region, eligible);
        }

        @Override
        public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
            return delegate.resume(region, records, dryRun);
        }
    }
}
