package dev.awshitbreaks.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationInProgressException;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.engine.SnapshotDocument;
import dev.awshitbreaks.engine.SnapshotIntegrity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every storage adapter keeps, asserted the same way against the DynamoDB/S3 adapters (over moto:
 * {@link DynamoDbStorageContractTest}) and the in-memory ones ({@link InMemoryStorageContractTest}), so that a test
 * of the engine's storage logic over the fast in-memory storage can be trusted to hold over DynamoDB and S3:
 * headers and the active pointer (compare-and-set), the lock (free, re-entered, expired, taken over from a dead
 * owner by compare-and-set, renewed and released only by its holder), records (key order, filters, a phase update
 * that keeps the original state and needs a stored record), documents (whole, byte for byte, not-found empty) and
 * damaged items (named, never guessed at).
 */
abstract class StorageContract {
    static final String SNAPSHOT = "pause-20261125-120000-abcdef";
    static final String OTHER_SNAPSHOT = "pause-20261126-090000-0a1b2c";
    static final String RESUME = "resume-20261125-130000-123456";
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00.250Z");
    static final Duration LEASE = Duration.ofMinutes(5);

    /** The parts under test and the facade over them. */
    record Storage(SnapshotStore store, OperationStore operations, LockStore lock, RecordStore records, DocumentStore documents) {
    }

    /** Fresh, empty storage. */
    abstract Storage newStorage();

    /** Stores a header for this operation that cannot be read (a required field missing). */
    abstract void storeUnreadableHeader(String operationId);

    /** Stores a record under this key that cannot be read (a required field missing). */
    abstract void storeUnreadableRecord(String snapshotId, String key);

    /** Stores a lock that cannot be read (its lease expiry not a number). */
    abstract void storeUnreadableLock();

    /** Points the active pointer at exactly this value. */
    abstract void pointActiveAt(String raw);

    Storage storage;
    SnapshotStore store;

    @BeforeEach
    void freshStorage() {
        storage = newStorage();
        store = storage.store();
    }

    static OperationHeader header(String id, Action action, String status, Instant at, String source) {
        return new OperationHeader(id, action, false, status, "manual", Request.of(action), at, at, source);
    }

    static SnapshotRecord record(String snapshotId, ServiceKind service, String region, String id, Map<String, Object> original) {
        return new SnapshotRecord(snapshotId, service, region, id, "t3.micro", "web " + id, Map.of("team", "web"), original,
                Outcome.PAUSED, null, T0, T0, 0.0104, "bundled price table");
    }

    // ---------------------------------------------------------------- headers and the active pointer

    @Test
    void aHeaderIsReadBackAsPutAndRewrittenByTheSameOperation() {
        OperationHeader pausing = header(SNAPSHOT, Action.PAUSE, OperationHeader.PAUSING, T0, null);
        store.putHeader(pausing);
        assertThat(store.header(SNAPSHOT)).contains(pausing);

        OperationHeader paused = pausing.withStatus(OperationHeader.PAUSED, T0.plusSeconds(30));
        store.putHeader(paused);
        assertThat(store.header(SNAPSHOT)).contains(paused);
        assertThat(store.headers()).containsExactly(paused);
        assertThat(store.header(OTHER_SNAPSHOT)).isEmpty();
    }

    @Test
    void headersAreListedNewestFirst() {
        OperationHeader first = header(SNAPSHOT, Action.PAUSE, OperationHeader.PAUSED, T0, null);
        OperationHeader third = header(OTHER_SNAPSHOT, Action.PAUSE, OperationHeader.PAUSING, T0.plusSeconds(86_400), null);
        OperationHeader second = header(RESUME, Action.RESUME, OperationHeader.RUNNING, T0.plusSeconds(3600), SNAPSHOT);
        store.putHeader(first);
        store.putHeader(third);
        store.putHeader(second);
        assertThat(store.headers()).containsExactly(third, second, first);
    }

    @Test
    void anUnreadableHeaderIsACorruptSnapshotNamingTheOperation() {
        storeUnreadableHeader(SNAPSHOT);
        assertThatThrownBy(() -> store.header(SNAPSHOT)).isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("operation " + SNAPSHOT + " has an unreadable header");
        assertThatThrownBy(() -> store.headers()).isInstanceOf(CorruptSnapshotException.class).hasMessageContaining(SNAPSHOT);
    }

    @Test
    void theActivePointerIsSetByCompareAndSetAndClearedOnlyByItsSnapshot() {
        assertThat(store.activeSnapshotId()).isEmpty();
        store.setActiveSnapshot(SNAPSHOT);
        store.setActiveSnapshot(SNAPSHOT); // a retried plan, or a pause joining it: the same snapshot again is fine
        assertThat(store.activeSnapshotId()).contains(SNAPSHOT);

        assertThatThrownBy(() -> store.setActiveSnapshot(OTHER_SNAPSHOT)).isInstanceOf(OperationInProgressException.class)
                .hasMessageContaining("another snapshot became active");
        assertThat(store.activeSnapshotId()).as("the pointer is left as it was").contains(SNAPSHOT);

        store.clearActiveSnapshot(OTHER_SNAPSHOT);
        assertThat(store.activeSnapshotId()).as("not cleared by another snapshot").contains(SNAPSHOT);
        store.clearActiveSnapshot(SNAPSHOT);
        assertThat(store.activeSnapshotId()).isEmpty();
        store.clearActiveSnapshot(SNAPSHOT); // nothing to clear: no error
        store.setActiveSnapshot(OTHER_SNAPSHOT);
        assertThat(store.activeSnapshotId()).contains(OTHER_SNAPSHOT);
    }

    @Test
    void anActivePointerThatNamesNoSnapshotIsACorruptSnapshotNamingIt() {
        pointActiveAt("../reports/x");
        assertThatThrownBy(() -> store.activeSnapshotId()).isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("the active-snapshot pointer in table " + store.table() + " names '../reports/x'");
    }

    // ---------------------------------------------------------------- the lock

    @Test
    void aFreeLockIsTakenAndReadBackWithItsLeaseInWholeSeconds() {
        assertThat(store.lock()).isEmpty();
        assertThat(store.acquireLock(SNAPSHOT, Action.PAUSE, "process:h:1:1", T0, LEASE, owner -> false)).isEmpty();
        assertThat(store.lock()).contains(new SnapshotStore.LockHolder(SNAPSHOT, "pause", "process:h:1:1", T0,
                Instant.ofEpochSecond(T0.plus(LEASE).getEpochSecond())));
    }

    @Test
    void theSameOperationReEntersItsLockAndMovesItsLease() {
        store.acquireLock(SNAPSHOT, Action.PAUSE, "execution:a", T0, LEASE, owner -> false);
        Instant later = T0.plusSeconds(60);
        assertThat(store.acquireLock(SNAPSHOT, Action.PAUSE, "execution:a", later, LEASE, owner -> false)).isEmpty();
        assertThat(store.lock().orElseThrow().expiresAt()).isEqualTo(Instant.ofEpochSecond(later.plus(LEASE).getEpochSecond()));
    }

    @Test
    void aLockHeldByALiveOwnerIsRefusedSayingWhatHoldsItAndIsLeftAsItIs() {
        store.acquireLock(SNAPSHOT, Action.PAUSE, "process:h:1:1", T0, LEASE, owner -> false);
        SnapshotStore.LockHolder held = store.lock().orElseThrow();
        assertThatThrownBy(() -> store.acquireLock(RESUME, Action.RESUME, "process:h:2:2", T0.plusSeconds(10), LEASE, owner -> false))
                .isInstanceOf(OperationInProgressException.class)
                .hasMessageContaining("a pause is already running in this account (operation " + SNAPSHOT);
        assertThat(store.lock()).contains(held);
    }

    @Test
    void aLeaseThatRanOutIsTakenOnlyAfterItsLastWholeSecond() {
        store.acquireLock(SNAPSHOT, Action.PAUSE, "process:h:1:1", T0, LEASE, owner -> false);
        Instant expiry = store.lock().orElseThrow().expiresAt();
        assertThatThrownBy(() -> store.acquireLock(RESUME, Action.RESUME, "process:h:2:2", expiry.plusMillis(999), LEASE, owner -> false))
                .as("within the expiry's second the lease still holds").isInstanceOf(OperationInProgressException.class);
        Instant after = expiry.plusSeconds(1);
        store.acquireLock(RESUME, Action.RESUME, "process:h:2:2", after, LEASE, owner -> false);
        assertThat(store.lock().orElseThrow().operationId()).isEqualTo(RESUME);
    }

    @Test
    void aLockWhoseOwnerIsProvablyDeadIsTakenOverAndTheDeadHolderReturned() {
        store.acquireLock(SNAPSHOT, Action.PAUSE, "process:h:1:1", T0, LEASE, owner -> false);
        SnapshotStore.LockHolder dead = store.lock().orElseThrow();
        assertThat(store.acquireLock(RESUME, Action.RESUME, "process:h:2:2", T0.plusSeconds(5), LEASE,
                owner -> owner.equals("process:h:1:1"))).contains(dead);
        assertThat(store.lock().orElseThrow().operationId()).isEqualTo(RESUME);
        assertThat(store.lock().orElseThrow().action()).isEqualTo("resume");
    }

    @Test
    void ofTwoTakeOversOfTheSameHolderOnlyTheFirstWins() {
        store.acquireLock(SNAPSHOT, Action.PAUSE, "process:h:1:1", T0, LEASE, owner -> false);
        var first = new SnapshotStore.LockHolder(RESUME, "resume", "process:h:2:2", T0, T0.plus(LEASE));
        var second = new SnapshotStore.LockHolder(OTHER_SNAPSHOT, "pause", "process:h:3:3", T0, T0.plus(LEASE));
        assertThat(storage.lock().putIfHeldBy(first, SNAPSHOT)).isTrue();
        assertThat(storage.lock().putIfHeldBy(second, SNAPSHOT)).isFalse();
        assertThat(store.lock().orElseThrow().operationId()).isEqualTo(RESUME);
        assertThat(storage.lock().putIfHeldBy(second, "pause-20260101-000000-000000")).isFalse();
    }

    @Test
    void onlyTheHolderRenewsOrReleasesTheLock() {
        store.acquireLock(SNAPSHOT, Action.PAUSE, "process:h:1:1", T0, LEASE, owner -> false);
        assertThat(store.renewLock(RESUME, T0.plusSeconds(100), LEASE)).isFalse();
        store.releaseLock(RESUME);
        assertThat(store.lock().orElseThrow().expiresAt()).isEqualTo(Instant.ofEpochSecond(T0.plus(LEASE).getEpochSecond()));

        assertThat(store.renewLock(SNAPSHOT, T0.plusSeconds(100), LEASE)).isTrue();
        assertThat(store.lock().orElseThrow().expiresAt())
                .isEqualTo(Instant.ofEpochSecond(T0.plusSeconds(100).plus(LEASE).getEpochSecond()));

        store.releaseLock(SNAPSHOT);
        assertThat(store.lock()).isEmpty();
        assertThat(store.renewLock(SNAPSHOT, T0.plusSeconds(200), LEASE)).as("not ours any more").isFalse();
        assertThat(store.lock()).isEmpty();
        store.releaseLock(SNAPSHOT); // released twice: no error
    }

    @Test
    void anUnreadableLockIsACorruptSnapshotAndIsNeverTaken() {
        storeUnreadableLock();
        assertThatThrownBy(() -> store.lock()).isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("the account lock item is unreadable").hasMessageContaining(store.table());
        assertThatThrownBy(() -> store.acquireLock(RESUME, Action.RESUME, "process:h:2:2", T0, LEASE, owner -> true))
                .isInstanceOf(CorruptSnapshotException.class);
        assertThat(store.renewLock(RESUME, T0, LEASE)).isFalse();
    }

    // ---------------------------------------------------------------- records

    @Test
    void recordsAreReadBackAsPutInKeyOrderAndFilteredByRegionAndService() {
        SnapshotRecord ec2East = record(SNAPSHOT, ServiceKind.EC2, "us-east-1", "i-0b", Map.of("state", "running", "count", 2));
        SnapshotRecord ec2EastToo = record(SNAPSHOT, ServiceKind.EC2, "us-east-1", "i-0a", Map.of("state", "running"));
        SnapshotRecord rdsEast = record(SNAPSHOT, ServiceKind.RDS, "us-east-1", "db-1", Map.of("status", "available"));
        SnapshotRecord ec2West = record(SNAPSHOT, ServiceKind.EC2, "eu-west-1", "i-0c", Map.of("state", "running"));
        SnapshotRecord elsewhere = record(OTHER_SNAPSHOT, ServiceKind.EC2, "us-east-1", "i-0d", Map.of("state", "running"));
        store.putRecords(List.of(ec2East, ec2EastToo, rdsEast, ec2West, elsewhere));

        assertThat(store.records(SNAPSHOT, null, null)).containsExactly(ec2West, ec2EastToo, ec2East, rdsEast);
        assertThat(store.records(SNAPSHOT, "us-east-1", ServiceKind.EC2)).containsExactly(ec2EastToo, ec2East);
        assertThat(store.records(SNAPSHOT, "us-east-1", ServiceKind.RDS)).containsExactly(rdsEast);
        assertThat(store.records(SNAPSHOT, "eu-west-1", ServiceKind.RDS)).isEmpty();
        assertThat(store.records(OTHER_SNAPSHOT, null, null)).containsExactly(elsewhere);
        assertThat(store.records("pause-20260101-000000-000000", null, null)).isEmpty();
        assertThat(store.scanRecords(SNAPSHOT)).isEqualTo(new SnapshotStore.RecordScan(
                List.of(ec2West, ec2EastToo, ec2East, rdsEast), Map.of()));
    }

    @Test
    void moreRecordsThanOneWriteHoldsAreAllStored() {
        List<SnapshotRecord> many = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            many.add(record(SNAPSHOT, ServiceKind.EC2, "us-east-1", String.format("i-%017x", i), Map.of("state", "running")));
        }
        store.putRecords(many);
        assertThat(store.records(SNAPSHOT, null, null)).containsExactlyElementsOf(many);
    }

    @Test
    void aPutReplacesTheRecordWithTheSameKey() {
        SnapshotRecord first = record(SNAPSHOT, ServiceKind.EC2, "us-east-1", "i-0a", Map.of("instanceType", "t3.micro"));
        SnapshotRecord again = record(SNAPSHOT, ServiceKind.EC2, "us-east-1", "i-0a", Map.of("instanceType", "t3.large"))
                .withPhase(Outcome.RESUMED, null, T0.plusSeconds(60));
        store.putRecords(List.of(first));
        store.putRecords(List.of(again));
        assertThat(store.records(SNAPSHOT, null, null)).containsExactly(again);
    }

    @Test
    void aPhaseUpdateMovesPhaseAndReasonAndKeepsTheStoredOriginalState() {
        SnapshotRecord stored = record(SNAPSHOT, ServiceKind.EC2, "us-east-1", "i-0a", Map.of("instanceType", "t3.micro"));
        store.putRecords(List.of(stored));
        // the caller's copy says something else: the first original state recorded is the one kept
        SnapshotRecord callersCopy = record(SNAPSHOT, ServiceKind.EC2, "us-east-1", "i-0a", Map.of("instanceType", "m5.large"));

        Instant failedAt = T0.plusSeconds(10);
        store.updatePhase(callersCopy, Outcome.FAILED, "StopInstances refused", failedAt);
        assertThat(store.records(SNAPSHOT, null, null)).containsExactly(stored.withPhase(Outcome.FAILED, "StopInstances refused", failedAt));

        Instant pausedAt = T0.plusSeconds(20);
        store.updatePhase(callersCopy, Outcome.PAUSED, null, pausedAt);
        assertThat(store.records(SNAPSHOT, null, null)).as("no reason any more").containsExactly(stored.withPhase(Outcome.PAUSED, null, pausedAt));
    }

    @Test
    void aPhaseUpdateOfARecordThatIsNotStoredIsRefusedAndWritesNothing() {
        SnapshotRecord missing = record(SNAPSHOT, ServiceKind.EC2, "us-east-1", "i-0a", Map.of("state", "running"));
        assertThatThrownBy(() -> store.updatePhase(missing, Outcome.PAUSED, null, T0)).isInstanceOf(RecordNotFoundException.class)
                .hasMessageContaining("snapshot " + SNAPSHOT + " has no record 'us-east-1#ec2#i-0a'");
        assertThat(store.records(SNAPSHOT, null, null)).isEmpty();
    }

    @Test
    void anUnreadableRecordIsNamedAndTheOthersStillRead() {
        SnapshotRecord sound = record(SNAPSHOT, ServiceKind.EC2, "us-east-1", "i-0a", Map.of("state", "running"));
        SnapshotRecord west = record(SNAPSHOT, ServiceKind.EC2, "eu-west-1", "i-0c", Map.of("state", "running"));
        store.putRecords(List.of(sound, west));
        storeUnreadableRecord(SNAPSHOT, "us-east-1#ec2#i-0b");

        assertThatThrownBy(() -> store.records(SNAPSHOT, "us-east-1", ServiceKind.EC2)).isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("snapshot " + SNAPSHOT + " has an unreadable record 'us-east-1#ec2#i-0b': ");
        assertThat(store.records(SNAPSHOT, "eu-west-1", ServiceKind.EC2)).containsExactly(west);
        SnapshotStore.RecordScan scan = store.scanRecords(SNAPSHOT);
        assertThat(scan.readable()).containsExactly(west, sound);
        assertThat(scan.unreadable()).containsOnlyKeys("us-east-1#ec2#i-0b");
        assertThat(scan.unreadable().get("us-east-1#ec2#i-0b")).startsWith("snapshot " + SNAPSHOT + " has an unreadable record");
    }

    @Test
    void aSnapshotIdThatIsNotOneIsRefusedBeforeAnythingIsReadOrWritten() {
        assertThatThrownBy(() -> store.records("../x", null, null)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("invalid snapshot id '../x'");
        assertThatThrownBy(() -> store.scanRecords("../x")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> store.putRecords(List.of(record("../x", ServiceKind.EC2, "us-east-1", "i-0a", Map.of()))))
                .isInstanceOf(InvalidRequestException.class);
    }

    // ---------------------------------------------------------------- documents

    @Test
    void aDocumentIsReadBackWholeAsPutAndReplacedWhole() {
        String key = SnapshotStore.reportKey(RESUME, "html");
        assertThat(store.getDocument(key)).isEmpty();
        store.putDocument(key, "<p>Pausé: 3 € l'heure ✓</p>", "text/html");
        assertThat(store.getDocument(key)).contains("<p>Pausé: 3 € l'heure ✓</p>");
        store.putDocument(key, "<p>2</p>", "text/html");
        assertThat(store.getDocument(key)).contains("<p>2</p>");
        assertThat(store.getDocument(SnapshotStore.reportKey(RESUME, "csv"))).isEmpty();
    }

    @Test
    void aDamagedDocumentIsReturnedAsStoredForItsReaderToJudge() {
        String key = SnapshotStore.snapshotKey(SNAPSHOT);
        store.putDocument(key, "{\"formatVersion\":1,\"header\":", "application/json");
        assertThat(store.getDocument(key)).contains("{\"formatVersion\":1,\"header\":");
    }

    // ---------------------------------------------------------------- the engine's integrity check over each storage

    @Test
    void theIntegrityCheckNamesEachDamageAndRebuildsRecordsFromTheS3CopyKeepingTheirFirstOriginalState() {
        OperationHeader h = header(SNAPSHOT, Action.PAUSE, OperationHeader.PAUSED, T0, null);
        SnapshotRecord a = record(SNAPSHOT, ServiceKind.EC2, "us-east-1", "i-0a", Map.of("instanceType", "t3.micro"));
        SnapshotRecord b = record(SNAPSHOT, ServiceKind.EC2, "us-east-1", "i-0b", Map.of("instanceType", "t3.micro"));
        SnapshotRecord c = record(SNAPSHOT, ServiceKind.RDS, "us-east-1", "db-1", Map.of("status", "available"));
        store.putDocument(SnapshotStore.snapshotKey(SNAPSHOT),
                Json.writePretty(new SnapshotDocument(SnapshotDocument.FORMAT_VERSION, h, List.of(a, b, c))), "application/json");
        store.putHeader(h);
        // b lost; c's original state overwritten; a moved on to a later phase (normal)
        SnapshotRecord aLater = a.withPhase(Outcome.RESUMED, null, T0.plusSeconds(90));
        store.putRecords(List.of(aLater, record(SNAPSHOT, ServiceKind.RDS, "us-east-1", "db-1", Map.of("status", "stopped"))));
        storeUnreadableRecord(SNAPSHOT, "eu-west-1#ec2#i-0z");

        SnapshotIntegrity integrity = new SnapshotIntegrity(store);
        SnapshotIntegrity.Check check = integrity.check(SNAPSHOT);
        assertThat(check.s3Intact()).isTrue();
        assertThat(check.dynamoDbProblems()).containsExactlyInAnyOrder(
                "record eu-west-1#ec2#i-0z is unreadable: " + unreadableReason(),
                "record us-east-1#ec2#i-0b is missing",
                "record us-east-1#rds#db-1 has another original state than the S3 copy");
        assertThatThrownBy(() -> integrity.requireDynamoDbIntact(SNAPSHOT)).isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("is damaged in DynamoDB table " + store.table());

        assertThat(integrity.rebuildDynamoDbFromS3(SNAPSHOT)).isEqualTo(2);
        assertThat(store.records(SNAPSHOT, "us-east-1", ServiceKind.EC2)).containsExactly(aLater, b);
        assertThat(store.records(SNAPSHOT, "us-east-1", ServiceKind.RDS)).containsExactly(c);
    }

    @Test
    void theIntegrityCheckFindsAMissingOrDamagedS3Copy() {
        store.putHeader(header(SNAPSHOT, Action.PAUSE, OperationHeader.PAUSED, T0, null));
        SnapshotIntegrity integrity = new SnapshotIntegrity(store);
        String where = "s3://" + store.bucket() + "/snapshots/" + SNAPSHOT + ".json";
        assertThat(integrity.check(SNAPSHOT).s3Problem()).contains(where + " is missing");
        store.putDocument(SnapshotStore.snapshotKey(SNAPSHOT), "{\"formatVersion\":1,\"header\":", "application/json");
        assertThat(integrity.check(SNAPSHOT).s3Problem()).hasValueSatisfying(p -> assertThat(p).startsWith(where + " is unreadable ("));
        assertThat(integrity.check(SNAPSHOT).dynamoDbIntact()).isTrue();
    }

    /** Why a record stored by {@link #storeUnreadableRecord} cannot be read, as the DynamoDB adapter says it. */
    static String unreadableReason() {
        return "its 'service' is missing or not a string";
    }
}
