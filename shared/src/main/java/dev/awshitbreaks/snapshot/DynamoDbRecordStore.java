package dev.awshitbreaks.snapshot;

import static dev.awshitbreaks.snapshot.DynamoDbItems.PK;
import static dev.awshitbreaks.snapshot.DynamoDbItems.SK;
import static dev.awshitbreaks.snapshot.DynamoDbItems.required;
import static dev.awshitbreaks.snapshot.DynamoDbItems.s;
import static dev.awshitbreaks.snapshot.DynamoDbItems.str;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.awshitbreaks.core.BrakeException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Shown;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Records as items {@code SNAPSHOT#<snapshotId> / <region>#<service>#<resourceId>} in DynamoDB: read by Query,
 * written by BatchWriteItem (25 a call, up to {@link #WRITE_LANES} calls at once, unprocessed items written again),
 * moved to a new phase by a conditional UpdateItem that never touches the original state.
 */
public final class DynamoDbRecordStore implements RecordStore {
    private static final int BATCH = 25;
    /** Batches written at once by one {@link #putRecords} call. */
    static final int WRITE_LANES = 4;
    private static final java.util.concurrent.ExecutorService WRITERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hit-breaks-record-writer");
        t.setDaemon(true);
        return t;
    });
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Supplier<DynamoDbClient> dynamoDb;
    private final String table;

    public DynamoDbRecordStore(Supplier<DynamoDbClient> dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public List<SnapshotRecord> records(String snapshotId, String region, ServiceKind service) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).consistentRead(true);
        if (region == null) {
            q.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(snapshotPk(snapshotId))));
        } else {
            q.keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", s(snapshotPk(snapshotId)),
                            ":prefix", s(region + "#" + service.id() + "#")));
        }
        List<SnapshotRecord> out = new ArrayList<>();
        for (var page : dynamoDb.get().queryPaginator(q.build())) {
            for (var item : page.items()) {
                out.add(toRecord(snapshotId, item));
            }
        }
        return out;
    }

    @Override
    public SnapshotStore.RecordScan scan(String snapshotId) {
        List<SnapshotRecord> ok = new ArrayList<>();
        Map<String, String> bad = new java.util.TreeMap<>();
        for (var page : dynamoDb.get().queryPaginator(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(snapshotPk(snapshotId)))).build())) {
            for (var item : page.items()) {
                try {
                    ok.add(toRecord(snapshotId, item));
                } catch (CorruptSnapshotException e) {
                    bad.put(item.get(SK) == null ? "?" : item.get(SK).s(), e.getMessage());
                }
            }
        }
        return new SnapshotStore.RecordScan(ok, bad);
    }

    /** Writes records in batches of 25, retrying what DynamoDB leaves unprocessed. */
    @Override
    public void putRecords(List<SnapshotRecord> records) {
        List<List<SnapshotRecord>> batches = new ArrayList<>();
        for (int i = 0; i < records.size(); i += BATCH) {
            batches.add(records.subList(i, Math.min(records.size(), i + BATCH)));
        }
        int lanes = Math.min(WRITE_LANES, batches.size());
        if (lanes <= 1) {
            batches.forEach(this::putBatch);
            return;
        }
        // Up to WRITE_LANES batches in flight: a region of 10,000 instances is 400 batches, 20 s one after the
        // other at 50 ms a call. Returns only when every lane has ended, so nothing is changed before the records
        // are all written (design property 5); the first failure is thrown once all lanes have stopped.
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            int first = lane;
            running.add(WRITERS.submit(() -> {
                for (int b = first; b < batches.size(); b += lanes) {
                    putBatch(batches.get(b));
                }
            }));
        }
        RuntimeException failure = null;
        for (var f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re
                            : new BrakeException("writing snapshot records failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(r -> r.cancel(true));
                throw new BrakeException("interrupted while writing snapshot records", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void putBatch(List<SnapshotRecord> batchRecords) {
        List<WriteRequest> writes = new ArrayList<>();
        for (SnapshotRecord r : batchRecords) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(toItem(r)).build()).build());
        }
        Map<String, List<WriteRequest>> pending = Map.of(table, writes);
        int attempt = 0;
        while (!pending.isEmpty()) {
            Map<String, List<WriteRequest>> batch = pending;
            BatchWriteItemResponse resp = dynamoDb.get().batchWriteItem(b -> b.requestItems(batch));
            pending = resp.hasUnprocessedItems() ? resp.unprocessedItems() : Map.of();
            if (!pending.isEmpty() && !pending.getOrDefault(table, List.of()).isEmpty()) {
                if (++attempt > 10) {
                    throw new BrakeException("DynamoDB left " + pending.get(table).size()
                            + " snapshot records unwritten after 10 attempts; nothing was changed for them");
                }
                Backoff.sleep(attempt);
            } else {
                pending = Map.of();
            }
        }
    }

    @Override
    public void updatePhase(SnapshotRecord r, Outcome phase, String reason, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":phase", s(phase.id()));
        values.put(":at", s(at.toString()));
        String update = "SET phase = :phase, updatedAt = :at";
        if (reason != null) {
            values.put(":reason", s(reason));
            update += ", reason = :reason";
        } else {
            update += " REMOVE reason";
        }
        String expression = update;
        try {
            dynamoDb.get().updateItem(b -> b.tableName(table)
                    .key(Map.of(PK, s(snapshotPk(r.snapshotId())), SK, s(SnapshotStore.recordKey(r))))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            throw new RecordNotFoundException(r.snapshotId(), SnapshotStore.recordKey(r));
        }
    }

    private static String snapshotPk(String snapshotId) {
        OperationId.requireSnapshotId(snapshotId);
        return "SNAPSHOT#" + snapshotId;
    }

    private static Map<String, AttributeValue> toItem(SnapshotRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(snapshotPk(r.snapshotId())));
        item.put(SK, s(SnapshotStore.recordKey(r)));
        item.put("service", s(r.service().id()));
        item.put("region", s(r.region()));
        item.put("resourceId", s(r.id()));
        if (r.type() != null) {
            item.put("type", s(r.type()));
        }
        if (r.name() != null) {
            item.put("name", s(r.name()));
        }
        Map<String, AttributeValue> tags = new HashMap<>();
        r.tags().forEach((k, v) -> tags.put(k, s(v)));
        item.put("tags", AttributeValue.fromM(tags));
        item.put("original", s(Json.write(r.original())));
        item.put("phase", s(r.phase().id()));
        if (r.reason() != null) {
            item.put("reason", s(r.reason()));
        }
        item.put("recordedAt", s(r.recordedAt().toString()));
        item.put("updatedAt", s(r.updatedAt().toString()));
        if (r.hourlyCost() != null) {
            item.put("hourlyCost", AttributeValue.fromN(java.math.BigDecimal.valueOf(r.hourlyCost()).toPlainString()));
        }
        if (r.priceSource() != null) {
            item.put("priceSource", s(r.priceSource()));
        }
        return item;
    }

    /**
     * Reads a stored record. A missing field, an unknown service or phase, a region that is not one, or a sort
     * key that disagrees with the record's own region, service and id is a {@link CorruptSnapshotException}
     * naming the snapshot and the record; nothing else escapes.
     */
    static SnapshotRecord toRecord(String snapshotId, Map<String, AttributeValue> i) {
        try {
            Map<String, String> tags = new HashMap<>();
            AttributeValue tagMap = i.get("tags");
            if (tagMap != null) {
                if (!tagMap.hasM()) {
                    throw new CorruptSnapshotException("its 'tags' is not a map");
                }
                tagMap.m().forEach((k, v) -> tags.put(k, Objects.requireNonNull(v.s(), "tag value")));
            }
            ServiceKind service = ServiceKind.fromId(required(i, "service"));
            String region = required(i, "region");
            if (!Request.isKnownRegion(region)) {
                throw new CorruptSnapshotException("its region " + Shown.quote(region) + " is not a known region");
            }
            String id = required(i, "resourceId");
            if (id.isBlank() || id.chars().anyMatch(Character::isISOControl)) {
                throw new CorruptSnapshotException("its resourceId " + Shown.quote(id) + " is not a resource id");
            }
            String sk = required(i, SK);
            if (!sk.equals(region + "#" + service.id() + "#" + id)) {
                throw new CorruptSnapshotException("its key does not match its region, service and id");
            }
            Map<String, Object> original;
            try {
                original = Json.mapper().readValue(required(i, "original"), MAP);
            } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
                throw new CorruptSnapshotException("its 'original' is not a JSON object");
            }
            if (original == null) {
                throw new CorruptSnapshotException("its original state is null");
            }
            return new SnapshotRecord(snapshotId, service, region, id, str(i, "type"), str(i, "name"), tags, original,
                    Outcome.fromId(required(i, "phase")), str(i, "reason"), Instant.parse(required(i, "recordedAt")),
                    Instant.parse(required(i, "updatedAt")),
                    hourlyCost(i), str(i, "priceSource"));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new CorruptSnapshotException("snapshot " + snapshotId + " has an unreadable record "
                    + Shown.quote(str(i, SK)) + ": " + DynamoDbItems.reason(e));
        }
    }

    private static Double hourlyCost(Map<String, AttributeValue> i) {
        AttributeValue v = i.get("hourlyCost");
        if (v == null || Boolean.TRUE.equals(v.nul())) {
            return null;
        }
        if (v.n() == null) {
            throw new CorruptSnapshotException("its 'hourlyCost' is not a number");
        }
        return Double.valueOf(v.n());
    }
}
