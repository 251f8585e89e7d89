package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The launcher's {@code --status}: the operations in the table, newest first, and what each snapshot has saved so far.
 * It reads only; no state machine task runs it.
 */
public final class StatusQuery {
    private final SnapshotStore store;
    private final Clock clock;

    public StatusQuery(SnapshotStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** What a snapshot has saved so far, as of now. */
    public SnapshotSavings savings(List<SnapshotRecord> records) {
        return SnapshotSavings.of(records, clock.instant());
    }

    /** The newest operations first; for snapshots, how many records are in each phase and what they saved. */
    public List<SnapshotStatus> status(int limit) {
        Optional<String> active = store.activeSnapshotId();
        List<SnapshotStatus> out = new ArrayList<>();
        for (OperationHeader h : store.headers()) {
            if (out.size() >= limit) {
                break;
            }
            Map<String, Integer> phases = new TreeMap<>();
            SnapshotSavings savings = null;
            if (h.action() == Action.PAUSE && !h.dryRun() && h.operationId().startsWith("pause-")) {
                List<SnapshotRecord> records = store.records(h.operationId(), null, null);
                records.forEach(r -> phases.merge(r.phase().id(), 1, Integer::sum));
                savings = SnapshotSavings.of(records, clock.instant());
            }
            out.add(new SnapshotStatus(h, active.map(h.operationId()::equals).orElse(false), phases, savings));
        }
        return out;
    }
}
