package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.EngineLog;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.engine.ProgressListener;
import dev.awshitbreaks.restop.RdsRestopper;
import dev.awshitbreaks.restop.RestopSettings;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The hourly sweep, against moto: a pause of two regions (the stack's, us-east-1, and eu-west-1), then databases in
 * eu-west-1 started behind the brake's back (as RDS does after seven days; moto has no transitional states, so they
 * are available at once). RDS's events reach the stack's rule only from us-east-1; the scheduled event
 * (events/restop-sweep-scheduled.json) makes the function sweep every region of the active snapshot.
 */
class RestopSweepTest {
    private static final String STACK_REGION = "us-east-1";
    private static final String OTHER_REGION = "eu-west-1";
    private static final String PASSWORD = "correct-horse-battery";
    private AwsClients clients;
    private BrakeEngine engine;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        clients = new AwsClients(new AwsSettings(moto.endpoint(), STACK_REGION, "sweep-test", "sweep-test-bucket"),
                MotoAccount.CREDENTIALS);
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), STACK_REGION);
        storage.createTable("sweep-test");
        storage.createBucket("sweep-test-bucket", false);
        engine = BrakeEngine.create(clients, new EngineSettings(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofHours(1), 4));
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void databasesOfANonStackRegionStartedBehindTheBrakesBackAreStoppedAgainByTheSweep() throws IOException {
        instance(OTHER_REGION, "reports-db");
        cluster(OTHER_REGION, "analytics");
        instance(STACK_REGION, "orders-db");
        OperationReport pause = engine.run(request(Action.PAUSE), ProgressListener.NONE);
        assertThat(pause.hasFailures()).isFalse();
        assertThat(instanceStatus(OTHER_REGION, "reports-db")).isEqualTo("stopped");
        // RDS starts them after seven days (its events stay in eu-west-1); one more database nobody paused runs there
        rds(OTHER_REGION).startDBInstance(b -> b.dbInstanceIdentifier("reports-db"));
        rds(OTHER_REGION).startDBCluster(b -> b.dbClusterIdentifier("analytics"));
        instance(OTHER_REGION, "not-paused-db");
        assertThat(instanceStatus(OTHER_REGION, "reports-db")).isEqualTo("available");

        JsonNode swept = invoke(handler(), scheduledEvent());

        assertThat(instanceStatus(OTHER_REGION, "reports-db")).isEqualTo("stopped");
        assertThat(clusterStatus(OTHER_REGION, "analytics")).isEqualTo("stopped");
        assertThat(instanceStatus(OTHER_REGION, "not-paused-db")).as("not in the snapshot: left running").isEqualTo("available");
        assertThat(instanceStatus(STACK_REGION, "orders-db")).as("still stopped as paused").isEqualTo("stopped");
        assertThat(swept.path("snapshotId").asText()).isEqualTo(pause.snapshotId());
        assertThat(swept.path("checked").asInt()).isEqualTo(3);
        assertThat(swept.path("actions").findValuesAsText("id")).containsExactlyInAnyOrder("reports-db", "analytics");
        assertThat(swept.path("actions").findValuesAsText("action")).containsOnly("stopped");
        assertThat(swept.path("actions").findValuesAsText("region")).containsOnly(OTHER_REGION);
        assertThat(log).anyMatch(l -> l.startsWith("restop stopped rds eu-west-1/reports-db"));

        JsonNode again = invoke(handler(), scheduledEvent());
        assertThat(again.path("actions")).as("the next hour: nothing running, nothing to do").isEmpty();
    }

    @Test
    void afterTheResumeTheSweepStopsNothing() throws IOException {
        instance(OTHER_REGION, "reports-db");
        engine.run(request(Action.PAUSE), ProgressListener.NONE);
        OperationReport resume = engine.run(request(Action.RESUME), ProgressListener.NONE);
        assertThat(resume.hasFailures()).isFalse();
        assertThat(instanceStatus(OTHER_REGION, "reports-db")).isEqualTo("available");

        JsonNode swept = invoke(handler(), scheduledEvent());

        assertThat(instanceStatus(OTHER_REGION, "reports-db")).as("resumed: the sweep leaves it running").isEqualTo("available");
        assertThat(swept.path("checked").asInt()).isZero();
        assertThat(swept.path("reason").asText()).contains("nothing to sweep");
    }

    // ---------------------------------------------------------------- helpers

    private RestopHandler handler() {
        return new RestopHandler(new RdsRestopper(clients::rds, engine.store(),
                new RestopSettings(Duration.ofSeconds(5), Duration.ofMillis(20)), EngineLog.lines(log::add)));
    }

    private static Request request(Action action) {
        return new Request(action, List.of(STACK_REGION, OTHER_REGION), List.of("rds", "aurora"), null, null, null, false,
                null, null);
    }

    private RdsClient rds(String region) {
        return clients.rds(region);
    }

    private void instance(String region, String id) {
        rds(region).createDBInstance(b -> b.dbInstanceIdentifier(id).engine("postgres").dbInstanceClass("db.t3.micro")
                .allocatedStorage(20).masterUsername("admin").masterUserPassword(PASSWORD));
    }

    private void cluster(String region, String id) {
        rds(region).createDBCluster(b -> b.dbClusterIdentifier(id).engine("aurora-postgresql").masterUsername("admin")
                .masterUserPassword(PASSWORD));
    }

    private String instanceStatus(String region, String id) {
        return rds(region).describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().get(0).dbInstanceStatus();
    }

    private String clusterStatus(String region, String id) {
        return rds(region).describeDBClusters(b -> b.dbClusterIdentifier(id)).dbClusters().get(0).status();
    }

    private static String scheduledEvent() throws IOException {
        return Files.readString(ProjectTools.root().resolve("events").resolve("restop-sweep-scheduled.json"));
    }

    private static JsonNode invoke(RestopHandler handler, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.mapper().readTree(out.toByteArray());
    }
}
