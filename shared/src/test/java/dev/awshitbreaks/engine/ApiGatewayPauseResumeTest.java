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
import dev.awshitbreaks.testing.ApiGatewayStageStub;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.apigatewayv2.model.RouteSettings;

/**
 * API Gateway stages: REST (apigateway) and HTTP and WebSocket (apigatewayv2), throttled to rate 0 and burst 0 and
 * restored exactly. moto holds REST method settings only in part and has no v2 UpdateStage, so every call goes
 * through {@link ApiGatewayStageStub} (labelled; everything else is moto's own). What is asserted is read back with
 * GetStage, as a user would see it.
 */
class ApiGatewayPauseResumeTest {
    private static final List<String> TWO_REGIONS = List.of("us-east-1", "eu-west-1");
    private static ApiGatewayStageStub stub;
    private EngineFixture f;
    private AwsClients viaStub;

    @BeforeAll
    static void startStub() {
        stub = ApiGatewayStageStub.start(MotoServer.get().endpoint());
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
        stub.reset();
        viaStub = new AwsClients(new AwsSettings(stub.endpoint(), "us-east-1", EngineFixture.TABLE, EngineFixture.BUCKET),
                MotoAccount.CREDENTIALS);
    }

    @AfterEach
    void tearDown() {
        viaStub.close();
    }

    private BrakeEngine engine() {
        return new BrakeEngine(viaStub, f.store, EngineFixture.FAST, Clock.systemUTC(), SecureRandom::new,
                BrakeEngine.pausers(viaStub, EngineFixture.FAST));
    }

    private static Request request(Action action, boolean dryRun) {
        return new Request(action, TWO_REGIONS, List.of("apigateway"), null, null, null, dryRun, null, null);
    }

    @Test
    void pauseThrottlesEveryStageToZeroAndResumeRestoresExactlyWhatItHadIncludingNothing() {
        String shop = restApi("us-east-1", "shop", Map.of());
        restStage("us-east-1", shop, "prod", Map.of("team", "web"));
        throttle("us-east-1", shop, "prod", "*/*", 100.0, 50);
        throttle("us-east-1", shop, "prod", "~1users/GET", 20.0, 10);
        String bare = restApi("eu-west-1", "bare", Map.of());
        restStage("eu-west-1", bare, "dev", Map.of()); // no method settings at all
        String http = v2Api("us-east-1", "pets", ProtocolType.HTTP);
        v2Stage("us-east-1", http, "$default", Map.of());
        v2Throttle("us-east-1", http, "$default", null, 200.0, 100);
        v2Throttle("us-east-1", http, "$default", "GET /pets", 5.0, 2);
        String ws = v2Api("eu-west-1", "chat", ProtocolType.WEBSOCKET);
        v2Stage("eu-west-1", ws, "live", Map.of()); // no throttling of its own

        OperationReport pause = engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("paused");
        assertThat(outcomes(pause)).containsOnly(Map.entry(shop + "/prod", Outcome.PAUSED), Map.entry(bare + "/dev", Outcome.PAUSED),
                Map.entry(http + "/$default", Outcome.PAUSED), Map.entry(ws + "/live", Outcome.PAUSED));
        assertThat(restThrottles("us-east-1", shop, "prod")).containsOnly(Map.entry("*/*", "0.0/0"), Map.entry("~1users/GET", "0.0/0"));
        assertThat(restThrottles("eu-west-1", bare, "dev")).containsOnly(Map.entry("*/*", "0.0/0"));
        assertThat(v2Throttles("us-east-1", http, "$default")).containsOnly(Map.entry("", "0.0/0"), Map.entry("GET /pets", "0.0/0"));
        assertThat(v2Throttles("eu-west-1", ws, "live")).containsOnly(Map.entry("", "0.0/0"));
        assertThat(pause.resources()).filteredOn(r -> r.id().equals(ws + "/live")).singleElement()
                .satisfies(r -> assertThat(r.type()).isEqualTo("websocket-api-stage"));
        assertThat(pause.resources()).filteredOn(r -> r.id().equals(shop + "/prod")).singleElement()
                .satisfies(r -> assertThat(r.type()).isEqualTo("rest-api-stage"));
        assertThat(f.store.records(pause.snapshotId(), "us-east-1", ServiceKind.APIGATEWAY))
                .filteredOn(r -> r.id().equals(shop + "/prod")).singleElement().satisfies(r -> {
                    assertThat(r.original()).containsEntry("apiType", "REST").containsEntry("stageName", "prod")
                            .containsEntry("stageDefault", Map.of("rateLimit", 100.0, "burstLimit", 50))
                            .containsEntry("overrides", Map.of("~1users/GET", Map.of("rateLimit", 20.0, "burstLimit", 10)))
                            .doesNotContainKey("accountDefault");
                    assertThat(r.tags()).containsEntry("team", "web");
                });
        assertThat(f.store.records(pause.snapshotId(), "eu-west-1", ServiceKind.APIGATEWAY))
                .filteredOn(r -> r.id().equals(ws + "/live")).singleElement().satisfies(r -> assertThat(r.original())
                        .containsEntry("stageDefault", Map.of())
                        .containsEntry("accountDefault", Map.of("rateLimit", 10000.0, "burstLimit", 5000)));
        assertThat(pause.resources()).allSatisfy(r -> assertThat(r.hourlyCost()).isNull());

        OperationReport resume = engine().run(request(Action.RESUME, false), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(outcomes(resume)).containsOnly(Map.entry(shop + "/prod", Outcome.RESUMED), Map.entry(bare + "/dev", Outcome.RESUMED),
                Map.entry(http + "/$default", Outcome.RESUMED), Map.entry(ws + "/live", Outcome.RESUMED));
        assertThat(restThrottles("us-east-1", shop, "prod")).containsOnly(Map.entry("*/*", "100.0/50"), Map.entry("~1users/GET", "20.0/10"));
        assertThat(restThrottles("eu-west-1", bare, "dev")).as("no stage-wide setting, as before the pause").isEmpty();
        assertThat(v2Throttles("us-east-1", http, "$default")).containsOnly(Map.entry("", "200.0/100"), Map.entry("GET /pets", "5.0/2"));
        assertThat(v2Throttles("eu-west-1", ws, "live")).as("AWS cannot unset a v2 limit: the account-level throttle it meant")
                .containsOnly(Map.entry("", "10000.0/5000"));
    }

    @Test
    void protectedStackAndAlreadyThrottledStagesAreSkippedWithTheirReasonAndLeftAlone() {
        String api = restApi("us-east-1", "shop", Map.of());
        restStage("us-east-1", api, "guarded", Map.of("aws-hit-breaks:protect", "true"));
        throttle("us-east-1", api, "guarded", "*/*", 100.0, 50);
        restStage("us-east-1", api, "stopped", Map.of());
        throttle("us-east-1", api, "stopped", "*/*", 0.0, 0);
        throttle("us-east-1", api, "stopped", "~1users/GET", 0.0, 0);
        restStage("us-east-1", api, "half", Map.of()); // stage-wide 0, but a method of its own still serves
        throttle("us-east-1", api, "half", "*/*", 0.0, 0);
        throttle("us-east-1", api, "half", "~1users/GET", 30.0, 3);
        String own = restApi("us-east-1", "brake-api", Map.of("aws-hit-breaks:stack", "brake"));
        restStage("us-east-1", own, "prod", Map.of());
        String http = v2Api("eu-west-1", "pets", ProtocolType.HTTP);
        v2Stage("eu-west-1", http, "stopped", Map.of());
        v2Throttle("eu-west-1", http, "stopped", null, 0.0, 0);

        OperationReport pause = engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry(api + "/guarded", Outcome.SKIPPED), Map.entry(api + "/stopped", Outcome.SKIPPED),
                Map.entry(api + "/half", Outcome.PAUSED), Map.entry(own + "/prod", Outcome.SKIPPED),
                Map.entry(http + "/stopped", Outcome.SKIPPED));
        assertThat(reason(pause, api + "/guarded")).contains("aws-hit-breaks:protect");
        assertThat(reason(pause, own + "/prod")).contains("aws-hit-breaks stack");
        assertThat(reason(pause, api + "/stopped")).startsWith("already throttled");
        assertThat(reason(pause, http + "/stopped")).startsWith("already throttled");
        assertThat(restThrottles("us-east-1", api, "guarded")).containsOnly(Map.entry("*/*", "100.0/50"));
        assertThat(restThrottles("us-east-1", own, "prod")).isEmpty();
        assertThat(restThrottles("us-east-1", api, "half")).containsOnly(Map.entry("*/*", "0.0/0"), Map.entry("~1users/GET", "0.0/0"));

        engine().run(request(Action.RESUME, false), ProgressListener.NONE);
        assertThat(restThrottles("us-east-1", api, "half")).containsOnly(Map.entry("*/*", "0.0/0"), Map.entry("~1users/GET", "30.0/3"));
    }

    @Test
    void anHttpApisDefaultStageIsExcludedByItsIdDollarSignIncluded() {
        String http = v2Api("us-east-1", "pets", ProtocolType.HTTP);
        v2Stage("us-east-1", http, "$default", Map.of());
        v2Throttle("us-east-1", http, "$default", null, 200.0, 100);

        OperationReport pause = engine().run(new Request(Action.PAUSE, List.of("us-east-1"), List.of("apigateway"), null, null,
                List.of(http + "/$default"), false, null, null), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry(http + "/$default", Outcome.SKIPPED));
        assertThat(reason(pause, http + "/$default")).isEqualTo("excluded by id");
        assertThat(v2Throttles("us-east-1", http, "$default")).containsOnly(Map.entry("", "200.0/100"));
    }

    @Test
    void dryRunsChangeNothing() {
        String api = restApi("us-east-1", "shop", Map.of());
        restStage("us-east-1", api, "prod", Map.of());
        throttle("us-east-1", api, "prod", "*/*", 100.0, 50);
        String http = v2Api("eu-west-1", "pets", ProtocolType.HTTP);
        v2Stage("eu-west-1", http, "live", Map.of());

        OperationReport dry = engine().run(request(Action.PAUSE, true), ProgressListener.NONE);
        assertThat(outcomes(dry)).containsOnly(Map.entry(api + "/prod", Outcome.WOULD_PAUSE), Map.entry(http + "/live", Outcome.WOULD_PAUSE));
        assertThat(restThrottles("us-east-1", api, "prod")).containsOnly(Map.entry("*/*", "100.0/50"));
        assertThat(v2Throttles("eu-west-1", http, "live")).isEmpty();

        engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        OperationReport dryResume = engine().run(request(Action.RESUME, true), ProgressListener.NONE);
        assertThat(outcomes(dryResume)).containsOnly(Map.entry(api + "/prod", Outcome.WOULD_RESUME),
                Map.entry(http + "/live", Outcome.WOULD_RESUME));
        assertThat(restThrottles("us-east-1", api, "prod")).containsOnly(Map.entry("*/*", "0.0/0"));
        assertThat(v2Throttles("eu-west-1", http, "live")).containsOnly(Map.entry("", "0.0/0"));
    }

    @Test
    void settingsChangedOrStagesDeletedWhilePausedAreReportedAsDriftAndLeftAsTheyAre() {
        String api = restApi("us-east-1", "shop", Map.of());
        restStage("us-east-1", api, "prod", Map.of());
        throttle("us-east-1", api, "prod", "*/*", 100.0, 50);
        throttle("us-east-1", api, "prod", "~1users/GET", 20.0, 10);
        restStage("us-east-1", api, "gone", Map.of());
        restStage("us-east-1", api, "logged", Map.of()); // no stage-wide setting; logging turned on in it while paused
        engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        throttle("us-east-1", api, "prod", "*/*", 7.0, 7);
        rest("us-east-1").deleteStage(b -> b.restApiId(api).stageName("gone"));
        rest("us-east-1").updateStage(b -> b.restApiId(api).stageName("logged").patchOperations(
                PatchOperation.builder().op(Op.REPLACE).path("/*/*/metrics/enabled").value("true").build()));

        OperationReport resume = engine().run(request(Action.RESUME, false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry(api + "/prod", Outcome.RESUMED), Map.entry(api + "/gone", Outcome.SKIPPED),
                Map.entry(api + "/logged", Outcome.RESUMED));
        assertThat(reason(resume, api + "/prod")).contains("drift").contains("rate 7.0 burst 7");
        assertThat(reason(resume, api + "/gone")).contains("drift").contains("no longer exists");
        assertThat(restThrottles("us-east-1", api, "prod")).containsOnly(Map.entry("*/*", "7.0/7"), Map.entry("~1users/GET", "20.0/10"));
        assertThat(restThrottles("us-east-1", api, "logged")).as("metrics kept; throttling back to the account's")
                .containsOnly(Map.entry("*/*", "10000.0/5000"));
    }

    @Test
    void aStageWhoseUpdateFailsOrIsNotReadBackFailsAloneAndStaysResumable() {
        String api = restApi("us-east-1", "shop", Map.of());
        restStage("us-east-1", api, "prod", Map.of());
        throttle("us-east-1", api, "prod", "*/*", 100.0, 50);
        String other = restApi("us-east-1", "other", Map.of());
        restStage("us-east-1", other, "prod", Map.of());
        Request pauseEast = new Request(Action.PAUSE, List.of("us-east-1"), List.of("apigateway"), null, null, null, false, null, null);
        Request resumeEast = new Request(Action.RESUME, List.of("us-east-1"), List.of("apigateway"), null, null, null, false, null, null);
        try (FaultProxy proxy = FaultProxy.builder(stub.endpoint()).start()) {
            proxy.respondInstead(c -> c.method().equals("PATCH") && c.path().equals("/restapis/" + api + "/stages/prod"),
                    1, c -> new FaultProxy.Answer(400, "application/json",
                            "{\"__type\":\"BadRequestException\",\"message\":\"Invalid patch path\"}"));
            proxy.respondInstead(c -> c.method().equals("PATCH") && c.path().equals("/restapis/" + other + "/stages/prod"),
                    1, c -> new FaultProxy.Answer(200, "application/json", "{\"stageName\":\"prod\"}"));
            OperationReport pause = f.engineThrough(proxy).run(pauseEast, ProgressListener.NONE);
            assertThat(outcomes(pause)).containsOnly(Map.entry(api + "/prod", Outcome.FAILED), Map.entry(other + "/prod", Outcome.FAILED));
            assertThat(reason(pause, api + "/prod")).contains("BadRequestException");
            assertThat(reason(pause, other + "/prod")).contains("GetStage shows throttling not at 0");
            assertThat(restThrottles("us-east-1", api, "prod")).containsOnly(Map.entry("*/*", "100.0/50"));

            OperationReport again = f.engineThrough(proxy).run(pauseEast, ProgressListener.NONE);
            assertThat(outcomes(again)).containsOnly(Map.entry(api + "/prod", Outcome.PAUSED), Map.entry(other + "/prod", Outcome.PAUSED));

            proxy.respondInstead(c -> c.method().equals("PATCH") && c.path().equals("/restapis/" + api + "/stages/prod"),
                    1, c -> new FaultProxy.Answer(200, "application/json", "{\"stageName\":\"prod\"}"));
            OperationReport resume = f.engineThrough(proxy).run(resumeEast, ProgressListener.NONE);
            assertThat(outcomes(resume)).containsOnly(Map.entry(api + "/prod", Outcome.FAILED), Map.entry(other + "/prod", Outcome.RESUMED));
            assertThat(reason(resume, api + "/prod")).contains("GetStage shows").contains("stays resumable");
            assertThat(restThrottles("us-east-1", other, "prod")).isEmpty();

            OperationReport retry = f.engineThrough(proxy).run(resumeEast, ProgressListener.NONE);
            assertThat(outcomes(retry)).containsOnly(Map.entry(api + "/prod", Outcome.RESUMED));
            assertThat(restThrottles("us-east-1", api, "prod")).containsOnly(Map.entry("*/*", "100.0/50"));
        }
    }

    // ---------------------------------------------------------------- seeding and reading, through the SDK (via the stub)

    private ApiGatewayClient rest(String region) {
        return viaStub.apiGateway(region);
    }

    private ApiGatewayV2Client v2(String region) {
        return viaStub.apiGatewayV2(region);
    }

    private String restApi(String region, String name, Map<String, String> tags) {
        String id = rest(region).createRestApi(b -> b.name(name).tags(tags)).id();
        String root = rest(region).getResources(b -> b.restApiId(id)).items().get(0).id();
        rest(region).putMethod(b -> b.restApiId(id).resourceId(root).httpMethod("GET").authorizationType("NONE"));
        rest(region).putIntegration(b -> b.restApiId(id).resourceId(root).httpMethod("GET").type("MOCK"));
        return id;
    }

    private void restStage(String region, String api, String stage, Map<String, String> tags) {
        String deployment = rest(region).createDeployment(b -> b.restApiId(api)).id();
        rest(region).createStage(b -> b.restApiId(api).stageName(stage).deploymentId(deployment).tags(tags));
    }

    private void throttle(String region, String api, String stage, String key, double rate, int burst) {
        rest(region).updateStage(b -> b.restApiId(api).stageName(stage).patchOperations(
                PatchOperation.builder().op(Op.REPLACE).path("/" + key + "/throttling/rateLimit").value(Double.toString(rate)).build(),
                PatchOperation.builder().op(Op.REPLACE).path("/" + key + "/throttling/burstLimit").value(Integer.toString(burst)).build()));
    }

    private String v2Api(String region, String name, ProtocolType protocol) {
        return v2(region).createApi(b -> b.name(name).protocolType(protocol)
                .routeSelectionExpression(protocol == ProtocolType.WEBSOCKET ? "$request.body.action" : null)).apiId();
    }

    private void v2Stage(String region, String api, String stage, Map<String, String> tags) {
        v2(region).createStage(b -> b.apiId(api).stageName(stage).tags(tags));
    }

    /** The stage's default (routeKey null) or a route's throttling. */
    private void v2Throttle(String region, String api, String stage, String routeKey, double rate, int burst) {
        RouteSettings s = RouteSettings.builder().throttlingRateLimit(rate).throttlingBurstLimit(burst).build();
        v2(region).updateStage(b -> {
            b.apiId(api).stageName(stage);
            if (routeKey == null) {
                b.defaultRouteSettings(s);
            } else {
                b.routeSettings(Map.of(routeKey, s));
            }
        });
    }

    /** Each method setting's "rate/burst", by key. */
    private Map<String, String> restThrottles(String region, String api, String stage) {
        Map<String, String> out = new TreeMap<>();
        rest(region).getStage(b -> b.restApiId(api).stageName(stage)).methodSettings()
                .forEach((k, m) -> out.put(k, m.throttlingRateLimit() + "/" + m.throttlingBurstLimit()));
        return out;
    }

    /** The default's ("" key) and each route's "rate/burst", where set. */
    private Map<String, String> v2Throttles(String region, String api, String stage) {
        Map<String, String> out = new TreeMap<>();
        var s = v2(region).getStage(b -> b.apiId(api).stageName(stage));
        RouteSettings d = s.defaultRouteSettings();
        if (d != null && (d.throttlingRateLimit() != null || d.throttlingBurstLimit() != null)) {
            out.put("", d.throttlingRateLimit() + "/" + d.throttlingBurstLimit());
        }
        s.routeSettings().forEach((k, r) -> out.put(k, r.throttlingRateLimit() + "/" + r.throttlingBurstLimit()));
        return out;
    }

    private static Map<String, Outcome> outcomes(OperationReport report) {
        Map<String, Outcome> out = new TreeMap<>();
        report.resources().stream().filter(r -> r.service() == ServiceKind.APIGATEWAY).forEach(r -> out.put(r.id(), r.outcome()));
        return out;
    }

    private static String reason(OperationReport report, String id) {
        List<String> reasons = new ArrayList<>();
        report.resources().stream().filter(r -> r.id().equals(id)).map(ResourceResult::reason).forEach(reasons::add);
        return String.valueOf(reasons.isEmpty() ? null : reasons.get(0));
    }
}
