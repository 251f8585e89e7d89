package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state machine's {@code CheckDatabases} task, between a real resume's phases: which of the databases it started
 * are not available yet. The in-process runner asks the same before resuming compute ({@link InProcessRunner}).
 */
public final class ReadinessStep {
    private final SnapshotStore store;
    private final Map<ServiceKind, ResourcePauser> pausers;

    public ReadinessStep(SnapshotStore store, Map<ServiceKind, ResourcePauser> pausers) {
        this.store = store;
        this.pausers = pausers;
    }

    /**
     * The databases a real resume has started that are not available yet, as "region/service/id: status";
     * empty when every one is ready (or for anything but a real resume). The state machine's wait loop
     * and the in-process run both ask this before resuming compute.
     */
    public List<String> databasesNotReady(Plan plan) {
        if (plan.action() != Action.RESUME || plan.dryRun()) {
            return List.of();
        }
        return notReady(resumedDatabases(store.records(plan.snapshotId(), null, null)));
    }

    /** As {@link #databasesNotReady(Plan)}, from the records an in-process resume holds when it holds them. */
    List<String> databasesNotReady(Plan plan, ResumeRecords held) {
        if (held == null || plan.action() != Action.RESUME || plan.dryRun()) {
            return databasesNotReady(plan);
        }
        return notReady(held.resumedDatabases());
    }

    /** The databases whose records say resumed, by target, in record order. */
    static Map<Target, List<SnapshotRecord>> resumedDatabases(List<SnapshotRecord> records) {
        Map<Target, List<SnapshotRecord>> started = new LinkedHashMap<>();
        for (SnapshotRecord r : records) {
            if (r.service().database() && r.phase() == Outcome.RESUMED) {
                started.computeIfAbsent(new Target(r.region(), r.service()), k -> new ArrayList<>()).add(r);
            }
        }
        return started;
    }

    /** Asks each database's service which of the started databases are not available yet. */
    private List<String> notReady(Map<Target, List<SnapshotRecord>> started) {
        List<String> pending = new ArrayList<>();
        started.forEach((target, records) -> pausers.get(target.service())
                .notReady(target.region(), records.stream().map(PauserInput::of).toList())
                .forEach((id, why) -> pending.add(target.region() + "/" + target.service().id() + "/" + id + ": " + why)));
        return pending;
    }
}
