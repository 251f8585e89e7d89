package dev.awshitbreaks.snapshot.memory;

import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.snapshot.CorruptSnapshotException;
import dev.awshitbreaks.snapshot.RecordNotFoundException;
import dev.awshitbreaks.snapshot.RecordStore;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records in memory, under the rules of {@link dev.awshitbreaks.snapshot.DynamoDbRecordStore} (key order, a put replaces,
 * a phase update only of a stored record and never of its original state, unreadable records named), which
 * {@code StorageContract} checks against both.
 */
public final class InMemoryRecordStore implements RecordStore {
    /** Snapshot id, then record key in key order; a String value is a stored record that cannot be read. */
    private final Map<String, TreeMap<String, Object>> snapshots = new HashMap<>();

    @Override
    public synchronized List<SnapshotRecord> records(String snapshotId, String region, ServiceKind service) {
        OperationId.requireSnapshotId(snapshotId);
        String prefix = region == null ? "" : region + "#" + service.id() + "#";
        List<SnapshotRecord> out = new ArrayList<>();
        snapshots.getOrDefault(snapshotId, new TreeMap<>()).forEach((key, stored) -> {
            if (key.startsWith(prefix)) {
                if (stored instanceof String reason) {
                    throw unreadable(snapshotId, key, reason);
                }
                out.add((SnapshotRecord) stored);
            }
        });
        return out;
    }

    @Override
    public synchronized SnapshotStore.RecordScan scan(String snapshotId) {
        OperationId.requireSnapshotId(snapshotId);
        List<SnapshotRecord> ok = new ArrayList<>();
        Map<String, String> bad = new TreeMap<>();
        snapshots.getOrDefault(snapshotId, new TreeMap<>()).forEach((key, stored) -> {
            if (stored instanceof String reason) {
                bad.put(key, unreadable(snapshotId, key, reason).getMessage());
            } else {
                ok.add((SnapshotRecord) stored);
            }
        });
        return new SnapshotStore.RecordScan(ok, bad);
    }

    @Override
    public synchronized void putRecords(List<SnapshotRecord> records) {
        records.forEach(r -> OperationId.requireSnapshotId(r.snapshotId()));
        records.forEach(r -> snapshot(r.snapshotId()).put(SnapshotStore.recordKey(r), r));
    }

    @Override
    public synchronized void updatePhase(SnapshotRecord record, Outcome phase, String reason, Instant at) {
        OperationId.requireSnapshotId(record.snapshotId());
        String key = SnapshotStore.recordKey(record);
        TreeMap<String, Object> records = snapshot(record.snapshotId());
        Object stored = records.get(key);
        if (stored == null) {
            throw new RecordNotFoundException(record.snapshotId(), key);
        }
        if (stored instanceof SnapshotRecord r) {
            records.put(key, r.withPhase(phase, reason, at)); // the stored record's fields, the original state above all
        }
    }

    /** Test hook: a stored record that cannot be read, for the reason given (as a damaged DynamoDB item would be). */
    public synchronized void putUnreadable(String snapshotId, String key, String reason) {
        snapshot(snapshotId).put(key, reason);
    }

    private TreeMap<String, Object> snapshot(String snapshotId) {
        return snapshots.computeIfAbsent(snapshotId, id -> new TreeMap<>());
    }

    private static CorruptSnapshotException unreadable(String snapshotId, String key, String reason) {
        return new CorruptSnapshotException("snapshot " + snapshotId + " has an unreadable record " + Shown.quote(key) + ": " + reason);
    }
}
