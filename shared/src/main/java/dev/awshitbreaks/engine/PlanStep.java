package dev.awshitbreaks.engine;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.SnapshotNotFoundException;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.snapshot.LockOwner;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The state machine's {@code Plan} task (and the start of an in-process run): validates the request before any AWS
 * call, resolves the regions, finds the snapshot, takes the account lock for a real pause or resume, writes the
 * headers and lists the (region, service) targets in their phases.
 */
public final class PlanStep {
    private final AwsClients clients;
    private final SnapshotStore store;
    private final EngineSettings settings;
    private final Clock clock;
    private final Supplier<RandomGenerator> random;

    public PlanStep(AwsClients clients, SnapshotStore store, EngineSettings settings, Clock clock,
            Supplier<RandomGenerator> random) {
        this.clients = clients;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Validates the request (before any AWS call), resolves {@code all} to the enabled regions, finds the
     * snapshot, takes the account lock for a real pause or resume and writes the headers. The lock's owner is
     * this process (see {@link LockOwner}).
     */
    public Plan plan(Request raw) {
        return plan(raw, null);
    }

    /**
     * As {@link #plan(Request)}; with an {@code execution} (the state machine's), the operation id is derived from
     * the execution's id and start time and the lock is owned by the execution, so a retried Plan of the same
     * execution gets the same operation id, re-enters its own lock and rewrites the same headers.
     */
    public Plan plan(Request raw, Execution execution) {
        return planned(raw, execution).plan();
    }

    /**
     * A plan, and for a resume its snapshot's integrity check (null otherwise): the in-process runner works from the
     * records that check read instead of reading the snapshot again (see {@link ResumeRecords}).
     */
    record Planned(Plan plan, SnapshotIntegrity.Check check) {
    }

    /** As {@link #plan(Request, Execution)}, with the resume's integrity check. */
    Planned planned(Request raw, Execution execution) {
        Request request = raw.validated();
        Instant now = execution == null ? clock.instant() : execution.startTime();
        Action action = request.action();
        boolean dryRun = request.isDryRun();
        String kind = dryRun ? "dryrun" : action.id();
        String operationId = OperationId.next(kind, now, execution == null ? random.get() : execution.random());

        if (dryRun || action == Action.DISCOVER) {
            Resolved r = resolve(request, action);
            Request resolved = request.withRegions(r.regions());
            Plan plan = new Plan(operationId, r.resumeFrom(), action, dryRun, resolved, now, r.targets());
            store.putHeader(new OperationHeader(operationId, action, dryRun, OperationHeader.RUNNING,
                    request.trigger(), resolved, now, now, r.resumeFrom()));
            return new Planned(plan, r.check());
        }

        // The lock first: a resume during a pause (or the reverse) is refused saying what runs, before anything else.
        String owner = execution == null ? LockOwner.thisProcess() : LockOwner.execution(execution.id());
        Optional<SnapshotStore.LockHolder> tookOver = store.acquireLock(operationId, action, owner, clock.instant(),
                settings.lockLease(), LockOwner::provablyDead);
        try {
            tookOver.ifPresent(this::markInterrupted);
            Resolved r = resolve(request, action);
            Request resolved = request.withRegions(r.regions());
            String snapshotId;
            if (action == Action.PAUSE) {
                snapshotId = activeSnapshot().map(OperationHeader::operationId).orElse(operationId);
                if (snapshotId.equals(operationId)) {
                    store.putHeader(new OperationHeader(operationId, action, false, OperationHeader.PAUSING,
                            request.trigger(), resolved, now, now, null));
                    store.setActiveSnapshot(operationId);
                } else {
                    updateSnapshotStatus(snapshotId, OperationHeader.PAUSING, now);
                }
            } else {
                snapshotId = r.resumeFrom();
                updateSnapshotStatus(snapshotId, OperationHeader.RESUMING, now);
            }
            if (!snapshotId.equals(operationId)) {
                store.putHeader(new OperationHeader(operationId, action, false, OperationHeader.RUNNING,
                        request.trigger(), resolved, now, now, snapshotId));
            }
            return new Planned(new Plan(operationId, snapshotId, action, false, resolved.withSnapshotId(
                    action == Action.RESUME ? snapshotId : null), now, r.targets()), r.check());
        } catch (RuntimeException e) {
            store.releaseLock(operationId);
            throw e;
        }
    }

    /** A state machine execution: its id (ARN) and start time. */
    public record Execution(String id, Instant startTime) {
        public Execution {
            if (id == null || id.isBlank() || id.length() > 2048) {
                throw new dev.awshitbreaks.core.InvalidRequestException("invalid execution id: expected the execution's ARN");
            }
            java.util.Objects.requireNonNull(startTime, "startTime");
        }

        /** Randomness fixed by the execution, so every attempt of its Plan draws the same operation id. */
        RandomGenerator random() {
            java.util.UUID u = java.util.UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new java.util.SplittableRandom(u.getMostSignificantBits() ^ u.getLeastSignificantBits());
        }
    }

    /** {@code check}: a resume's integrity check of its snapshot (passed: every item readable), else null. */
    record Resolved(String resumeFrom, List<String> regions, List<Target> targets, SnapshotIntegrity.Check check) {
    }

    Resolved resolve(Request request, Action action) {
        if (action == Action.RESUME) {
            // A resume works only where its snapshot holds resources still to resume.
            String resumeFrom = resolveSnapshotToResume(request);
            // Refuse clearly, before any change, when the DynamoDB copy it would work from is damaged.
            // Its records as that check read them (it refuses any unreadable item): the snapshot is read once here.
            SnapshotIntegrity.Check check = new SnapshotIntegrity(store).requireDynamoDbIntact(resumeFrom);
            Set<Target> held = new LinkedHashSet<>();
            check.dynamoDbRecords().stream().filter(SnapshotRecord::needsResume)
                    .map(PauserInput::of) // refused before any change when an original state is unreadable
                    .forEach(r -> held.add(new Target(r.region(), r.service())));
            List<String> regions = held.stream().map(Target::region)
                    .filter(r -> request.allRegions() || request.regions().contains(r)).distinct().sorted().toList();
            return new Resolved(resumeFrom, regions,
                    targets(action, regions, request.serviceKinds()).stream().filter(held::contains).toList(), check);
        }
        List<String> regions = request.allRegions() ? enabledRegions() : request.regions();
        return new Resolved(null, regions, targets(action, regions, request.serviceKinds()), null);
    }

    /** The operation whose dead run's lock was taken over is marked interrupted (its snapshot, if any, lives on). */
    private void markInterrupted(SnapshotStore.LockHolder dead) {
        if (!OperationId.isOperationId(dead.operationId())) {
            return;
        }
        store.header(dead.operationId()).filter(h -> OperationHeader.RUNNING.equals(h.status()))
                .ifPresent(h -> store.putHeader(h.withStatus(OperationHeader.INTERRUPTED, clock.instant())));
    }

    private String resolveSnapshotToResume(Request request) {
        String named = request.snapshotId() != null ? request.snapshotId() : store.activeSnapshotId().orElse(null);
        if (named != null && store.header(named).isEmpty()
                && store.getDocument(SnapshotStore.snapshotKey(named)).isPresent()) {
            new SnapshotIntegrity(store).requireDynamoDbIntact(named); // its header is gone: says so, names the way back
        }
        if (request.snapshotId() != null) {
            OperationHeader h = store.header(request.snapshotId())
                    .filter(x -> x.action() == Action.PAUSE && !x.dryRun())
                    .orElseThrow(() -> new SnapshotNotFoundException("no snapshot '" + request.snapshotId()
                            + "' in table " + store.table() + "; --status lists the snapshots there are"));
            return h.operationId();
        }
        return activeSnapshot().map(OperationHeader::operationId)
                .orElseThrow(() -> new SnapshotNotFoundException(
                        "there is no paused snapshot to resume in table " + store.table()
                                + "; --status lists past snapshots, and --snapshot ID resumes one of them"));
    }

    private Optional<OperationHeader> activeSnapshot() {
        return store.activeSnapshotId().flatMap(store::header).filter(OperationHeader::isActiveSnapshot);
    }

    private void updateSnapshotStatus(String snapshotId, String status, Instant now) {
        OperationHeader h = store.header(snapshotId)
                .orElseThrow(() -> new SnapshotNotFoundException("snapshot " + snapshotId + " has no header"));
        store.putHeader(h.withStatus(status, now));
    }

    /** The regions enabled in this account, from EC2 DescribeRegions in the state region. */
    public List<String> enabledRegions() {
        return clients.ec2(clients.settings().stateRegion()).describeRegions(b -> b.allRegions(false)).regions().stream()
                .map(r -> r.regionName()).sorted().toList();
    }

    /**
     * Targets in the order they should run, phase by phase ({@link OrchestrationPolicy.Phase}): compute before
     * databases on pause, databases first on resume.
     */
    static List<Target> targets(Action action, List<String> regions, List<ServiceKind> services) {
        List<Target> out = new ArrayList<>();
        for (ServiceKind s : services) {
            for (String r : regions) {
                out.add(new Target(r, s));
            }
        }
        out.sort(Comparator.comparing(t -> OrchestrationPolicy.Phase.of(action, t)));
        return out;
    }
}
