package dev.awshitbreaks.snapshot;

import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ServiceKind;
import java.time.Instant;
import java.util.List;

/**
 * The records of snapshots, one per paused resource, keyed by snapshot and {@link SnapshotStore#recordKey}. A put
 * replaces a record with the same key: keeping the first original state (a join) is the engine's rule, which reads
 * the records before it writes. Adapters: {@link DynamoDbRecordStore}, and an in-memory one for tests;
 * {@code StorageContract} holds both to the same rules.
 */
public interface RecordStore {
    /**
     * The records of one snapshot in key order, all of them ({@code region} null) or those of one region and
     * service; any unreadable one is a {@link CorruptSnapshotException} naming the snapshot and the record's key.
     */
    List<SnapshotRecord> records(String snapshotId, String region, ServiceKind service);

    /** Every record of a snapshot, each read on its own: the readable ones, and why each other one is not. */
    SnapshotStore.RecordScan scan(String snapshotId);

    /** Stores every record (replacing any with the same key); returns only when all are stored. */
    void putRecords(List<SnapshotRecord> records);

    /**
     * Moves a stored record to a new phase and reason (null: none), keeping everything else as stored, its original
     * state above all; a record that is not stored is a {@link RecordNotFoundException} and nothing is written.
     */
    void updatePhase(SnapshotRecord record, Outcome phase, String reason, Instant at);
}
