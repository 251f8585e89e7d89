package dev.awshitbreaks.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing is written half: DynamoDB BatchWriteItem may leave items unprocessed (moto never does, so the
 * {@link FaultProxy} answers the first batches with every item unprocessed, as DynamoDB does under load), and the
 * store writes them again until every record is there.
 */
class SnapshotWritesTest {
    private static final String TABLE = "writes-test";
    private static final String SNAPSHOT = "pause-20261125-120000-abcdef";
    private FaultProxy proxy;
    private AwsClients clients;

    @BeforeEach
    void setUp() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        proxy = FaultProxy.builder(moto.endpoint()).start();
        clients = new AwsClients(new AwsSettings(proxy.endpoint(), "us-east-1", TABLE, "writes-test-bucket"), MotoAccount.CREDENTIALS);
        new StateStorage(clients.dynamoDb(), clients.s3(), "us-east-1").createTable(TABLE);
    }

    @AfterEach
    void tearDown() {
        clients.close();
        proxy.close();
    }

    @Test
    void recordsLeftUnprocessedByBatchWriteItemAreWrittenAgainUntilAllAreStored() {
        proxy.respondInstead(c -> c.operation().equals("BatchWriteItem"), 3, call -> {
            try {
                JsonNode request = Json.mapper().readTree(call.body());
                ObjectNode answer = Json.mapper().createObjectNode();
                answer.set("UnprocessedItems", request.path("RequestItems"));
                return new FaultProxy.Answer(200, "application/x-amz-json-1.0", Json.write(answer));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        SnapshotStore store = SnapshotStore.dynamoDbAndS3(clients.dynamoDb(), clients.s3(), TABLE, "writes-test-bucket");
        List<SnapshotRecord> records = new ArrayList<>();
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        for (int i = 0; i < 60; i++) {
            records.add(new SnapshotRecord(SNAPSHOT, ServiceKind.EC2, "us-east-1", String.format("i-%017x", i), "t3.micro", null,
                    Map.of(), Map.of("state", "running", "instanceType", "t3.micro"), Outcome.PAUSED, null, now, now));
        }

        store.putRecords(records);

        assertThat(proxy.faults()).containsEntry("replaced", 3L);
        assertThat(proxy.counts().get("dynamodb:BatchWriteItem")).as("3 batches of 25 and 10, and 3 answered unprocessed")
                .isEqualTo(6L);
        assertThat(store.records(SNAPSHOT, null, null)).containsExactlyInAnyOrderElementsOf(records);
    }
}
