package dev.awshitbreaks.restop;

import dev.awshitbreaks.core.EngineLog;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.restop.RestopResult.Action;
import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.UnreadableOriginalStateException;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/**
 * The seven-day trap: RDS starts a stopped DB instance or DB cluster again after seven days. On the event that
 * says so ({@link RdsAutoStartEvent}) this stops it again, but only while the active snapshot holds it paused:
 * <ol>
 *   <li>The active snapshot ({@code ACTIVE/SNAPSHOT}) must exist, be a real pause that is not resumed and not being
 *       resumed, and hold a record for this (region, service, identifier) in phase {@code paused}.</li>
 *   <li>The database under that name must be the one that was paused: its DbiResourceId / DbClusterResourceId must
 *       equal the one recorded (a database re-created under the same name is not ours to stop).</li>
 *   <li>RDS refuses to stop a database that is still {@code starting} (InvalidDBInstanceState /
 *       InvalidDBClusterStateFault), so this waits, bounded by {@link RestopSettings#maxWait()}, until it is
 *       {@code available}; then checks the snapshot again (a resume may have begun meanwhile) and stops it.</li>
 * </ol>
 * Every decision is logged with its reason. Only a paused database that could not be stopped is an error
 * ({@link RestopFailedException}); an unreadable event, another event id, or a database that is not paused is
 * logged and left alone.
 */
public final class RdsRestopper {
    /** Statuses in which the database is already on its way down: a repeated event, nothing to do. */
    private static final Set<String> STOPPED = Set.of("stopped", "stopping");
    private static final Set<String> GONE = Set.of("deleting", "deleted");

    private final Function<String, RdsClient> rds;
    private final SnapshotStore store;
    private final RestopSettings settings;
    private final EngineLog log;

    /**
     * @param rds the RDS client of a region (normally {@code AwsClients::rds})
     * @param log receives one line per decision (INFO), remarks about odd events (WARN) and failures (ERROR)
     */
    public RdsRestopper(Function<String, RdsClient> rds, SnapshotStore store, RestopSettings settings, EngineLog log) {
        this.rds = rds;
        this.store = store;
        this.settings = settings;
        this.log = log;
    }

    /** Reads an EventBridge event and acts on it; never throws for an event it cannot use. */
    public RestopResult handle(String eventJson) {
        RdsAutoStartEvent event;
        try {
            event = RdsAutoStartEvent.read(eventJson, line -> log.warn("restop note: " + line));
        } catch (UnusableEventException e) {
            return report(RestopResult.ignored(e.getMessage()));
        }
        return restop(event);
    }

    /**
     * Stops the database again if the active snapshot holds it paused.
     *
     * @throws RestopFailedException when it is paused but could not be stopped
     */
    public RestopResult restop(RdsAutoStartEvent event) {
        Paused paused = paused(event);
        if (paused.record() == null) {
            return report(RestopResult.of(Action.NOT_PAUSED, event, paused.snapshotId(), paused.why()));
        }
        Database db = database(event);
        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        boolean waited = false;
        while (true) {
            Optional<State> now = db.describe();
            if (now.isEmpty() || GONE.contains(now.get().status())) {
                return report(RestopResult.of(Action.GONE, event, paused.snapshotId(), "the " + event.what()
                        + " no longer exists" + now.map(s -> " (" + s.status() + ")").orElse("") + "; nothing to stop"));
            }
            State s = now.get();
            String recorded = recordedResourceId(paused.record());
            if (recorded != null && s.resourceId() != null && !recorded.equals(s.resourceId())) {
                return report(RestopResult.of(Action.NOT_OURS, event, paused.snapshotId(), event.identifier()
                        + " is now a different " + event.what() + " (resource id " + recorded + " became " + s.resourceId()
                        + "): not the one that was paused, left running"));
            }
            if (STOPPED.contains(s.status())) {
                return report(RestopResult.of(Action.ALREADY_STOPPED, event, paused.snapshotId(), "already " + s.status()));
            }
            if ("available".equals(s.status())) {
                break;
            }
            if (System.nanoTime() >= deadline) {
                throw failed(event, paused, "still " + s.status() + " after waiting " + settings.maxWait().toSeconds()
                        + "s for it to become available (RDS stops only an available " + event.what() + ")", null);
            }
            if (!waited) {
                log.info("restop waiting: " + event.service().id() + " " + event.region() + "/" + event.identifier() + " is "
                        + s.status() + "; waiting up to " + settings.maxWait().toSeconds() + "s for it to become available");
                waited = true;
            }
            sleep(settings.pollInterval().toMillis());
        }
        if (waited) {
            // A resume may have started (or finished) while we waited: it is the resume's database then.
            Paused again = paused(event);
            if (again.record() == null) {
                return report(RestopResult.of(Action.NOT_PAUSED, event, again.snapshotId(), again.why() + " (checked again after waiting)"));
            }
        }
        try {
            db.stop();
        } catch (SdkException e) {
            throw failed(event, paused, "Stop" + (event.service() == ServiceKind.RDS ? "DBInstance" : "DBCluster")
                    + " failed: " + describeError(e), e);
        }
        return report(RestopResult.of(Action.STOPPED, event, paused.snapshotId(), "RDS started it after seven days stopped; "
                + "stopped again because snapshot " + paused.snapshotId() + " holds it paused"));
    }

    // ---------------------------------------------------------------- the scheduled sweep, every region

    /**
     * Whether the input is EventBridge's scheduled event ({@code source} aws.events, {@code detail-type} "Scheduled
     * Event"), which the stack's schedule rule sends to start a {@link #sweep}.
     */
    public static boolean isScheduledEvent(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode root = json == null || json.isBlank() ? null
                    : dev.awshitbreaks.core.Json.mapper().readTree(json);
            return root != null && root.isObject() && "aws.events".equals(root.path("source").asText(null))
                    && "Scheduled Event".equals(root.path("detail-type").asText(null));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** What one sweep found: the snapshot it swept for, how many paused databases it checked, what it did. */
    public record SweepResult(String snapshotId, int checked, List<RestopResult> actions, String reason) {
    }

    /**
     * The seven-day trap in every region the pause covered: EventBridge rules are regional, so RDS's automatic-start
     * events reach the stack's rule only from the stack's region. Run on a schedule (hourly), this reads the active
     * snapshot's paused RDS and Aurora records, describes the databases of each region they are in (one paginated
     * DescribeDBInstances / DescribeDBClusters per region and kind), and stops each that is {@code available} while
     * the snapshot still holds it paused, after the same checks as an event (the resource id recorded, the snapshot
     * not being resumed, checked again just before the stop). A database still {@code starting} is left to the next
     * sweep (RDS stops only an available one). Databases of the stack's region are swept too (a lost event).
     *
     * @throws RestopFailedException when a paused database was found running and its stop failed (after every other
     *     database of the sweep was handled)
     */
    public SweepResult sweep() {
        Paused active = activeForSweep();
        if (active.why() != null) {
            log.info("restop sweep: " + active.why());
            return new SweepResult(active.snapshotId(), 0, List.of(), active.why());
        }
        String snapshotId = active.snapshotId();
        Map<String, Map<ServiceKind, List<SnapshotRecord>>> byRegion = new TreeMap<>();
        for (SnapshotRecord r : store.records(snapshotId, null, null)) {
            if ((r.service() == ServiceKind.RDS || r.service() == ServiceKind.AURORA) && r.phase() == Outcome.PAUSED) {
                byRegion.computeIfAbsent(r.region(), k -> new EnumMap<>(ServiceKind.class))
                        .computeIfAbsent(r.service(), k -> new ArrayList<>()).add(r);
            }
        }
        List<RestopResult> actions = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (var region : byRegion.entrySet()) {
            for (var kind : region.getValue().entrySet()) {
                Map<String, State> states;
                try {
                    states = describeAll(region.getKey(), kind.getKey());
                } catch (SdkException e) {
                    failures.add(kind.getKey().id() + " " + region.getKey() + ": describing failed: " + describeError(e));
                    continue;
                }
                for (SnapshotRecord r : kind.getValue()) {
                    checked++;
                    sweepOne(snapshotId, r, states.get(r.id().toLowerCase(java.util.Locale.ROOT)), actions, failures);
                }
            }
        }
        String summary = "snapshot " + snapshotId + ": " + checked + " paused database(s) in " + byRegion.size()
                + " region(s) checked, " + actions.stream().filter(a -> a.action() == Action.STOPPED).count()
                + " stopped again";
        log.info("restop sweep: " + summary);
        if (!failures.isEmpty()) {
            RestopFailedException x = new RestopFailedException("the sweep of " + summary + " could not stop every paused"
                    + " database found running: " + String.join("; ", failures), null);
            log.error("restop sweep failed: " + x.getMessage());
            throw x;
        }
        return new SweepResult(snapshotId, checked, actions, summary);
    }

    /** The resource id the pause recorded for a DB instance or cluster; null when none is (or none is readable). */
    private static String recordedResourceId(SnapshotRecord r) {
        try {
            OriginalState o = OriginalState.read(r.service(), r.original());
            return o instanceof OriginalState.RdsInstance i ? i.resourceId()
                    : o instanceof OriginalState.AuroraCluster c ? c.resourceId() : null;
        } catch (UnreadableOriginalStateException e) {
            return null;
        }
    }

    private void sweepOne(String snapshotId, SnapshotRecord r, State s, List<RestopResult> actions, List<String> failures) {
        String what = r.service() == ServiceKind.RDS ? "DB instance" : "DB cluster";
        RdsAutoStartEvent as = new RdsAutoStartEvent(r.region(), SWEEP_EVENT_ID, r.service(), r.id(), null);
        if (s == null || GONE.contains(s.status()) || STOPPED.contains(s.status())) {
            return; // stopped as paused, or gone: nothing to do, nothing to say
        }
        String recorded = recordedResourceId(r);
        if (recorded != null && s.resourceId() != null && !recorded.equals(s.resourceId())) {
            actions.add(report(RestopResult.of(Action.NOT_OURS, as, snapshotId, r.id() + " is now a different " + what
                    + " (resource id " + recorded + " became " + s.resourceId() + "): not the one that was paused, left running")));
            return;
        }
        if (!"available".equals(s.status())) {
            log.info("restop sweep: " + r.service().id() + " " + r.region() + "/" + r.id() + " is " + s.status()
                    + "; RDS stops only an available " + what + ": the next sweep looks again");
            return;
        }
        // the snapshot again, just before the stop: a resume may have begun since the sweep read it
        Paused again = paused(as);
        if (again.record() == null) {
            actions.add(report(RestopResult.of(Action.NOT_PAUSED, as, again.snapshotId(), again.why())));
            return;
        }
        try {
            database(as).stop();
            actions.add(report(RestopResult.of(Action.STOPPED, as, snapshotId, "found available by the sweep (RDS starts a"
                    + " stopped database after seven days); stopped again because snapshot " + snapshotId + " holds it paused")));
        } catch (SdkException e) {
            failures.add(r.service().id() + " " + r.region() + "/" + r.id() + ": Stop"
                    + (r.service() == ServiceKind.RDS ? "DBInstance" : "DBCluster") + " failed: " + describeError(e));
        }
    }

    /** The event id a sweep's results carry: they come from no RDS event. */
    public static final String SWEEP_EVENT_ID = "sweep";

    /** The active snapshot, if it is a real pause that is not being resumed, or why there is nothing to sweep. */
    private Paused activeForSweep() {
        Optional<String> active = store.activeSnapshotId();
        if (active.isEmpty()) {
            return new Paused(null, null, "no pause is active (there is no active snapshot): nothing to sweep");
        }
        String id = active.get();
        Optional<OperationHeader> header = store.header(id);
        if (header.isEmpty() || !header.get().isActiveSnapshot()) {
            return new Paused(id, null, "snapshot " + id + header.map(h -> " is " + h.status()).orElse(" has no header")
                    + ", not paused: nothing to sweep");
        }
        if (OperationHeader.RESUMING.equals(header.get().status())) {
            return new Paused(id, null, "snapshot " + id + " is being resumed; the resume owns its databases now");
        }
        return new Paused(id, null, null);
    }

    /** Every DB instance (or cluster) of a region, by lower-case identifier: one paginated call. */
    private Map<String, State> describeAll(String region, ServiceKind kind) {
        RdsClient client = rds.apply(region);
        Map<String, State> out = new HashMap<>();
        if (kind == ServiceKind.RDS) {
            client.describeDBInstancesPaginator(b -> b.maxRecords(100)).dbInstances().forEach(i -> out.put(
                    i.dbInstanceIdentifier().toLowerCase(java.util.Locale.ROOT), new State(i.dbInstanceStatus(), i.dbiResourceId())));
        } else {
            client.describeDBClustersPaginator(b -> b.maxRecords(100)).dbClusters().forEach(c -> out.put(
                    c.dbClusterIdentifier().toLowerCase(java.util.Locale.ROOT), new State(c.status(), c.dbClusterResourceId())));
        }
        return out;
    }

    /** The active snapshot's paused record for this database, or why there is none. */
    private record Paused(String snapshotId, SnapshotRecord record, String why) {
    }

    private Paused paused(RdsAutoStartEvent e) {
        Optional<String> active = store.activeSnapshotId();
        if (active.isEmpty()) {
            return new Paused(null, null, "no pause is active (there is no active snapshot); RDS's start is left as it is");
        }
        String id = active.get();
        Optional<OperationHeader> header = store.header(id);
        if (header.isEmpty()) {
            return new Paused(id, null, "the active snapshot " + id + " has no header; nothing is known to be paused");
        }
        OperationHeader h = header.get();
        if (!h.isActiveSnapshot()) {
            return new Paused(id, null, "snapshot " + id + " is " + h.status() + ", not paused");
        }
        if (OperationHeader.RESUMING.equals(h.status())) {
            return new Paused(id, null, "snapshot " + id + " is being resumed; the resume owns this database now");
        }
        Optional<SnapshotRecord> record = store.records(id, e.region(), e.service()).stream()
                .filter(r -> r.id().equalsIgnoreCase(e.identifier())).findFirst();
        if (record.isEmpty()) {
            return new Paused(id, null, "not in snapshot " + id + ": aws-hit-breaks did not pause this " + e.what());
        }
        if (record.get().phase() != Outcome.PAUSED) {
            return new Paused(id, null, "its record in snapshot " + id + " is in phase " + record.get().phase().id()
                    + ", not paused");
        }
        return new Paused(id, record.get(), null);
    }

    private RestopFailedException failed(RdsAutoStartEvent e, Paused p, String why, Throwable cause) {
        RestopFailedException x = new RestopFailedException("paused " + e.what() + " " + e.identifier() + " in " + e.region()
                + " (snapshot " + p.snapshotId() + ") was started by RDS (" + e.eventId() + ") and could not be stopped again: "
                + why, cause);
        log.error("restop failed " + e.service().id() + " " + e.region() + "/" + e.identifier() + ": " + x.getMessage());
        return x;
    }

    private RestopResult report(RestopResult r) {
        log.info(r.logLine());
        return r;
    }

    // ---------------------------------------------------------------- the database, instance or cluster

    /** What we need to know about the database now. */
    private record State(String status, String resourceId) {
    }

    private interface Database {
        Optional<State> describe();

        void stop();
    }

    private Database database(RdsAutoStartEvent e) {
        RdsClient client = rds.apply(e.region());
        String id = e.identifier();
        if (e.service() == ServiceKind.RDS) {
            return new Database() {
                @Override
                public Optional<State> describe() {
                    try {
                        return client.describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().stream().findFirst()
                                .map((DBInstance i) -> new State(i.dbInstanceStatus(), i.dbiResourceId()));
                    } catch (DbInstanceNotFoundException x) {
                        return Optional.empty();
                    }
                }

                @Override
                public void stop() {
                    client.stopDBInstance(b -> b.dbInstanceIdentifier(id));
                }
            };
        }
        return new Database() {
            @Override
            public Optional<State> describe() {
                try {
                    return client.describeDBClusters(b -> b.dbClusterIdentifier(id)).dbClusters().stream().findFirst()
                            .map((DBCluster c) -> new State(c.status(), c.dbClusterResourceId()));
                } catch (DbClusterNotFoundException x) {
                    return Optional.empty();
                }
            }

            @Override
            public void stop() {
                client.stopDBCluster(b -> b.dbClusterIdentifier(id));
            }
        };
    }

    static String describeError(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null && ase.awsErrorDetails().errorCode() != null) {
            return ase.awsErrorDetails().errorCode() + ": " + ase.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database to become available", e);
        }
    }
}
