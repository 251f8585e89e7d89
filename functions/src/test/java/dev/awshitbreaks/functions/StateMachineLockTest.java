package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationInProgressException;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.snapshot.SnapshotStore;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The account lock under the state machine, step by step through the real handlers against moto: the summary
 * step releases it whatever happens to the target documents it reads, and the Target, Readiness and Summarize
 * steps renew its lease, so an execution that runs longer than the lease keeps it.
 */
class StateMachineLockTest {
    private static final String TABLE = "lock-test";
    private static final String BUCKET = "lock-test-bucket";
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private FaultProxy proxy;
    private AwsClients clients;
    private MovableClock clock;
    private BrakeEngine engine;

    /** The clock of the test: a lease's hour passes by moving it, not by waiting. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void setUp() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        proxy = FaultProxy.builder(moto.endpoint()).start();
        clients = new AwsClients(new AwsSettings(proxy.endpoint(), "us-east-1", TABLE, BUCKET), MotoAccount.CREDENTIALS);
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), "us-east-1");
        storage.createTable(TABLE);
        storage.createBucket(BUCKET, false);
        clock = new MovableClock(START);
        EngineSettings settings = EngineSettings.defaults(); // the state machine's lease: one hour
        SnapshotStore store = SnapshotStore.dynamoDbAndS3(clients::dynamoDb, clients::s3, TABLE, BUCKET);
        engine = new BrakeEngine(clients, store, settings, clock, SecureRandom::new, BrakeEngine.pausers(clients, settings));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        proxy.close();
    }

    private static JsonNode invoke(RequestStreamHandler handler, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.mapper().readTree(out.toByteArray());
    }

    /** The Plan step of execution {@code name}, as the definition calls it. */
    private JsonNode plan(String name) throws IOException {
        ObjectNode in = Json.mapper().createObjectNode();
        in.set("request", Json.mapper().readTree("{\"action\":\"pause\",\"regions\":[\"us-east-1\"],\"services\":[\"ec2\"]}"));
        in.put("executionId", "arn:aws:states:us-east-1:123456789012:execution:brake:" + name);
        in.put("executionStartTime", clock.instant().toString());
        return invoke(new PlanHandler(engine), Json.write(in));
    }

    /** The plan's fields, as the definition's ItemSelector and Parameters pass them to the later steps. */
    private static ObjectNode planFields(JsonNode plan) {
        ObjectNode fields = Json.mapper().createObjectNode();
        for (String f : new String[] {"operationId", "snapshotId", "action", "dryRun", "request", "startedAt"}) {
            fields.set(f, plan.get(f));
        }
        return fields;
    }

    private static String target(JsonNode plan) {
        ObjectNode t = planFields(plan);
        t.putObject("target").put("region", "us-east-1").put("service", "ec2");
        return Json.write(t);
    }

    private static String summary(JsonNode plan) {
        ObjectNode s = planFields(plan);
        ArrayNode first = s.putArray("firstResults");
        first.addObject().put("region", "us-east-1").put("service", "ec2").putObject("counts");
        s.putArray("secondResults");
        return Json.write(s);
    }

    @Test
    void aTargetDocumentS3RefusesWith403IsAFailedTargetAndTheLockIsReleased() throws IOException {
        JsonNode plan = plan("refused-document");
        String operationId = plan.path("operationId").asText();
        assertThat(engine.store().lock()).as("the plan took the lock").isPresent();
        // On AWS, without s3:ListBucket a missing object reads as 403 AccessDenied, not 404 NoSuchKey; moto always
        // answers 404, so the proxy answers this one GetObject as S3 does then (the S3 error document, status 403).
        String key = SnapshotStore.targetKey(operationId, "us-east-1", dev.awshitbreaks.core.ServiceKind.EC2);
        proxy.respondInstead(c -> c.service().equals("s3") && c.operation().equals("GetObject") && c.path().endsWith(key), 1,
                c -> new FaultProxy.Answer(403, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>"
                        + "<Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId>"
                        + "<HostId>x</HostId></Error>"));

        JsonNode out = invoke(new SummarizeHandler(engine), summary(plan));

        assertThat(proxy.faults()).containsEntry("replaced", 1L);
        assertThat(out.path("status").asText()).isEqualTo("partial");
        JsonNode failed = out.path("failedTargets").get(0);
        assertThat(failed.path("region").asText()).isEqualTo("us-east-1");
        assertThat(failed.path("error").asText()).contains("AccessDenied").contains(key).contains("s3:ListBucket");
        assertThat(engine.store().lock()).as("the summary released the lock").isEmpty();
        assertThat(engine.store().header(operationId).orElseThrow().status()).isEqualTo("partial");
    }

    @Test
    void anExecutionLongerThanTheLeaseKeepsItsLockAgainstAnotherPause() throws IOException {
        JsonNode plan = plan("long-run");
        Instant firstExpiry = engine.store().lock().orElseThrow().expiresAt();
        assertThat(firstExpiry).isEqualTo(START.plus(Duration.ofHours(1)));

        clock.advance(Duration.ofMinutes(50));
        invoke(new TargetHandler(engine), target(plan)); // a target of the first phase
        clock.advance(Duration.ofMinutes(50));
        ObjectNode readiness = planFields(plan);
        readiness.put("checks", 3);
        invoke(new ReadinessHandler(engine), Json.write(readiness)); // a check of the wait loop
        clock.advance(Duration.ofMinutes(50));
        invoke(new TargetHandler(engine), target(plan)); // a target of the second phase
        clock.advance(Duration.ofMinutes(50));

        // 200 minutes after the plan, more than three leases: another pause (an alarm's) is still refused
        assertThat(clock.instant()).isAfter(firstExpiry.plus(Duration.ofHours(2)));
        assertThatThrownBy(() -> plan("alarm-during-long-run")).isInstanceOf(OperationInProgressException.class)
                .hasMessageContaining(plan.path("operationId").asText());
        assertThat(engine.store().lock().orElseThrow().operationId()).isEqualTo(plan.path("operationId").asText());

        invoke(new SummarizeHandler(engine), summary(plan));
        assertThat(engine.store().lock()).as("released by the summary").isEmpty();
        assertThat(plan("after-long-run").path("operationId").asText()).startsWith("pause-");
    }
}
