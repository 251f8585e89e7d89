package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.SnapshotNotFoundException;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.RecordingProxy;
import dev.awshitbreaks.testing.ProjectTools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handlers, fed the sample events in events/, over the real engine against moto. */
class HandlersTest {
    private static final String SNAPSHOT = "pause-20261125-181921-3fa9c1"; // the id the sample events use
    private MotoAccount account;
    private BrakeEngine engine;
    /** Each function's own engine, calling AWS through a recording proxy (its calls are checked against its role). */
    private final java.util.Map<String, BrakeEngine> functionEngines = new java.util.HashMap<>();
    private final List<AutoCloseable> recording = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        account = new MotoAccount(moto.endpoint());
        AwsClients clients = new AwsClients(new AwsSettings(moto.endpoint(), "us-east-1", "handlers-test", "handlers-test-bucket"),
                MotoAccount.CREDENTIALS);
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), "us-east-1");
        storage.createTable("handlers-test");
        storage.createBucket("handlers-test-bucket", false);
        engine = BrakeEngine.create(clients, EngineSettings.defaults());
    }

    @org.junit.jupiter.api.AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : recording) {
            c.close();
        }
    }

    private BrakeEngine engineOf(String function) {
        return functionEngines.computeIfAbsent(function, f -> {
            RecordingProxy proxy = RecordingProxy.forFunction(f, MotoServer.get().endpoint());
            AwsClients own = new AwsClients(new AwsSettings(proxy.endpoint(), "us-east-1", "handlers-test", "handlers-test-bucket"),
                    MotoAccount.CREDENTIALS);
            recording.add(own);
            recording.add(proxy);
            return BrakeEngine.create(own, EngineSettings.defaults());
        });
    }

    private static String event(String name) throws IOException {
        return Files.readString(ProjectTools.root().resolve("events").resolve(name));
    }

    private static JsonNode invoke(RequestStreamHandler handler, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.mapper().readTree(out.toByteArray());
    }

    @Test
    void planEventsArePlannedIntoTheirTargets() throws IOException {
        PlanHandler plan = new PlanHandler(engineOf("Plan"));

        JsonNode discover = invoke(plan, event("plan-discover.json"));
        assertThat(discover.path("operationId").asText()).startsWith("discover-");
        assertThat(discover.path("targets")).hasSizeGreaterThan(2); // "all": every region moto reports
        assertThat(discover.has("snapshotId")).as("null fields are written: the ASL selects them").isTrue();

        JsonNode dry = invoke(plan, event("plan-dry-run.json"));
        assertThat(dry.path("operationId").asText()).startsWith("dryrun-");
        assertThat(dry.path("dryRun").asBoolean()).isTrue();

        JsonNode pause = invoke(plan, event("plan-pause.json"));
        assertThat(pause.path("operationId").asText()).startsWith("pause-");
        assertThat(pause.path("snapshotId").asText()).isEqualTo(pause.path("operationId").asText());
        assertThat(pause.path("targets").findValuesAsText("region")).containsExactlyInAnyOrder("us-east-1", "eu-west-1");
    }

    @Test
    void targetAndSummarizeEventsPauseResumeAndReportTheCaughtFailure() throws IOException {
        String east = account.runInstance("us-east-1", "t3.micro");
        String west = account.runInstance("eu-west-1", "t3.micro");
        // what the plan step would have written for the snapshot the events name
        Request request = Request.fromJson(event("plan-pause.json")).validated();
        engine.store().putHeader(new OperationHeader(SNAPSHOT, Action.PAUSE, false, OperationHeader.PAUSING, "manual",
                request, Instant.now(), Instant.now(), null));

        ObjectNode targetEast = (ObjectNode) Json.mapper().readTree(event("target-pause.json"));
        ((ObjectNode) targetEast.path("target")).put("region", "us-east-1");
        JsonNode paused = invoke(new TargetHandler(engineOf("Target")), Json.write(targetEast));
        assertThat(paused.path("counts").path("paused").asInt()).isEqualTo(1);
        assertThat(account.state("us-east-1", east)).isEqualTo("stopped");

        JsonNode summary = invoke(new SummarizeHandler(engineOf("Summarize")), event("summarize.json"));
        assertThat(summary.path("status").asText()).isEqualTo("partial");
        assertThat(summary.path("counts").path("paused").asInt()).isEqualTo(1);
        assertThat(summary.path("failedTargets").get(0).path("region").asText()).isEqualTo("eu-west-1");
        assertThat(summary.path("failedTargets").get(0).path("error").asText())
                .isEqualTo("java.lang.IllegalStateException: eu-west-1 is unreachable");
        assertThat(summary.path("snapshotKey").asText()).isEqualTo("snapshots/" + SNAPSHOT + ".json");
        assertThat(account.state("eu-west-1", west)).as("the failed target changed nothing").isEqualTo("running");

        JsonNode resumed = invoke(new TargetHandler(engineOf("Target")), event("target-resume.json"));
        assertThat(resumed.path("counts").path("resumed").asInt()).isEqualTo(1);
        assertThat(account.state("us-east-1", east)).isEqualTo("running");
    }

    @Test
    void theReadinessEventReportsWhetherTheResumedDatabasesAreAvailable() throws IOException {
        JsonNode readiness = invoke(new ReadinessHandler(engineOf("Readiness")), event("readiness.json"));
        assertThat(readiness.path("ready").asBoolean()).as("no database was started").isTrue();
        assertThat(readiness.path("pending")).isEmpty();
        assertThat(readiness.path("checks").asInt()).as("counts the checks made").isEqualTo(1);
    }

    @Test
    void planErrorsAreTheNamedExceptionsTheStateMachineCatches() {
        PlanHandler plan = new PlanHandler(engineOf("Plan"));
        assertThatThrownBy(() -> invoke(plan, event("plan-resume-snapshot.json")))
                .isInstanceOf(SnapshotNotFoundException.class).hasMessageContaining(SNAPSHOT);
        assertThatThrownBy(() -> invoke(plan, "{\"action\":\"explode\"}"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("explode");
        assertThatThrownBy(() -> invoke(plan, "{\"action\":\"pause\",\"regions\":[\"us-east-1\"],\"colour\":\"red\"}"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> invoke(plan, "not json"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not valid JSON");
        assertThat(engine.store().headers()).as("nothing was planned").isEmpty();
    }

    @Test
    void theEnvironmentNamesWhatIsMissing() {
        assertThatThrownBy(() -> FunctionEnvironment.settings(java.util.Map.of("SNAPSHOT_BUCKET", "b", "AWS_REGION", "us-east-1")))
                .hasMessageContaining("SNAPSHOT_TABLE");
        var s = FunctionEnvironment.settings(java.util.Map.of("SNAPSHOT_TABLE", "t", "SNAPSHOT_BUCKET", "b", "AWS_REGION", "eu-west-1",
                "HITBREAKS_ENDPOINT_URL", "http://127.0.0.1:5000"));
        assertThat(s.stateRegion()).isEqualTo("eu-west-1");
        assertThat(s.endpoint()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(5000));
        assertThat(List.of(s.tableName(), s.bucketName())).containsExactly("t", "b");
        assertThat(FunctionEnvironment.engineSettings(java.util.Map.of()).transitionalWait()).hasSeconds(120);
        assertThat(FunctionEnvironment.engineSettings(java.util.Map.of("HITBREAKS_TRANSITIONAL_WAIT_SECONDS", "30"))
                .transitionalWait()).hasSeconds(30);
        assertThatThrownBy(() -> FunctionEnvironment.engineSettings(java.util.Map.of("HITBREAKS_TRANSITIONAL_WAIT_SECONDS", "soon")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("soon");
    }

    /**
     * A still-billing target through the Target handler, its calls recorded for the Target role (scripts/iam_coverage.py):
     * every lister of the default discovery runs, read-only; here a load balancer and a cache cluster are seeded and
     * come back as still-billing rows, unchanged.
     */
    @Test
    void aStillBillingTargetListsWhatStillBillsAndChangesNothing() throws IOException {
        AwsClients seed = new AwsClients(new AwsSettings(MotoServer.get().endpoint(), "us-east-1", "handlers-test",
                "handlers-test-bucket"), MotoAccount.CREDENTIALS);
        recording.add(seed);
        var ec2 = seed.ec2("us-east-1");
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        seed.elasticLoadBalancingV2("us-east-1").call("CreateLoadBalancer", java.util.Map.of("Name", "web", "Subnets.member.1", subnet));
        seed.elastiCache("us-east-1").call("CreateCacheCluster", java.util.Map.of("CacheClusterId", "sessions", "Engine", "redis",
                "CacheNodeType", "cache.t3.micro", "NumCacheNodes", "1"));

        ObjectNode target = (ObjectNode) Json.mapper().readTree(event("target-pause.json"));
        target.put("operationId", "discover-20261125-181921-3fa9c1").putNull("snapshotId").put("action", "discover");
        ((ObjectNode) target.path("request")).put("action", "discover").putArray("services").add("still-billing");
        ((ObjectNode) target.path("target")).put("region", "us-east-1").put("service", "still-billing");
        JsonNode listed = invoke(new TargetHandler(engineOf("Target")), Json.write(target));

        assertThat(listed.path("counts").path("still-billing").asInt()).as(listed.toString()).isEqualTo(2);
        assertThat(listed.path("counts").path("failed").asInt()).as("every lister answered: " + listed).isZero();
        String clusters = seed.elastiCache("us-east-1").call("DescribeCacheClusters", java.util.Map.of()).getDocumentElement()
                .getTextContent();
        assertThat(clusters).as("the cluster is as it was").contains("sessions").contains("available");
    }
}
