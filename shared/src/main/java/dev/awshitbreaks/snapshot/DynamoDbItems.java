package dev.awshitbreaks.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Shown;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The snapshot table's layout and attribute readers, shared by its adapters. Table (partition key {@code pk}, sort
 * key {@code sk}):
 * <ul>
 *   <li>{@code OPERATION / <operationId>}: the header of an operation ({@link DynamoDbOperationStore}).</li>
 *   <li>{@code ACTIVE / SNAPSHOT}: the snapshot that holds paused resources, if any ({@link DynamoDbOperationStore}).</li>
 *   <li>{@code LOCK / ACCOUNT}: the one-operation-at-a-time lock, with a lease ({@link DynamoDbLockStore}).</li>
 *   <li>{@code SNAPSHOT#<snapshotId> / <region>#<service>#<resourceId>}: one paused resource
 *       ({@link DynamoDbRecordStore}).</li>
 * </ul>
 */
final class DynamoDbItems {
    static final String PK = "pk";
    static final String SK = "sk";

    private DynamoDbItems() {
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    /** A string attribute, or null when absent; an attribute of another type is refused, never read as absent. */
    static String str(Map<String, AttributeValue> i, String key) {
        AttributeValue v = i.get(key);
        if (v == null || Boolean.TRUE.equals(v.nul())) {
            return null;
        }
        if (v.s() == null) {
            throw new CorruptSnapshotException("its '" + key + "' is not a string");
        }
        return v.s();
    }

    static String required(Map<String, AttributeValue> i, String key) {
        String v = str(i, key);
        if (v == null) {
            throw new CorruptSnapshotException("its '" + key + "' is missing or not a string");
        }
        return v;
    }

    static String reason(Exception e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m) {
            return Shown.plain(Json.wrongType(m)); // the field and the type it needs, never a coerced value
        }
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return Shown.plain(m == null || m.isBlank() ? "a missing or malformed field" : m);
    }
}
