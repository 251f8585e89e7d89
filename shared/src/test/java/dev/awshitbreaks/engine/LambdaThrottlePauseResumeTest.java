package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
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
import dev.awshitbreaks.testing.MixedAccount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lambda functions throttled with reserved concurrency 0 ({@code lambda-throttle}), against moto, whose
 * Put/Get/DeleteFunctionConcurrency hold the function's reserved concurrency (0 included).
 */
class LambdaThrottlePauseResumeTest {
    private static final List<String> TWO_REGIONS = List.of("us-east-1", "eu-west-1");
    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
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

    private static Request request(Action action, boolean dryRun) {
        return new Request(action, TWO_REGIONS, List.of("lambda-throttle"), null, null, null, dryRun, null, null);
    }

    @Test
    void pauseThrottlesEachFunctionToZeroAndResumePutsBackItsReservedConcurrencyOrNone() {
        account.lambdaFunction(US, "api", 5, Map.of("team", "web"));
        account.lambdaFunction(EU, "worker", null, Map.of());
        account.lambdaFunction(US, "guarded", 3, Map.of(ResourceFilter.PROTECT_TAG, "true"));
        account.lambdaFunction(US, "brake-target", null, Map.of(ResourceFilter.STACK_TAG, "aws-hit-breaks"));
        account.lambdaFunction(EU, "stopped", 0, Map.of());
        Map<String, String> before = account.observe(TWO_REGIONS);

        OperationReport pause = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("paused");
        assertThat(outcomes(pause)).containsOnly(Map.entry("api", Outcome.PAUSED), Map.entry("worker", Outcome.PAUSED),
                Map.entry("guarded", Outcome.SKIPPED), Map.entry("brake-target", Outcome.SKIPPED),
                Map.entry("stopped", Outcome.SKIPPED));
        assertThat(reason(pause, "guarded")).contains(ResourceFilter.PROTECT_TAG);
        assertThat(reason(pause, "brake-target")).contains("aws-hit-breaks stack itself");
        assertThat(reason(pause, "stopped")).startsWith("already throttled");
        assertThat(account.observe(TWO_REGIONS)).containsEntry("lambda-throttle:" + US + ":api", "reserved=0")
                .containsEntry("lambda-throttle:" + EU + ":worker", "reserved=0")
                .containsEntry("lambda-throttle:" + US + ":guarded", "reserved=3")
                .containsEntry("lambda-throttle:" + US + ":brake-target", "reserved=none")
                .containsEntry("lambda-throttle:" + EU + ":stopped", "reserved=0");
        assertThat(f.store.records(pause.snapshotId(), US, ServiceKind.LAMBDA_THROTTLE)).singleElement().satisfies(r -> {
            assertThat(r.original()).containsExactly(Map.entry("functionName", "api"), Map.entry("reserved", true),
                    Map.entry("reservedConcurrentExecutions", 5));
            assertThat(r.tags()).containsEntry("team", "web");
        });
        assertThat(f.store.records(pause.snapshotId(), EU, ServiceKind.LAMBDA_THROTTLE)).singleElement()
                .satisfies(r -> assertThat(r.original()).containsExactly(Map.entry("functionName", "worker"),
                        Map.entry("reserved", false)));
        assertThat(pause.resources()).filteredOn(r -> r.outcome() == Outcome.PAUSED).allSatisfy(r -> {
            assertThat(r.hourlyCost()).as("usage-based: unknown, never 0").isNull();
            assertThat(r.priceSource()).startsWith("unknown: usage-based");
        });

        OperationReport resume = f.engine().run(request(Action.RESUME, false), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(outcomes(resume)).containsOnly(Map.entry("api", Outcome.RESUMED), Map.entry("worker", Outcome.RESUMED));
        assertThat(account.observe(TWO_REGIONS)).isEqualTo(before);
        assertThat(f.store.activeSnapshotId()).isEmpty();
    }

    @Test
    void aDryRunListsWhatItWouldThrottleAndChangesNothing() {
        account.lambdaFunction(US, "api", 5, Map.of());
        account.lambdaFunction(EU, "worker", null, Map.of());
        Map<String, String> before = account.observe(TWO_REGIONS);

        OperationReport dry = f.engine().run(request(Action.PAUSE, true), ProgressListener.NONE);

        assertThat(outcomes(dry)).containsOnly(Map.entry("api", Outcome.WOULD_PAUSE), Map.entry("worker", Outcome.WOULD_PAUSE));
        assertThat(account.observe(TWO_REGIONS)).isEqualTo(before);
        assertThat(f.store.activeSnapshotId()).isEmpty();

        f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        OperationReport dryResume = f.engine().run(request(Action.RESUME, true), ProgressListener.NONE);

        assertThat(outcomes(dryResume)).containsOnly(Map.entry("api", Outcome.WOULD_RESUME),
                Map.entry("worker", Outcome.WOULD_RESUME));
        assertThat(account.observe(TWO_REGIONS)).containsEntry("lambda-throttle:" + US + ":api", "reserved=0")
                .containsEntry("lambda-throttle:" + EU + ":worker", "reserved=0");
    }

    @Test
    void driftWhilePausedIsReportedAndLeftAsItIs() {
        account.lambdaFunction(US, "retuned", 5, Map.of());
        account.lambdaFunction(US, "gone", null, Map.of());
        account.lambdaFunction(US, "kept", 2, Map.of());
        f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        account.lambda(US).putFunctionConcurrency(b -> b.functionName("retuned").reservedConcurrentExecutions(3));
        account.lambda(US).deleteFunction(b -> b.functionName("gone"));

        OperationReport resume = f.engine().run(request(Action.RESUME, false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("retuned", Outcome.SKIPPED), Map.entry("gone", Outcome.SKIPPED),
                Map.entry("kept", Outcome.RESUMED));
        assertThat(reason(resume, "retuned")).startsWith("drift: reserved concurrency 3 was set since the pause")
                .contains("recorded reserved concurrency 5");
        assertThat(reason(resume, "gone")).startsWith("drift: function gone no longer exists");
        assertThat(resume.hasFailures()).isFalse();
        assertThat(account.observe(List.of(US))).containsEntry("lambda-throttle:" + US + ":retuned", "reserved=3")
                .containsEntry("lambda-throttle:" + US + ":kept", "reserved=2")
                .containsEntry("lambda-throttle:" + US + ":gone", "absent");
    }

    @Test
    void aFunctionLambdaRefusesToThrottleFailsAloneAndTheOthersArePaused() {
        account.lambdaFunction(US, "api", null, Map.of());
        // a function deleted between discovery and the pause: PutFunctionConcurrency answers ResourceNotFoundException
        Discovered phantom = new Discovered(ServiceKind.LAMBDA_THROTTLE, US, "vanished", "function", "vanished", Map.of(),
                new OriginalState.LambdaFunctionConcurrency("vanished", false, null), null);

        OperationReport pause = f.engine(p -> p.kind() == ServiceKind.LAMBDA_THROTTLE ? withPhantom(p, phantom) : p)
                .run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry("api", Outcome.PAUSED), Map.entry("vanished", Outcome.FAILED));
        assertThat(reason(pause, "vanished")).contains("ResourceNotFoundException").endsWith("not throttled");
        assertThat(pause.status()).isEqualTo("partial");
        assertThat(account.observe(List.of(US))).containsEntry("lambda-throttle:" + US + ":api", "reserved=0");
    }

    /** The real pauser, whose discovery also finds {@code extra}. */
    static ResourcePauser withPhantom(ResourcePauser real, Discovered extra) {
        return new ResourcePauser() {
            @Override
            public ServiceKind kind() {
                return real.kind();
            }

            @Override
            public List<Discovered> discover(String region, ResourceFilter filter) {
                List<Discovered> out = new ArrayList<>(real.discover(region, filter));
                if (region.equals(extra.region())) {
                    out.add(extra);
                }
                return out;
            }

            @Override
            public List<ResourceResult> pause(String region, List<Discovered> eligible) {
                return real.pause(region, eligible);
            }

            @Override
            public List<ResourceResult> resume(String region, List<PausedResource> resources, boolean dryRun) {
                return real.resume(region, resources, dryRun);
            }
        };
    }

    static Map<String, Outcome> outcomes(OperationReport report) {
        Map<String, Outcome> out = new HashMap<>();
        report.resources().forEach(r -> out.put(r.id(), r.outcome()));
        return out;
    }

    static String reason(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).map(ResourceResult::reason).findFirst().orElseThrow();
    }
}
