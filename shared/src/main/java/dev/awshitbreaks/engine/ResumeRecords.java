package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of the snapshot an in-process resume works on: read once, by its plan's integrity check, while the
 * run holds the account lock, and kept up to date with every phase the run writes. Under the lock no other pause or
 * resume writes to the snapshot, so a target's records here are what a query of the table would return; the run
 * then needs no query per target and none per readiness check (on DynamoDB's emulator each such query goes through
 * the whole snapshot). Its summary uses them too when every target ended, each having written its records as held
 * here; after a failed target (whose write may have half happened) the summary reads the table.
 */
final class ResumeRecords {
    /** By record key ({@code region#service#id}), in the order the table returned them. */
    private final Map<String, SnapshotRecord> byKey = new LinkedHashMap<>();

    ResumeRecords(List<SnapshotRecord> read) {
        read.forEach(r -> byKey.put(SnapshotStore.recordKey(r), r));
    }

    /** One target's records, in table order: what {@code store.records(snapshot, region, service)} returns. */
    synchronized List<SnapshotRecord> of(String region, ServiceKind service) {
        return byKey.values().stream().filter(r -> r.region().equals(region) && r.service() == service).toList();
    }

    /** Records the phases a target is about to write (before the write: a database it started is waited for). */
    synchronized void update(List<SnapshotRecord> written) {
        written.forEach(r -> byKey.put(SnapshotStore.recordKey(r), r));
    }

    /** Every record, in table order. */
    synchronized List<SnapshotRecord> all() {
        return List.copyOf(byKey.values());
    }

    /** The databases whose records say resumed, by target: what the readiness check asks RDS about. */
    synchronized Map<Target, List<SnapshotRecord>> resumedDatabases() {
        return ReadinessStep.resumedDatabases(new ArrayList<>(byKey.values()));
    }
}
