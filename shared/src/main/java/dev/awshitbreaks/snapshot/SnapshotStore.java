package dev.awshitbreaks.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.core.BrakeException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.OperationInProgressException;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Snapshots in DynamoDB (one item per paused resource, written before the resource is changed, and a
 * header per operation) and S3 (the whole snapshot and the reports as JSON documents).
 *
 * <p>Table layout (partition key {@code pk}, sort key {@code sk}):
 * <ul>
 *   <li>{@code OPERATION / <operationId>}: the header of an operation.</li>
 *   <li>{@code SNAPSHOT#<snapshotId> / <region>#<service>#<resourceId>}: one paused resource.</li>
 *   <li>{@code LOCK / ACCOUNT}: the one-operation-at-a-time lock, with a lease.</li>
 *   <li>{@code ACTIVE / SNAPSHOT}: the snapshot that holds paused resources, if any.</li>
 * </ul>
 */
public final class SnapshotStore {
    static final String PK = "pk";
    static final String SK = "sk";
    private static final String OPERATION_PK = "OPERATION";
    private static final String LOCK_PK = "LOCK";
    private static final String LOCK_SK = "ACCOUNT";
    private static final String ACTIVE_PK = "ACTIVE";
    private static final String ACTIVE_SK = "SNAPSHOT";
    private static final int BATCH = 25;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Supplier<DynamoDbClient> dynamoDb;
    private final Supplier<S3Client> s3;
    private final String table;
    private final String bucket;

    public SnapshotStore(DynamoDbClient dynamoDb, S3Client s3, String table, String bucket) {
        this(() -> dynamoDb, () -> s3, table, bucket);
    }

    /**
     * A store that asks the suppliers for its clients at each call, so that building the store does not build
     * them: {@link dev.awshitbreaks.aws.AwsClients#dynamoDb()} and {@link dev.awshitbreaks.aws.AwsClients#s3()},
     * which build each client once, on first use.
     */
    public SnapshotStore(Supplier<DynamoDbClient> dynamoDb, Supplier<S3Client> s3, String table, String bucket) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.table = table;
        this.bucket = bucket;
    }

    // ---- operation headers ----

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

    public Optional<OperationHeader> header(String operationId) {
        var resp = dynamoDb.get().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(OPERATION_PK), SK, s(operationId))));
        return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(toHeader(resp.item())) : Optional.empty();
    }

    /** Every operation header, newest first. */
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
                    + reason(e));
        }
    }

    private static String required(Map<String, AttributeValue> i, String key) {
        String v = str(i, key);
        if (v == null) {
            throw new CorruptSnapshotException("its '" + key + "' is missing or not a string");
        }
        return v;
    }

    private static String reason(Exception e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m) {
            return Shown.plain(Json.wrongType(m)); // the field and the type it needs, never a coerced value
        }
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return Shown.plain(m == null || m.isBlank() ? "a missing or malformed field" : m);
    }

    // ---- the lock ----

    /** The lock item as read: which operation holds it, doing what, for whom, since when and until when. */
    public record LockHolder(String operationId, String action, String owner, Instant acquiredAt, Instant expiresAt) {
        /** "a pause is already running in this account (operation pause-..., since ..., process 12 on host h; ...)". */
        public String describe() {
            return "a " + action + " is already running in this account (operation " + operationId + ", since " + acquiredAt
                    + ", " + LockOwner.describe(owner) + "; its lock lease runs until " + expiresAt + ")";
        }
    }

    /** The lock as it is now, if anyone holds it. */
    public Optional<LockHolder> lock() {
        var item = dynamoDb.get().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(LOCK_PK), SK, s(LOCK_SK)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LockHolder(item.get("holder").s(), item.get("action").s(), str(item, "owner"),
                    item.containsKey("acquiredAt") ? Instant.parse(item.get("acquiredAt").s()) : Instant.EPOCH,
                    Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n()))));
        } catch (RuntimeException e) {
            throw new CorruptSnapshotException("the account lock item is unreadable (" + e.getMessage()
                    + "); delete the item pk=LOCK, sk=ACCOUNT from table " + table + " once no pause or resume runs");
        }
    }

    /**
     * Takes the account's one lock for this operation, or throws {@link OperationInProgressException} saying what
     * holds it. The rule (docs/reliability.md):
     * <ol>
     *   <li>a free lock, or one whose lease has run out, is taken;</li>
     *   <li>the same operation re-enters its own lock (a retried Plan of the same execution, a repeated call);</li>
     *   <li>a lock whose holder is provably dead ({@code ownerIsDead}: a killed process on this host) is taken over
     *       with a compare-and-set on that holder, so of two runs taking over at once exactly one wins;</li>
     *   <li>anything else is refused.</li>
     * </ol>
     *
     * @return the holder taken over (rule 3, or an expired lease), if any
     */
    public Optional<LockHolder> acquireLock(String operationId, Action action, String owner, Instant now, Duration lease,
            java.util.function.Predicate<String> ownerIsDead) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                putLock(operationId, action, owner, now, lease,
                        "attribute_not_exists(pk) OR holder = :me OR expiresAt < :now",
                        Map.of(":me", s(operationId), ":now", n(now.getEpochSecond())));
                return Optional.empty();
            } catch (ConditionalCheckFailedException e) {
                Optional<LockHolder> held = lock();
                if (held.isEmpty()) {
                    continue; // released in between: try again
                }
                LockHolder h = held.get();
                if (!ownerIsDead.test(h.owner())) {
                    throw new OperationInProgressException(h.describe()
                            + ". Only one pause or resume runs at a time; wait for it to finish, then try again.");
                }
                try {
                    putLock(operationId, action, owner, now, lease, "holder = :dead",
                            Map.of(":dead", s(h.operationId())));
                    return held;
                } catch (ConditionalCheckFailedException lostTheRace) {
                    // another run took it over first (or it was released): look again
                }
            }
        }
        throw new OperationInProgressException("the account lock kept changing hands while " + operationId
                + " tried to take it; another pause or resume is starting. Try again in a moment.");
    }

    private void putLock(String operationId, Action action, String owner, Instant now, Duration lease, String condition,
            Map<String, AttributeValue> values) {
        dynamoDb.get().putItem(b -> b.tableName(table)
                .item(Map.of(PK, s(LOCK_PK), SK, s(LOCK_SK), "holder", s(operationId), "action", s(action.id()),
                        "owner", s(owner), "acquiredAt", s(now.toString()),
                        "expiresAt", n(now.plus(lease).getEpochSecond())))
                .conditionExpression(condition)
                .expressionAttributeValues(values));
    }

    /** Extends this operation's lease (a heartbeat); false if the lock is no longer ours. */
    public boolean renewLock(String operationId, Instant now, Duration lease) {
        try {
            dynamoDb.get().updateItem(b -> b.tableName(table).key(Map.of(PK, s(LOCK_PK), SK, s(LOCK_SK)))
                    .updateExpression("SET expiresAt = :until")
                    .conditionExpression("holder = :me")
                    .expressionAttributeValues(Map.of(":me", s(operationId), ":until", n(now.plus(lease).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public void releaseLock(String operationId) {
        try {
            dynamoDb.get().deleteItem(b -> b.tableName(table).key(Map.of(PK, s(LOCK_PK), SK, s(LOCK_SK)))
                    .conditionExpression("holder = :me")
                    .expressionAttributeValues(Map.of(":me", s(operationId))));
        } catch (ConditionalCheckFailedException e) {
            // Not ours any more (lease expired and taken over, or already released): leave it alone.
        }
    }

    // ---- the active snapshot pointer ----

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

    public void clearActiveSnapshot(String snapshotId) {
        try {
            dynamoDb.get().deleteItem(b -> b.tableName(table).key(Map.of(PK, s(ACTIVE_PK), SK, s(ACTIVE_SK)))
                    .conditionExpression("snapshotId = :id")
                    .expressionAttributeValues(Map.of(":id", s(snapshotId))));
        } catch (ConditionalCheckFailedException e) {
            // Another snapshot is active (or none): nothing of ours to clear.
        }
    }

    // ---- resource records ----

    /** The records of one snapshot, optionally only those of one region and service. */
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

    /** A snapshot's records as read, each item on its own: the readable ones, and why each other one is not. */
    public record RecordScan(List<SnapshotRecord> readable, Map<String, String> unreadable) {
    }

    /** Every record item of a snapshot, tolerating unreadable ones (for integrity checks). */
    public RecordScan scanRecords(String snapshotId) {
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
        return new RecordScan(ok, bad);
    }

    /** The key of a record inside its snapshot: {@code <region>#<service>#<id>}. */
    public static String recordKey(SnapshotRecord r) {
        return recordSk(r);
    }

    /** Writes records in batches of 25, retrying what DynamoDB leaves unprocessed. */
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

    /** Batches written at once by one {@link #putRecords} call. */
    static final int WRITE_LANES = 4;
    private static final java.util.concurrent.ExecutorService WRITERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hit-breaks-record-writer");
        t.setDaemon(true);
        return t;
    });

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

    /** Moves one record to a new phase, keeping its original state as it is. */
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
        dynamoDb.get().updateItem(b -> b.tableName(table)
                .key(Map.of(PK, s(snapshotPk(r.snapshotId())), SK, s(recordSk(r))))
                .updateExpression(expression)
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(values));
    }

    private static String snapshotPk(String snapshotId) {
        OperationId.requireSnapshotId(snapshotId);
        return "SNAPSHOT#" + snapshotId;
    }

    private static String recordSk(SnapshotRecord r) {
        return r.region() + "#" + r.service().id() + "#" + r.id();
    }

    private Map<String, AttributeValue> toItem(SnapshotRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(snapshotPk(r.snapshotId())));
        item.put(SK, s(recordSk(r)));
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
                    + Shown.quote(str(i, SK)) + ": " + reason(e));
        }
    }

    /** A string attribute, or null when absent; an attribute of another type is refused, never read as absent. */
    private static String str(Map<String, AttributeValue> i, String key) {
        AttributeValue v = i.get(key);
        if (v == null || Boolean.TRUE.equals(v.nul())) {
            return null;
        }
        if (v.s() == null) {
            throw new CorruptSnapshotException("its '" + key + "' is not a string");
        }
        return v.s();
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

    // ---- S3 documents ----

    public static String snapshotKey(String snapshotId) {
        OperationId.requireSnapshotId(snapshotId);
        return "snapshots/" + snapshotId + ".json";
    }

    public static String reportKey(String operationId, String extension) {
        OperationId.requireOperationId(operationId);
        if (!extension.equals("json") && !extension.equals("csv") && !extension.equals("html")) {
            throw new IllegalArgumentException("reports are json, csv or html, not " + Shown.quote(extension));
        }
        return "reports/" + operationId + "." + extension;
    }

    /** Every part checked: an operation id, a known region, a service; so the key can name nothing else. */
    public static String targetKey(String operationId, String region, ServiceKind service) {
        OperationId.requireOperationId(operationId);
        if (!Request.isKnownRegion(region)) {
            throw new InvalidRequestException("unknown region " + Shown.quote(region) + " for a target of " + operationId);
        }
        return "operations/" + operationId + "/targets/" + region + "." + service.id() + ".json";
    }

    /** Puts one document; S3 writes whole objects, so a reader never sees half of one. */
    public void putDocument(String key, String body, String contentType) {
        s3.get().putObject(b -> b.bucket(bucket).key(key).contentType(contentType)
                        .serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(body.getBytes(StandardCharsets.UTF_8)));
    }

    public Optional<String> getDocument(String key) {
        try {
            return Optional.of(s3.get().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    public String bucket() {
        return bucket;
    }

    public String table() {
        return table;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
