package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Lambda provisioned concurrency. moto lacks that API, so most cases run the engine against
 * {@link ProvisionedConcurrencyStub} (a stub of those four calls, everything else forwarded to moto); the
 * last case runs against plain moto to prove an endpoint without the API is a skip, not a failure.
 */
class LambdaConcurrencyPauseResumeTest {
    private static final List<String> TWO_REGIONS = List.of("us-east-1", "eu-west-1");
    private static ProvisionedConcurrencyStub stub;
    private EngineFixture f;
    private AwsClients viaStub;
    private String role;

    @BeforeAll
    static void startStub() {
        stub = ProvisionedConcurrencyStub.start(MotoServer.get().endpoint());
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        f = new EngineFixture();
        stub.reset();
        viaStub = new AwsClients(new AwsSettings(stub.endpoint(), "us-east-1", EngineFixture.TABLE, EngineFixture.BUCKET),
                MotoAccount.CREDENTIALS);
        role = createRole("hit-breaks-test-lambda");
    }

    @AfterEach
    void tearDown() {
        viaStub.close();
    }

    /** The real engine and pausers, with every Lambda call going through the stub; snapshots in moto. */
    private BrakeEngine engine() {
        return new BrakeEngine(viaStub, f.store, EngineFixture.FAST, Clock.systemUTC(), SecureRandom::new,
                BrakeEngine.pausers(viaStub, EngineFixture.FAST));
    }

    private static Request request(Action action, boolean dryRun) {
        return new Request(action, TWO_REGIONS, List.of("lambda"), null, null, null, dryRun, null, null);
    }

    @Test
    void pauseDeletesConfigsOnAliasAndVersionAndResumePutsThemBackWithTheSameCounts() {
        function("us-east-1", "api", Map.of("team", "web"));
        lambda("us-east-1").createAlias(b -> b.functionName("api").name("live").functionVersion("1"));
        provision("us-east-1", "api", "live", 5);
        function("eu-west-1", "worker", Map.of());
        provision("eu-west-1", "worker", "1", 3);
        function("us-east-1", "plain", Map.of()); // no provisioned concurrency: nothing to pause
        function("eu-west-1", "guarded", Map.of("aws-hit-breaks:protect", "true"));
        provision("eu-west-1", "guarded", "1", 2);

        OperationReport pause = engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("paused");
        assertThat(outcomes(pause)).containsOnly(Map.entry("api:live", Outcome.PAUSED),
                Map.entry("worker:1", Outcome.PAUSED), Map.entry("guarded:1", Outcome.SKIPPED));
        assertThat(reason(pause, "guarded:1")).contains("aws-hit-breaks:protect");
        assertThat(configs("us-east-1", "api")).isEmpty();
        assertThat(configs("eu-west-1", "worker")).isEmpty();
        assertThat(configs("eu-west-1", "guarded")).containsExactly(Map.entry("1", 2));
        assertThat(f.store.records(pause.snapshotId(), "us-east-1", ServiceKind.LAMBDA)).singleElement().satisfies(r -> {
            assertThat(r.original()).containsExactly(Map.entry("functionName", "api"), Map.entry("qualifier", "live"),
                    Map.entry("requestedProvisionedConcurrentExecutions", 5));
            assertThat(r.type()).isEqualTo("provisioned-concurrency");
            assertThat(r.tags()).containsEntry("team", "web");
        });

        OperationReport resume = engine().run(new Request(Action.RESUME, TWO_REGIONS, List.of("lambda"), null, null, null,
                false, null, null), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(outcomes(resume)).containsOnly(Map.entry("api:live", Outcome.RESUMED), Map.entry("worker:1", Outcome.RESUMED));
        assertThat(configs("us-east-1", "api")).containsExactly(Map.entry("live", 5));
        assertThat(configs("eu-west-1", "worker")).containsExactly(Map.entry("1", 3));
        assertThat(configs("us-east-1", "plain")).isEmpty();
        assertThat(f.store.activeSnapshotId()).isEmpty();
    }

    @Test
    void functionDeletedWhilePausedIsReportedAsDriftAndNotRecreated() {
        function("us-east-1", "gone", Map.of());
        provision("us-east-1", "gone", "1", 4);
        function("us-east-1", "kept", Map.of());
        provision("us-east-1", "kept", "1", 2);
        engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        lambda("us-east-1").deleteFunction(b -> b.functionName("gone"));

        OperationReport resume = engine().run(request(Action.RESUME, false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("gone:1", Outcome.SKIPPED), Map.entry("kept:1", Outcome.RESUMED));
        assertThat(reason(resume, "gone:1")).startsWith("drift:").contains("no longer exists");
        assertThat(resume.hasFailures()).isFalse();
        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(configs("us-east-1", "kept")).containsExactly(Map.entry("1", 2));
    }

    @Test
    void aConfigurationStillBeingAllocatedIsSkippedAfterABoundedWait() {
        function("us-east-1", "api", Map.of());
        provision("us-east-1", "api", "1", 5);
        stub.setStatus("us-east-1", "api", "1", "IN_PROGRESS");

        long start = System.nanoTime();
        OperationReport pause = engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(outcomes(pause)).containsOnly(Map.entry("api:1", Outcome.SKIPPED));
        assertThat(reason(pause, "api:1")).contains("still IN_PROGRESS after waiting 2s");
        assertThat(waitedMs).as("waited the configured 2s, not forever").isBetween(2_000L, 20_000L);
        assertThat(configs("us-east-1", "api")).containsExactly(Map.entry("1", 5));
    }

    @Test
    void dryRunsChangeNothing() {
        function("us-east-1", "api", Map.of());
        provision("us-east-1", "api", "1", 5);

        OperationReport dry = engine().run(request(Action.PAUSE, true), ProgressListener.NONE);

        assertThat(outcomes(dry)).containsOnly(Map.entry("api:1", Outcome.WOULD_PAUSE));
        assertThat(configs("us-east-1", "api")).containsExactly(Map.entry("1", 5));

        engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        OperationReport dryResume = engine().run(request(Action.RESUME, true), ProgressListener.NONE);

        assertThat(outcomes(dryResume)).containsOnly(Map.entry("api:1", Outcome.WOULD_RESUME));
        assertThat(configs("us-east-1", "api")).isEmpty();
    }

    @Test
    void againstPlainMotoWithoutTheApiTheLambdaTargetIsSkippedWithAReasonAndNothingFails() {
        LambdaClient moto = f.clients.lambda("us-east-1");
        moto.createFunction(b -> b.functionName("api").runtime("python3.12").handler("index.handler").role(role)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip()))).publish(true));

        OperationReport pause = f.engine().run(new Request(Action.PAUSE, List.of("us-east-1"), List.of("lambda"), null, null,
                null, false, null, null), ProgressListener.NONE);

        assertThat(pause.hasFailures()).isFalse();
        assertThat(pause.failedTargets()).isEmpty();
        assertThat(pause.resources()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(r.service()).isEqualTo(ServiceKind.LAMBDA);
            assertThat(r.id()).isEqualTo("*");
            assertThat(r.reason()).contains("does not implement the provisioned-concurrency API").contains("HTTP 404")
                    .contains("us-east-1");
        });
        assertThat(f.store.records(pause.snapshotId(), null, null)).isEmpty();
    }

    /**
     * An outcome is what was read back (ListProvisionedConcurrencyConfigs), not what Lambda acknowledged. A proxy in
     * front of the stub acknowledges a delete or a put without passing it on, and then answers the read-back with the
     * FAILED status and StatusReason Lambda gives a configuration it could not allocate.
     */
    @Test
    void aDeleteOrPutThatIsAcknowledgedButNotReadBackIsFailedWithLambdasReasonAndStaysResumable() {
        function("us-east-1", "api", Map.of());
        provision("us-east-1", "api", "1", 5);
        function("us-east-1", "worker", Map.of());
        provision("us-east-1", "worker", "1", 3);
        Request pauseEast = new Request(Action.PAUSE, List.of("us-east-1"), List.of("lambda"), null, null, null, false, null, null);
        Request resumeEast = new Request(Action.RESUME, List.of("us-east-1"), List.of("lambda"), null, null, null, false, null, null);
        try (dev.awshitbreaks.testing.FaultProxy proxy = dev.awshitbreaks.testing.FaultProxy.builder(stub.endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("DeleteProvisionedConcurrencyConfig") && c.path().contains("/functions/api/"),
                    1, c -> new dev.awshitbreaks.testing.FaultProxy.Answer(204, "application/json", ""));
            OperationReport pause = f.engineThrough(proxy).run(pauseEast, ProgressListener.NONE);
            assertThat(outcomes(pause)).containsOnly(Map.entry("api:1", Outcome.FAILED), Map.entry("worker:1", Outcome.PAUSED));
            assertThat(reason(pause, "api:1")).contains("still shows it (5, READY)");
            assertThat(configs("us-east-1", "api")).containsExactly(Map.entry("1", 5));

            proxy.respondInstead(c -> c.operation().equals("PutProvisionedConcurrencyConfig") && c.path().contains("/functions/worker/"),
                    1, c -> new dev.awshitbreaks.testing.FaultProxy.Answer(202, "application/json",
                            "{\"RequestedProvisionedConcurrentExecutions\":3,\"Status\":\"IN_PROGRESS\"}"));
            OperationReport resume = f.engineThrough(proxy).run(resumeEast, ProgressListener.NONE);
            assertThat(outcomes(resume)).containsEntry("worker:1", Outcome.FAILED).containsEntry("api:1", Outcome.RESUMED);
            assertThat(reason(resume, "worker:1")).contains("shows no configuration");

            String statusReason = "FUNCTION_ERROR_INIT_FAILURE: the function's initialization code failed";
            proxy.respondInstead(c -> c.operation().equals("ListProvisionedConcurrencyConfigs") && c.path().contains("/functions/worker/"),
                    1, c -> new dev.awshitbreaks.testing.FaultProxy.Answer(200, "application/json",
                            "{\"ProvisionedConcurrencyConfigs\":[{\"FunctionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:worker:1\","
                                    + "\"RequestedProvisionedConcurrentExecutions\":3,\"AvailableProvisionedConcurrentExecutions\":0,"
                                    + "\"AllocatedProvisionedConcurrentExecutions\":0,\"Status\":\"FAILED\",\"StatusReason\":\""
                                    + statusReason + "\"}]}"));
            OperationReport failed = f.engineThrough(proxy).run(resumeEast, ProgressListener.NONE);
            assertThat(outcomes(failed)).containsOnly(Map.entry("worker:1", Outcome.FAILED));
            assertThat(reason(failed, "worker:1")).contains("FAILED: " + statusReason);
            assertThat(f.store.records(pause.snapshotId(), "us-east-1", ServiceKind.LAMBDA))
                    .filteredOn(r -> r.id().equals("worker:1")).singleElement().matches(SnapshotRecord::needsResume);

            OperationReport retry = f.engineThrough(proxy).run(resumeEast, ProgressListener.NONE);
            assertThat(outcomes(retry)).containsOnly(Map.entry("worker:1", Outcome.RESUMED));
            assertThat(configs("us-east-1", "worker")).containsExactly(Map.entry("1", 3));
        }
    }

    // ---------------------------------------------------------------- seeding and reading, through the SDK

    private LambdaClient lambda(String region) {
        return viaStub.lambda(region);
    }

    /** A function with version 1 published. */
    private void function(String region, String name, Map<String, String> tags) {
        lambda(region).createFunction(b -> b.functionName(name).runtime("python3.12").handler("index.handler").role(role)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip()))).publish(true).tags(tags));
    }

    private void provision(String region, String name, String qualifier, int count) {
        lambda(region).putProvisionedConcurrencyConfig(b -> b.functionName(name).qualifier(qualifier)
                .provisionedConcurrentExecutions(count));
    }

    /** Qualifier -> requested count, as ListProvisionedConcurrencyConfigs reports them. */
    private Map<String, Integer> configs(String region, String name) {
        Map<String, Integer> out = new TreeMap<>();
        lambda(region).listProvisionedConcurrencyConfigsPaginator(b -> b.functionName(name)).provisionedConcurrencyConfigs()
                .forEach(c -> out.put(c.functionArn().substring(c.functionArn().lastIndexOf(':') + 1),
                        c.requestedProvisionedConcurrentExecutions()));
        return out;
    }

    private static byte[] zip() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(bytes)) {
                z.putNextEntry(new ZipEntry("index.py"));
                z.write("def handler(event, context):\n    return event\n".getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates an IAM role in moto (which checks a function's role exists) with a raw IAM Query call: the
     * IAM SDK module is not a dependency of this project. moto does not check the signature.
     */
    private String createRole(String name) throws Exception {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        String form = "Action=CreateRole&Version=2010-05-08&RoleName=" + name + "&AssumeRolePolicyDocument="
                + URLEncoder.encode(policy, StandardCharsets.UTF_8);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.moto.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, "
                        + "SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("moto CreateRole: %s", r.body()).isEqualTo(200);
        return "arn:aws:iam::123456789012:role/" + name;
    }

    private static Map<String, Outcome> outcomes(OperationReport report) {
        Map<String, Outcome> out = new HashMap<>();
        report.resources().forEach(r -> out.put(r.id(), r.outcome()));
        return out;
    }

    private static String reason(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).map(ResourceResult::reason).findFirst().orElseThrow();
    }
}
