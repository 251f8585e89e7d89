package dev.awshitbreaks.snapshot;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.OperationInProgressException;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Shown;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where the engine keeps its state, behind four small interfaces: {@link OperationStore} (operation headers and the
 * active-snapshot pointer), {@link LockStore} (the account's one lock), {@link RecordStore} (one record per paused
 * resource, written before the resource is changed) and {@link DocumentStore} (the whole snapshot, reports and
 * target results as documents). This facade adds what does not depend on where things are stored: the rule for
 * taking the lock and the documents' key names.
 *
 * <p>{@link #dynamoDbAndS3} builds it over DynamoDB (the first three; layout in {@link DynamoDbItems}) and S3
 * (documents); tests build it over the in-memory adapters, which {@code StorageContract} holds to the same rules.
 */
public final class SnapshotStore {
    private final String table;
    private final String bucket;
    private final OperationStore operations;
    private final LockStore lock;
    private final RecordStore records;
    private final DocumentStore documents;

    /**
     * A store over these parts; {@code table} and {@code bucket} are the names messages give for where the records and
     * documents are.
     */
    public SnapshotStore(String table, String bucket, OperationStore operations, LockStore lock, RecordStore records,
            DocumentStore documents) {
        this.table = Objects.requireNonNull(table, "table");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.operations = Objects.requireNonNull(operations, "operations");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.records = Objects.requireNonNull(records, "records");
        this.documents = Objects.requireNonNull(documents, "documents");
    }

    /** The store in DynamoDB table {@code table} and S3 bucket {@code bucket}, over these clients. */
    public static SnapshotStore dynamoDbAndS3(DynamoDbClient dynamoDb, S3Client s3, String table, String bucket) {
        return dynamoDbAndS3(() -> dynamoDb, () -> s3, table, bucket);
    }

    /**
     * A store that asks the suppliers for its clients at each call, so that building the store does not build
     * them: {@link dev.awshitbreaks.aws.AwsClients#dynamoDb()} and {@link dev.awshitbreaks.aws.AwsClients#s3()},
     * which build each client once, on first use.
     */
    public static SnapshotStore dynamoDbAndS3(Supplier<DynamoDbClient> dynamoDb, Supplier<S3Client> s3, String table,
            String bucket) {
        return new SnapshotStore(table, bucket, new DynamoDbOperationStore(dynamoDb, table), new DynamoDbLockStore(dynamoDb, table),
                new DynamoDbRecordStore(dynamoDb, table), new S3DocumentStore(s3, bucket));
    }

    // ---- operation headers and the active snapshot pointer ----

    public void putHeader(OperationHeader h) {
        operations.putHeader(h);
    }

    public Optional<OperationHeader> header(String operationId) {
        return operations.header(operationId);
    }

    /** Every operation header, newest first. */
    public List<OperationHeader> headers() {
        return operations.headers();
    }

    public Optional<String> activeSnapshotId() {
        return operations.activeSnapshotId();
    }

    /** See {@link OperationStore#setActiveSnapshot}. */
    public void setActiveSnapshot(String snapshotId) {
        operations.setActiveSnapshot(snapshotId);
    }

    public void clearActiveSnapshot(String snapshotId) {
        operations.clearActiveSnapshot(snapshotId);
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
        return lock.read();
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
            Predicate<String> ownerIsDead) {
        LockHolder wanted = new LockHolder(operationId, action.id(), owner, now, now.plus(lease));
        for (int attempt = 0; attempt < 5; attempt++) {
            if (lock.putIfFreeExpiredOrOurs(wanted, now)) {
                return Optional.empty();
            }
            Optional<LockHolder> held = lock.read();
            if (held.isEmpty()) {
                continue; // released in between: try again
            }
            LockHolder h = held.get();
            if (!ownerIsDead.test(h.owner())) {
                throw new OperationInProgressException(h.describe()
                        + ". Only one pause or resume runs at a time; wait for it to finish, then try again.");
            }
            if (lock.putIfHeldBy(wanted, h.operationId())) {
                return held;
            }
            // another run took it over first (or it was released): look again
        }
        throw new OperationInProgressException("the account lock kept changing hands while " + operationId
                + " tried to take it; another pause or resume is starting. Try again in a moment.");
    }

    /** Extends this operation's lease (a heartbeat); false if the lock is no longer ours. */
    public boolean renewLock(String operationId, Instant now, Duration lease) {
        return lock.renew(operationId, now.plus(lease));
    }

    /** Releases the lock if this operation holds it; leaves anyone else's alone. */
    public void releaseLock(String operationId) {
        lock.release(operationId);
    }

    // ---- resource records ----

    /** The records of one snapshot, optionally only those of one region and service. */
    public List<SnapshotRecord> records(String snapshotId, String region, ServiceKind service) {
        return records.records(snapshotId, region, service);
    }

    /** A snapshot's records as read, each item on its own: the readable ones, and why each other one is not. */
    public record RecordScan(List<SnapshotRecord> readable, Map<String, String> unreadable) {
    }

    /** Every record item of a snapshot, tolerating unreadable ones (for integrity checks). */
    public RecordScan scanRecords(String snapshotId) {
        return records.scan(snapshotId);
    }

    /** The key of a record inside its snapshot: {@code <region>#<service>#<id>}. */
    public static String recordKey(SnapshotRecord r) {
        return r.region() + "#" + r.service().id() + "#" + r.id();
    }

    /** Stores the records (replacing any with the same key); returns only when every one is stored. */
    public void putRecords(List<SnapshotRecord> toPut) {
        records.putRecords(toPut);
    }

    /** Moves one record to a new phase, keeping its original state as it is. */
    public void updatePhase(SnapshotRecord r, Outcome phase, String reason, Instant at) {
        records.updatePhase(r, phase, reason, at);
    }

    // ---- documents ----

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

    /** Puts one whole document; a reader never sees half of one. */
    public void putDocument(String key, String body, String contentType) {
        documents.put(key, body, contentType);
    }

    public Optional<String> getDocument(String key) {
        return documents.get(key);
    }

    /** The bucket the documents are in (for messages). */
    public String bucket() {
        return bucket;
    }

    /** The table the headers, lock and records are in (for messages). */
    public String table() {
        return table;
    }
}
