package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.aws.SageMakerApi;
import dev.awshitbreaks.aws.SignedJsonCall;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.PausedResource;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SageMaker notebook instances against moto 5.2.5, which implements List/Describe/Stop/StartNotebookInstance and
 * ListTags and holds the status, but moves it at once (Stopped, InService; AWS goes through Stopping and Pending for
 * minutes) and does not check the status a stop or start starts from. Where AWS's answer differs, a {@link FaultProxy}
 * answers as AWS documents (labelled in each test).
 */
class SageMakerNotebookPauseResumeTest {
    private static final String US = "us-east-1";
    private static final List<String> TWO_REGIONS = List.of(US, "eu-west-1");
    private EngineFixture f;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
    }

    private static Request request(Action action, List<String> regions, boolean dryRun) {
        return new Request(action, regions, List.of("sagemaker-notebooks"), null, null, null, dryRun, null, null);
    }

    @Test
    void pauseStopsInServiceNotebooksInBothRegionsAndResumeStartsExactlyThose() {
        notebook(US, "research", "ml.t3.medium", Map.of("team", "ml"));
        notebook("eu-west-1", "etl", "ml.m5.xlarge", Map.of());
        notebook(US, "idle", "ml.t3.medium", Map.of());
        api(US).stopNotebookInstance("idle");
        notebook("us-west-2", "elsewhere", "ml.t3.medium", Map.of());

        OperationReport pause = f.engine().run(request(Action.PAUSE, TWO_REGIONS, false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("paused");
        assertThat(outcomes(pause)).as("a stopped notebook costs no instance hours: not listed")
                .containsOnly(Map.entry("research", Outcome.PAUSED), Map.entry("etl", Outcome.PAUSED));
        assertThat(status(US, "research")).isEqualTo("Stopped");
        assertThat(status("eu-west-1", "etl")).isEqualTo("Stopped");
        assertThat(status("us-west-2", "elsewhere")).as("a region not asked for").isEqualTo("InService");
        ResourceResult research = pause.resources().stream().filter(r -> r.id().equals("research")).findFirst().orElseThrow();
        assertThat(research.service()).isEqualTo(ServiceKind.SAGEMAKER_NOTEBOOKS);
        assertThat(research.type()).isEqualTo("ml.t3.medium");
        assertThat(research.hourlyCost()).as("ml.t3.medium notebook instance, US East").isEqualTo(0.05);
        List<SnapshotRecord> records = f.store.records(pause.snapshotId(), null, null);
        assertThat(records).extracting(SnapshotRecord::id).containsExactlyInAnyOrder("research", "etl");
        assertThat(records).filteredOn(r -> r.id().equals("research")).singleElement().satisfies(r -> {
            assertThat(r.original()).containsEntry("status", "InService").containsEntry("instanceType", "ml.t3.medium");
            assertThat(r.tags()).containsEntry("team", "ml");
        });

        OperationReport resume = f.engine().run(request(Action.RESUME, TWO_REGIONS, false), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(outcomes(resume)).containsOnly(Map.entry("research", Outcome.RESUMED), Map.entry("etl", Outcome.RESUMED));
        assertThat(resume.resources()).allSatisfy(r -> assertThat(r.reason()).isNull());
        assertThat(status(US, "research")).isEqualTo("InService");
        assertThat(status("eu-west-1", "etl")).isEqualTo("InService");
        assertThat(status(US, "idle")).as("was stopped before the pause").isEqualTo("Stopped");
        assertThat(f.store.activeSnapshotId()).isEmpty();
    }

    @Test
    void protectedStackAndExcludedNotebooksAreSkippedWithTheirReasonAndLeftRunning() {
        notebook(US, "plain", "ml.t3.medium", Map.of());
        notebook(US, "guarded", "ml.t3.medium", Map.of("aws-hit-breaks:protect", "true"));
        notebook(US, "stack", "ml.t3.medium", Map.of("aws-hit-breaks:stack", "hit-breaks"));
        notebook(US, "by-id", "ml.t3.medium", Map.of());

        OperationReport pause = f.engine().run(new Request(Action.PAUSE, List.of(US), List.of("sagemaker-notebooks"), null, null,
                List.of("by-id"), false, null, null), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry("plain", Outcome.PAUSED), Map.entry("guarded", Outcome.SKIPPED),
                Map.entry("stack", Outcome.SKIPPED), Map.entry("by-id", Outcome.SKIPPED));
        assertThat(reason(pause, "guarded")).contains("aws-hit-breaks:protect");
        assertThat(reason(pause, "stack")).contains("aws-hit-breaks stack");
        assertThat(reason(pause, "by-id")).isEqualTo("excluded by id");
        for (String id : List.of("guarded", "stack", "by-id")) {
            assertThat(status(US, id)).as(id).isEqualTo("InService");
        }
    }

    /**
     * moto shows a notebook InService at once; AWS shows it Pending (or Updating, or Failed) and refuses to stop it. A
     * proxy answers ListNotebookInstances as AWS would: one Pending for the whole bounded wait, one Failed.
     */
    @Test
    void notebooksNotInServiceAreSkippedWithTheReason() {
        notebook(US, "starting", "ml.t3.medium", Map.of());
        notebook(US, "broken", "ml.t3.medium", Map.of());
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("ListNotebookInstances"), 1000, c -> new FaultProxy.Answer(200,
                    "application/x-amz-json-1.1", Json.write(Map.of("NotebookInstances", List.of(
                            summary(US, "starting", "Pending"), summary(US, "broken", "Failed"))))));
            OperationReport pause = f.engineThrough(proxy).run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE);

            assertThat(outcomes(pause)).containsOnly(Map.entry("starting", Outcome.SKIPPED), Map.entry("broken", Outcome.SKIPPED));
            assertThat(reason(pause, "starting")).contains("still Pending after waiting");
            assertThat(reason(pause, "broken")).contains("status Failed");
            assertThat(proxy.counts()).doesNotContainKey("sagemaker:StopNotebookInstance");
        }
    }

    @Test
    void aDryRunChangesNothingAndSaysWhatWouldBeDone() {
        notebook(US, "research", "ml.t3.medium", Map.of());

        OperationReport dryPause = f.engine().run(request(Action.PAUSE, List.of(US), true), ProgressListener.NONE);
        assertThat(outcomes(dryPause)).containsOnly(Map.entry("research", Outcome.WOULD_PAUSE));
        assertThat(status(US, "research")).isEqualTo("InService");

        f.engine().run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE);
        OperationReport dryResume = f.engine().run(request(Action.RESUME, List.of(US), true), ProgressListener.NONE);
        assertThat(outcomes(dryResume)).containsOnly(Map.entry("research", Outcome.WOULD_RESUME));
        assertThat(status(US, "research")).isEqualTo("Stopped");
    }

    @Test
    void resumeReportsDeletedOrAlreadyStartedNotebooksAndStillStartsTheOthers() {
        notebook(US, "keeper", "ml.t3.medium", Map.of());
        notebook(US, "gone", "ml.t3.medium", Map.of());
        notebook(US, "by-hand", "ml.t3.medium", Map.of());
        assertThat(f.engine().run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE).hasFailures()).isFalse();
        call(US, "DeleteNotebookInstance", Map.of("NotebookInstanceName", "gone"));
        api(US).startNotebookInstance("by-hand");

        OperationReport resume = f.engine().run(request(Action.RESUME, List.of(US), false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("keeper", Outcome.RESUMED), Map.entry("gone", Outcome.SKIPPED),
                Map.entry("by-hand", Outcome.RESUMED));
        assertThat(reason(resume, "gone")).contains("drift").contains("no longer exists");
        assertThat(reason(resume, "by-hand")).isEqualTo("already InService");
        assertThat(status(US, "keeper")).isEqualTo("InService");
    }

    @Test
    void aNotebookSageMakerRefusesToStopFailsAloneAndTheOthersAreStopped() {
        notebook(US, "research", "ml.t3.medium", Map.of());
        Discovered phantom = new Discovered(ServiceKind.SAGEMAKER_NOTEBOOKS, US, "phantom", "ml.t3.medium", null, Map.of(),
                new OriginalState.NotebookInstance("InService", "ml.t3.medium"), null);
        BrakeEngine engine = f.engine(p -> p.kind() == ServiceKind.SAGEMAKER_NOTEBOOKS ? new WithPhantom(p, phantom) : p);

        OperationReport report = engine.run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE);

        assertThat(outcomes(report)).containsOnly(Map.entry("research", Outcome.PAUSED), Map.entry("phantom", Outcome.FAILED));
        assertThat(reason(report, "phantom")).contains("ValidationException");
        assertThat(report.status()).isEqualTo("partial");
        assertThat(status(US, "research")).isEqualTo("Stopped");
    }

    /**
     * An outcome is what was read back: the proxy acknowledges one StopNotebookInstance as SageMaker does (HTTP 200, an
     * empty body) without passing it on, so the notebook is still InService; it is FAILED, and the resume leaves it.
     */
    @Test
    void aStopThatIsAcknowledgedButNotReadBackIsFailed() {
        notebook(US, "research", "ml.t3.medium", Map.of());
        notebook(US, "etl", "ml.t3.medium", Map.of());
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("StopNotebookInstance") && c.body().contains("research"), 1,
                    c -> new FaultProxy.Answer(200, "application/x-amz-json-1.1", ""));
            OperationReport pause = f.engineThrough(proxy).run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE);

            assertThat(outcomes(pause)).containsOnly(Map.entry("research", Outcome.FAILED), Map.entry("etl", Outcome.PAUSED));
            assertThat(reason(pause, "research")).contains("StopNotebookInstance was acknowledged").contains("InService");
            assertThat(status(US, "research")).isEqualTo("InService");
        }
    }

    /**
     * The engine signs SageMaker's API itself (the SDK module is not served here), so it retries as the SDK clients
     * do: a third of SageMaker's answers are the throttling error SageMaker sends (HTTP 400 ThrottlingException, JSON
     * protocol), and the pause and resume still complete, each notebook read back.
     */
    @Test
    void throttledSageMakerCallsAreRetried() {
        notebook(US, "research", "ml.t3.medium", Map.of());
        notebook(US, "etl", "ml.t3.medium", Map.of());
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).seed(16).throttle(0.33)
                .faultsOn(c -> c.service().equals("sagemaker")).start()) {
            OperationReport pause = f.engineThrough(proxy).run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE);
            OperationReport resume = f.engineThrough(proxy).run(request(Action.RESUME, List.of(US), false), ProgressListener.NONE);

            assertThat(proxy.faults().get("throttled")).as("the proxy did throttle").isPositive();
            assertThat(outcomes(pause)).containsOnly(Map.entry("research", Outcome.PAUSED), Map.entry("etl", Outcome.PAUSED));
            assertThat(outcomes(resume)).containsOnly(Map.entry("research", Outcome.RESUMED), Map.entry("etl", Outcome.RESUMED));
        }
        assertThat(status(US, "research")).isEqualTo("InService");
        assertThat(status(US, "etl")).isEqualTo("InService");
    }

    // ---------------------------------------------------------------- seeding and reading through signed calls

    private static Map<String, Object> summary(String region, String name, String status) {
        return Map.of("NotebookInstanceName", name, "NotebookInstanceStatus", status, "InstanceType", "ml.t3.medium",
                "NotebookInstanceArn", "arn:aws:sagemaker:" + region + ":123456789012:notebook-instance/" + name);
    }

    private SageMakerApi api(String region) {
        return f.clients.sageMaker(region);
    }

    private void notebook(String region, String name, String type, Map<String, String> tags) {
        call(region, "CreateNotebookInstance", Map.of("NotebookInstanceName", name, "InstanceType", type,
                "RoleArn", "arn:aws:iam::123456789012:role/notebook",
                "Tags", tags.entrySet().stream().map(e -> Map.of("Key", e.getKey(), "Value", e.getValue())).toList()));
    }

    private void call(String region, String operation, Map<String, Object> body) {
        try {
            SignedJsonCall.Answer a = SignedJsonCall.post(f.clients.httpClient(), MotoAccount.CREDENTIALS, MotoServer.get().endpoint(),
                    "sagemaker", region, "SageMaker." + operation, Json.write(body));
            assertThat(a.status()).as("%s: %s", operation, a.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String status(String region, String name) {
        return api(region).describeNotebookInstance(name).status();
    }

    private static Map<String, Outcome> outcomes(OperationReport report) {
        Map<String, Outcome> out = new HashMap<>();
        report.resources().forEach(r -> out.put(r.id(), r.outcome()));
        return out;
    }

    private static String reason(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow().reason();
    }

    /** The real notebook pauser, plus one notebook SageMaker does not know (its StopNotebookInstance fails). */
    private static final class WithPhantom implements ResourcePauser {
        private final ResourcePauser delegate;
        private final Discovered phantom;

        WithPhantom(ResourcePauser delegate, Discovered phantom) {
            this.delegate = delegate;
            this.phantom = phantom;
        }

        @Override
        public ServiceKind kind() {
            return delegate.kind();
        }

        @Override
        public List<Discovered> discover(String region, ResourceFilter filter) {
            List<Discovered> found = new ArrayList<>(delegate.discover(region, filter));
            if (region.equals(phantom.region())) {
                found.add(phantom);
            }
            return found;
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
