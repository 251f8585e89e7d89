package dev.awshitbreaks.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.engine.SnapshotDocument;
import dev.awshitbreaks.testing.Bounded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Fuzz tests (Jazzer) of stored snapshots, read back from DynamoDB items and from the S3 document. An item is
 * given as JSON (strings become S, numbers N, booleans BOOL, objects M) so the seeds in
 * {@code StoredSnapshotFuzzTestInputs/<method>/} are readable. Properties: only {@link CorruptSnapshotException}
 * escapes; what is read has ids of their shape and known regions; nothing hangs.
 */
class StoredSnapshotFuzzTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final String ID = "pause-20261125-181921-3fa9c1";

    /** The item a JSON object describes, or null when the input is not one. */
    static Map<String, AttributeValue> item(byte[] data) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(new String(data, StandardCharsets.UTF_8));
        } catch (Exception e) {
            return null;
        }
        return node != null && node.isObject() ? attributes(node) : null;
    }

    private static Map<String, AttributeValue> attributes(JsonNode node) {
        Map<String, AttributeValue> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            out.put(e.getKey(), v.isObject() ? AttributeValue.fromM(attributes(v)) : v.isBoolean() ? AttributeValue.fromBool(v.asBoolean())
                    : v.isNumber() ? AttributeValue.fromN(v.asText()) : v.isNull() ? AttributeValue.fromNul(true)
                    : AttributeValue.fromS(v.isTextual() ? v.asText() : v.toString()));
        }
        return out;
    }

    @FuzzTest
    void record(byte[] data) throws Exception {
        Map<String, AttributeValue> item = item(data);
        if (item == null) {
            return;
        }
        Bounded.run(LIMIT, () -> {
            try {
                SnapshotRecord r = DynamoDbRecordStore.toRecord(ID, item);
                assertThat(Request.isKnownRegion(r.region())).isTrue();
                assertThat(r.id()).isNotBlank();
                assertThat(r.original()).isNotNull();
            } catch (CorruptSnapshotException e) {
                assertThat(e.getMessage()).startsWith("snapshot " + ID);
            }
        });
    }

    @FuzzTest
    void header(byte[] data) throws Exception {
        Map<String, AttributeValue> item = item(data);
        if (item == null) {
            return;
        }
        Bounded.run(LIMIT, () -> {
            try {
                OperationHeader h = DynamoDbOperationStore.toHeader(item);
                assertThat(OperationId.isOperationId(h.operationId())).isTrue();
                assertThat(h.sourceSnapshotId() == null || OperationId.isSnapshotId(h.sourceSnapshotId())).isTrue();
            } catch (CorruptSnapshotException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        });
    }

    @FuzzTest
    void document(byte[] data) throws Exception {
        String json = new String(data, StandardCharsets.UTF_8);
        Bounded.run(LIMIT, () -> {
            try {
                SnapshotDocument d = SnapshotDocument.parse(json);
                assertThat(OperationId.isSnapshotId(d.header().operationId())).isTrue();
                assertThat(d.records()).allMatch(r -> r.snapshotId().equals(d.header().operationId())
                        && Request.isKnownRegion(r.region()));
            } catch (CorruptSnapshotException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        });
    }
}
