package dev.awshitbreaks.snapshot;

import static dev.awshitbreaks.snapshot.DynamoDbItems.PK;
import static dev.awshitbreaks.snapshot.DynamoDbItems.SK;
import static dev.awshitbreaks.snapshot.DynamoDbItems.required;
import static dev.awshitbreaks.snapshot.DynamoDbItems.s;
import static dev.awshitbreaks.snapshot.DynamoDbItems.str;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.OperationInProgressException;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.Shown;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** Operation headers ({@code OPERATION / <operationId>}) and the active pointer ({@code ACTIVE / SNAPSHOT}) in DynamoDB. */
public final class DynamoDbOperationStore implements OperationStore {
    private static final String OPERATION_PK = "OPERATION";
    private static final String ACTIVE_PK = "ACTIVE";
    private static final String ACTIVE_SK = "SNAPSHOT";

    private final Supplier<DynamoDbClient> dynamoDb;
    private final String table;

    public DynamoDbOperationStore(Supplier<DynamoDbClient> dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void putHeader(OperationHeader h) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(OPERATION_PK));
        item.put(SK, s(h.operationId()));
        item.put("action", s(h.action().id()));
        item.put("dryRun", AttributeValue.fromBool(h.dryRun()));
        item.put("status", s(h.status()));
        item.put("trigger", s(h.trigger()));
        item.put("request", s(Json.write(h.request())));
        item.put("createdAt", s(h.createdAt().toString()));
        item.put("updatedAt", s(h.updatedAt().toString()));
        if (h.sourceSnapshotId() != null) {
            item.put("sourceSnapshotId", s(h.sourceSnapshotId()));
        }
        dynamoDb.get().putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Optional<OperationHeader> header(String operationId) {
        var resp = dynamoDb.get().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(OPERATION_PK), SK, s(operationId))));
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(toHeader(resp.item())) : Optional.empty();
    }

    @Override
    public List<OperationHeader> headers() {
        List<OperationHeader> out = new ArrayList<>();
        for (var page : dynamoDb.get().queryPaginator(QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(OPERATION_PK))).build())) {
            page.items().forEach(i -> out.add(toHeader(i)));
        }
        out.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        return out;
    }

    /**
     * Reads a stored header. Anything missing, of the wrong type or not of its shape (ids included) is a
     * {@link CorruptSnapshotException} naming the operation and the field; nothing else escapes.
     */
    static OperationHeader toHeader(Map<String, AttributeValue> i) {
        String id = str(i, SK);
        if (!OperationId.isOperationId(id)) {
            throw new CorruptSnapshotException("an operation header in the snapshot table has the id " + Shown.quote(id)
                    + ", which is not an operation id");
        }
        try {
            Request request = Json.mapper().readValue(required(i, "request"), Request.class);
            String source = str(i, "sourceSnapshotId");
            if (source != null && !OperationId.isSnapshotId(source)) {
                throw new CorruptSnapshotException("sourceSnapshotId " + Shown.quote(source) + " is not a snapshot id");
            }
            AttributeValue dryRun = i.get("dryRun");
            if (dryRun != null && dryRun.bool() == null) {
                throw new CorruptSnapshotException("its 'dryRun' is not a boolean"); // never read as false
            }
            return new OperationHeader(id, Action.fromId(required(i, "action")),
                    dryRun != null && dryRun.bool(),
                    required(i, "status"), required(i, "trigger"), request,
                    Instant.parse(required(i, "createdAt")), Instant.parse(required(i, "updatedAt")), source);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new CorruptSnapshotException("operation " + id + " has an unreadable header in the snapshot table: "
                    + DynamoDbItems.reason(e));
        }
    }

    @Override
    public Optional<String> activeSnapshotId() {
        var item = dynamoDb.get().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(ACTIVE_PK), SK, s(ACTIVE_SK)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String id = str(item, "snapshotId");
        if (!OperationId.isSnapshotId(id)) {
            throw new CorruptSnapshotException("the active-snapshot pointer in table " + table + " names " + Shown.quote(id)
                    + ", which is not a snapshot id; resume one by --snapshot ID (--status lists them)");
        }
        return Optional.of(id);
    }

    @Override
    public void setActiveSnapshot(String snapshotId) {
        try {
            dynamoDb.get().putItem(b -> b.tableName(table)
                    .item(Map.of(PK, s(ACTIVE_PK), SK, s(ACTIVE_SK), "snapshotId", s(snapshotId)))
                    .conditionExpression("attribute_not_exists(pk) OR snapshotId = :id")
                    .expressionAttributeValues(Map.of(":id", s(snapshotId))));
        } catch (ConditionalCheckFailedException e) {
            throw new OperationInProgressException("another snapshot became active while pausing; run the pause again to join it");
        }
    }

    @Override
    public void clearActiveSnapshot(String snapshotId) {
        try {
            dynamoDb.get().deleteItem(b -> b.tableName(table).key(Map.of(PK, s(ACTIVE_PK), SK, s(ACTIVE_SK)))
                    .conditionExpression("snapshotId = :id")
                    .expressionAttributeValues(Map.of(":id", s(snapshotId))));
        } catch (ConditionalCheckFailedException e) {
            // Another snapshot is active (or none): nothing of ours to clear.
        }
    }
}
