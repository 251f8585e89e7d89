package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.EngineLog;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.engine.ProgressListener;
import dev.awshitbreaks.restop.RdsRestopper;
import dev.awshitbreaks.restop.RestopFailedException;
import dev.awshitbreaks.restop.RestopSettings;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;

/**
 * The seven-day trap, against moto: a real pause through the engine records the databases, RDS's automatic start
 * is simulated with StartDBInstance/StartDBCluster (moto has no transitional states: the database is available at
 * once), and the sample EventBridge events in events/ are fed to the handler.
 */
class RestopHandlerTest {
    private static final String REGION = "us-east-1";
    private static final String TABLE = "restop-test";
    private static final String BUCKET = "restop-test-bucket";
    private static final String PASSWORD = "correct-horse-battery";
    private static final RestopSettings FAST = new RestopSettings(Duration.ofSeconds(5), Duration.ofMillis(20));

    private MotoServer moto;
    private AwsClients clients;
    private BrakeEngine engine;
    /** The handler's own clients and store: its calls go through a recording proxy, checked against RestopFunctionRole. */
    private RecordingProxy recording;
    private AwsClients restopClients;
    private BrakeEngine restopEngine;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        moto = MotoServer.get();
        moto.reset();
        clients = new AwsClients(new AwsSettings(moto.endpoint(), REGION, TABLE, BUCKET), MotoAccount.CREDENTIALS);
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), REGION);
        storage.createTable(TABLE);
        storage.createBucket(BUCKET, false);
        engine = BrakeEngine.create(clients, new EngineSettings(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofHours(1), 4));
        recording = RecordingProxy.forFunction("Restop", moto.endpoint());
        restopClients = new AwsClients(new AwsSettings(recording.endpoint(), REGION, TABLE, BUCKET), MotoAccount.CREDENTIALS);
        restopEngine = BrakeEngine.create(restopClients, EngineSettings.defaults());
    }

    @org.junit.jupiter.api.AfterEach
    void tearDown() {
        restopClients.close();
        recording.close();
        clients.close();
    }

    // ---------------------------------------------------------------- paused: stopped again

    @Test
    void aPausedInstanceThatRdsStartedAfterSevenDaysIsStoppedAgain() throws IOException {
        instance("orders-db");
        instance("billing-db");
        OperationReport pause = pause();
        rds().startDBInstance(b -> b.dbInstanceIdentifier("orders-db")); // what RDS does after seven days
        rds().startDBInstance(b -> b.dbInstanceIdentifier("billing-db"));

        JsonNode out = invoke(handler(), event("rds-event-0154-instance.json"));

        assertThat(out.path("action").asText()).isEqualTo("stopped");
        assertThat(out.path("service").asText()).isEqualTo("rds");
        assertThat(out.path("id").asText()).isEqualTo("orders-db");
        assertThat(out.path("snapshotId").asText()).isEqualTo(pause.snapshotId());
        assertThat(instanceStatus("orders-db")).isEqualTo("stopped");
        assertThat(instanceStatus("billing-db")).as("only the database the event names").isEqualTo("available");
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("restop stopped rds us-east-1/orders-db"));
    }

    @Test
    void aPausedClusterThatRdsStartedAfterSevenDaysIsStoppedAgain() throws IOException {
        cluster("catalog");
        OperationReport pause = pause();
        rds().startDBCluster(b -> b.dbClusterIdentifier("catalog"));

        JsonNode out = invoke(handler(), event("rds-event-0153-cluster.json"));

        assertThat(out.path("action").asText()).isEqualTo("stopped");
        assertThat(out.path("service").asText()).isEqualTo("aurora");
        assertThat(out.path("snapshotId").asText()).isEqualTo(pause.snapshotId());
        assertThat(clusterStatus("catalog")).isEqualTo("stopped");
    }

    @Test
    void theDatabaseIsFoundInTheRegionOfItsSourceArnWhateverTheEnvelopeSays() throws IOException {
        cluster("catalog");
        pause();
        rds().startDBCluster(b -> b.dbClusterIdentifier("catalog"));
        ObjectNode forwarded = variant("rds-event-0153-cluster.json");
        forwarded.put("region", "eu-west-1"); // as if forwarded from another region's bus and rewritten

        JsonNode out = invoke(handler(), Json.write(forwarded));

        assertThat(out.path("action").asText()).isEqualTo("stopped");
        assertThat(out.path("region").asText()).isEqualTo(REGION);
        assertThat(clusterStatus("catalog")).isEqualTo("stopped");
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("restop note:").contains("'eu-west-1'"));
    }

    @Test
    void aDatabaseStillStartingIsWaitedForUntilAvailableThenStopped() throws IOException {
        instance("orders-db");
        pause();
        rds().startDBInstance(b -> b.dbInstanceIdentifier("orders-db"));
        AtomicInteger starting = new AtomicInteger(3); // RDS answers "starting" three times, then "available"

        JsonNode out = invoke(handler(region -> startingFor(region, starting), FAST), event("rds-event-0154-instance.json"));

        assertThat(out.path("action").asText()).isEqualTo("stopped");
        assertThat(starting.get()).isNegative();
        assertThat(instanceStatus("orders-db")).isEqualTo("stopped");
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("restop waiting:").contains("is starting"));
    }

    @Test
    void aPausedDatabaseStillStartingAfterTheWaitIsANamedFailureAndIsNotStopped() {
        instance("orders-db");
        pause();
        rds().startDBInstance(b -> b.dbInstanceIdentifier("orders-db"));
        AtomicInteger forever = new AtomicInteger(Integer.MAX_VALUE);
        RestopHandler handler = handler(region -> startingFor(region, forever),
                new RestopSettings(Duration.ofMillis(200), Duration.ofMillis(20)));

        assertThatThrownBy(() -> invoke(handler, event("rds-event-0154-instance.json")))
                .isInstanceOf(RestopFailedException.class)
                .hasMessageContaining("orders-db").hasMessageContaining("still starting after waiting");
        assertThat(instanceStatus("orders-db")).isEqualTo("available");
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("restop failed rds us-east-1/orders-db"));
    }

    @Test
    void aRepeatedEventForADatabaseAlreadyStoppedAgainChangesNothing() throws IOException {
        instance("orders-db");
        pause();
        rds().startDBInstance(b -> b.dbInstanceIdentifier("orders-db"));
        invoke(handler(), event("rds-event-0154-instance.json"));

        JsonNode again = invoke(handler(), event("rds-event-0154-instance.json"));

        assertThat(again.path("action").asText()).isEqualTo("already-stopped");
        assertThat(instanceStatus("orders-db")).isEqualTo("stopped");
    }

    // ---------------------------------------------------------------- not paused: left running

    @Test
    void afterTheResumeTheSameEventsStopNothing() throws IOException {
        instance("orders-db");
        cluster("catalog");
        pause();
        OperationReport resume = engine.run(request(Action.RESUME), ProgressListener.NONE);
        assertThat(resume.status()).isEqualTo("resumed");

        JsonNode instance = invoke(handler(), event("rds-event-0154-instance.json"));
        JsonNode cluster = invoke(handler(), event("rds-event-0153-cluster.json"));

        assertThat(instance.path("action").asText()).isEqualTo("not-paused");
        assertThat(instance.path("reason").asText()).contains("no pause is active");
        assertThat(cluster.path("action").asText()).isEqualTo("not-paused");
        assertThat(instanceStatus("orders-db")).isEqualTo("available");
        assertThat(clusterStatus("catalog")).isEqualTo("available");
    }

    @Test
    void aDatabaseNotInTheActiveSnapshotIsNotTouched() throws IOException {
        instance("billing-db");
        OperationReport pause = pause();
        instance("orders-db"); // created after the pause: someone else's database, running on purpose

        JsonNode out = invoke(handler(), event("rds-event-0154-instance.json"));

        assertThat(out.path("action").asText()).isEqualTo("not-paused");
        assertThat(out.path("reason").asText()).contains("not in snapshot " + pause.snapshotId());
        assertThat(instanceStatus("orders-db")).isEqualTo("available");
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("restop not-paused rds us-east-1/orders-db"));
    }

    @Test
    void aProtectedDatabaseSkippedByThePauseIsNotTouched() throws IOException {
        instance("orders-db", Map.of("aws-hit-breaks:protect", "true"));
        instance("billing-db");
        OperationReport pause = pause();
        assertThat(pause.resources()).filteredOn(r -> r.id().equals("orders-db")).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED));

        JsonNode out = invoke(handler(), event("rds-event-0154-instance.json"));

        assertThat(out.path("action").asText()).isEqualTo("not-paused");
        assertThat(instanceStatus("orders-db")).isEqualTo("available");
    }

    @Test
    void aClusterReCreatedUnderThePausedNameIsNotStopped() throws IOException {
        cluster("catalog");
        pause();
        // someone deleted the paused cluster and created a new one under the same name (moto gives every DB instance
        // the same DbiResourceId, so only a cluster can show this here)
        rds().deleteDBCluster(b -> b.dbClusterIdentifier("catalog").skipFinalSnapshot(true));
        rds().describeDBClusterSnapshots(b -> b.dbClusterIdentifier("catalog")).dbClusterSnapshots()
                .forEach(s -> rds().deleteDBClusterSnapshot(b -> b.dbClusterSnapshotIdentifier(s.dbClusterSnapshotIdentifier())));
        cluster("catalog");

        JsonNode out = invoke(handler(), event("rds-event-0153-cluster.json"));

        assertThat(out.path("action").asText()).isEqualTo("not-ours");
        assertThat(out.path("reason").asText()).contains("different DB cluster");
        assertThat(clusterStatus("catalog")).isEqualTo("available");
    }

    @Test
    void aPausedDatabaseDeletedSinceIsReportedGone() throws IOException {
        instance("orders-db");
        pause();
        rds().deleteDBInstance(b -> b.dbInstanceIdentifier("orders-db").skipFinalSnapshot(true));

        JsonNode out = invoke(handler(), event("rds-event-0154-instance.json"));

        assertThat(out.path("action").asText()).isEqualTo("gone");
    }

    // ---------------------------------------------------------------- other inputs: ignored, never thrown

    @Test
    void anotherRdsEventIdIsIgnoredEvenForAPausedDatabase() throws IOException {
        instance("orders-db");
        pause();
        rds().startDBInstance(b -> b.dbInstanceIdentifier("orders-db"));

        JsonNode out = invoke(handler(), event("rds-event-other.json"));

        assertThat(out.path("action").asText()).isEqualTo("ignored");
        assertThat(out.path("reason").asText()).contains("RDS-EVENT-0088").contains("not an automatic start");
        assertThat(instanceStatus("orders-db")).isEqualTo("available");
    }

    @Test
    void malformedEventsAreLoggedWithTheirReasonAndTouchNothing() throws IOException {
        instance("orders-db");
        cluster("catalog");
        pause();
        rds().startDBInstance(b -> b.dbInstanceIdentifier("orders-db"));
        rds().startDBCluster(b -> b.dbClusterIdentifier("catalog"));
        ObjectNode wrongType = variant("rds-event-0154-instance.json");
        ((ObjectNode) wrongType.path("detail")).put("SourceType", "CLUSTER");
        ObjectNode clusterArnOnInstanceEvent = variant("rds-event-0154-instance.json");
        ((ObjectNode) clusterArnOnInstanceEvent.path("detail")).put("SourceArn", "arn:aws:rds:us-east-1:123456789012:cluster:catalog");
        ObjectNode badIdentifier = variant("rds-event-0154-instance.json");
        ((ObjectNode) badIdentifier.path("detail")).remove("SourceArn");
        ((ObjectNode) badIdentifier.path("detail")).put("SourceIdentifier", "../orders-db\nsecret=hunter2");
        ObjectNode noDetail = variant("rds-event-0154-instance.json");
        noDetail.remove("detail");
        ObjectNode otherSource = variant("rds-event-0154-instance.json");
        otherSource.put("source", "my.app");

        Map<String, String> inputs = new java.util.LinkedHashMap<>();
        inputs.put("not json", "{\"detail\": ");
        inputs.put("empty", "");
        inputs.put("plain text", "secret=hunter2");
        inputs.put("array", "[]");
        inputs.put("no detail", Json.write(noDetail));
        inputs.put("other source", Json.write(otherSource));
        inputs.put("wrong SourceType", Json.write(wrongType));
        inputs.put("cluster ARN on an instance event", Json.write(clusterArnOnInstanceEvent));
        inputs.put("bad identifier", Json.write(badIdentifier));
        for (var input : inputs.entrySet()) {
            JsonNode out = invoke(handler(), input.getValue());
            assertThat(out.path("action").asText()).as(input.getKey()).isEqualTo("ignored");
            assertThat(out.path("reason").asText()).as(input.getKey()).isNotBlank();
        }

        assertThat(instanceStatus("orders-db")).isEqualTo("available");
        assertThat(clusterStatus("catalog")).isEqualTo("available");
        assertThat(log).hasSize(inputs.size()).allSatisfy(l -> assertThat(l).startsWith("restop ignored: "));
        assertThat(log).noneSatisfy(l -> assertThat(l).contains("hunter2"));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("not valid JSON"));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("SourceType 'CLUSTER'"));
    }

    @Test
    void theSettingsComeFromTheEnvironmentAndNameWhatIsWrong() {
        assertThat(RestopSettings.fromEnvironment(Map.of())).isEqualTo(RestopSettings.defaults());
        assertThat(RestopSettings.defaults().maxWait()).hasSeconds(600);
        RestopSettings s = RestopSettings.fromEnvironment(Map.of("RESTOP_WAIT_SECONDS", "120", "RESTOP_POLL_MILLIS", "250"));
        assertThat(s.maxWait()).hasSeconds(120);
        assertThat(s.pollInterval()).hasMillis(250);
        assertThatThrownBy(() -> RestopSettings.fromEnvironment(Map.of("RESTOP_WAIT_SECONDS", "901")))
                .hasMessageContaining("RESTOP_WAIT_SECONDS").hasMessageContaining("901");
        assertThatThrownBy(() -> RestopSettings.fromEnvironment(Map.of("RESTOP_POLL_MILLIS", "soon")))
                .hasMessageContaining("RESTOP_POLL_MILLIS");
        assertThat(RestopHandler.create(Map.of("SNAPSHOT_TABLE", TABLE, "SNAPSHOT_BUCKET", BUCKET, "AWS_REGION", REGION,
                "HITBREAKS_ENDPOINT_URL", moto.endpoint().toString()))).isNotNull();
    }

    // ---------------------------------------------------------------- helpers

    private RestopHandler handler() {
        return handler(restopClients::rds, FAST);
    }

    private RestopHandler handler(Function<String, RdsClient> rds, RestopSettings settings) {
        return new RestopHandler(new RdsRestopper(rds, restopEngine.store(), settings, EngineLog.lines(log::add)));
    }

    /** An RDS client whose DescribeDBInstances answers "starting" while the counter is positive, as RDS does at first. */
    private RdsClient startingFor(String region, AtomicInteger remaining) {
        ExecutionInterceptor starting = new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.response() instanceof DescribeDbInstancesResponse r && remaining.getAndDecrement() > 0) {
                    return r.toBuilder().dbInstances(r.dbInstances().stream()
                            .map(i -> i.toBuilder().dbInstanceStatus("starting").build()).toList()).build();
                }
                return context.response();
            }
        };
        return RdsClient.builder().endpointOverride(recording.endpoint()).region(Region.of(region))
                .credentialsProvider(MotoAccount.CREDENTIALS)
                .overrideConfiguration(o -> o.addExecutionInterceptor(starting)).build();
    }

    private OperationReport pause() {
        OperationReport pause = engine.run(request(Action.PAUSE), ProgressListener.NONE);
        assertThat(pause.hasFailures()).isFalse();
        return pause;
    }

    private static Request request(Action action) {
        return new Request(action, List.of(REGION), List.of("rds", "aurora"), null, null, null, false, null, null);
    }

    private RdsClient rds() {
        return clients.rds(REGION);
    }

    private void instance(String id) {
        instance(id, Map.of());
    }

    private void instance(String id, Map<String, String> tags) {
        rds().createDBInstance(b -> b.dbInstanceIdentifier(id).engine("postgres").dbInstanceClass("db.t3.micro")
                .allocatedStorage(20).masterUsername("admin").masterUserPassword(PASSWORD)
                .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.rds.model.Tag.builder()
                        .key(e.getKey()).value(e.getValue()).build()).toList()));
    }

    private void cluster(String id) {
        rds().createDBCluster(b -> b.dbClusterIdentifier(id).engine("aurora-postgresql").masterUsername("admin")
                .masterUserPassword(PASSWORD));
    }

    private String instanceStatus(String id) {
        return rds().describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().get(0).dbInstanceStatus();
    }

    private String clusterStatus(String id) {
        return rds().describeDBClusters(b -> b.dbClusterIdentifier(id)).dbClusters().get(0).status();
    }

    private static String event(String name) throws IOException {
        return Files.readString(ProjectTools.root().resolve("events").resolve(name));
    }

    private static ObjectNode variant(String name) throws IOException {
        return (ObjectNode) Json.mapper().readTree(event(name));
    }

    private static JsonNode invoke(RestopHandler handler, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.mapper().readTree(out.toByteArray());
    }
}
