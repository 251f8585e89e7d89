package dev.awshitbreaks.engine;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.BrakeException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.OperationReport.FailedTarget;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.SnapshotNotFoundException;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.core.TargetResult;
import dev.awshitbreaks.cost.CostEstimator;
import dev.awshitbreaks.cost.CostEstimator.Estimate;
import dev.awshitbreaks.cost.PriceBooks;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.AutoScalingPauser;
import dev.awshitbreaks.services.Ec2Pauser;
import dev.awshitbreaks.services.EcsPauser;
import dev.awshitbreaks.services.LambdaConcurrencyPauser;
import dev.awshitbreaks.services.RdsClusterPauser;
import dev.awshitbreaks.services.RdsInstancePauser;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.snapshot.LockOwner;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one code path behind the Lambda handlers and the launcher's {@code --local} mode, in three steps
 * that mirror the state machine: {@link #plan}, {@link #runTarget} per (region, service), and
 * {@link #summarize}. {@link #run} does all three in-process, fanning out over targets in parallel.
 */
public final class BrakeEngine {
    private final AwsClients clients;
    private final SnapshotStore store;
    private final EngineSettings settings;
    private final Clock clock;
    private final Supplier<RandomGenerator> random;
    private final Map<ServiceKind, ResourcePauser> pausers;
    private final CostEstimator costs;

    /** An engine pricing resources from the bundled price table only (no Pricing API calls). */
    public BrakeEngine(AwsClients clients, SnapshotStore store, EngineSettings settings, Clock clock,
            Supplier<RandomGenerator> random, List<ResourcePauser> pausers) {
        this(clients, store, settings, clock, random, pausers, new CostEstimator(PriceBooks.bundled()));
    }

    public BrakeEngine(AwsClients clients, SnapshotStore store, EngineSettings settings, Clock clock,
            Supplier<RandomGenerator> random, List<ResourcePauser> pausers, CostEstimator costs) {
        this.costs = costs;
        this.clients = clients;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        Map<ServiceKind, ResourcePauser> byKind = new EnumMap<>(ServiceKind.class);
        pausers.forEach(p -> byKind.put(p.kind(), p));
        this.pausers = byKind;
    }

    /**
     * The engine with every service's pauser, over the given clients. Randomness is drawn fresh for each
     * operation id (never captured at init, which SnapStart would snapshot).
     */
    public static BrakeEngine create(AwsClients clients, EngineSettings settings) {
        SnapshotStore store = new SnapshotStore(clients::dynamoDb, clients::s3,
                clients.settings().tableName(), clients.settings().bucketName());
        return new BrakeEngine(clients, store, settings, Clock.systemUTC(), SecureRandom::new, pausers(clients, settings),
                new CostEstimator(PriceBooks.forEnvironment(clients, System.getenv())));
    }

    /** One pauser per service kind. */
    public static List<ResourcePauser> pausers(AwsClients clients, EngineSettings settings) {
        return List.of(
                new Ec2Pauser(clients, settings.waits()),
                new RdsInstancePauser(clients, settings.waits()),
                new RdsClusterPauser(clients, settings.waits()),
                new EcsPauser(clients, settings.waits()),
                new AutoScalingPauser(clients, settings.waits()),
                new LambdaConcurrencyPauser(clients, settings.waits()));
    }

    public SnapshotStore store() {
        return store;
    }

    public AwsClients clients() {
        return clients;
    }

    // ---------------------------------------------------------------- plan

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
            return plan;
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
            return new Plan(operationId, snapshotId, action, false, resolved.withSnapshotId(
                    action == Action.RESUME ? snapshotId : null), now, r.targets());
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

    private record Resolved(String resumeFrom, List<String> regions, List<Target> targets) {
    }

    private Resolved resolve(Request request, Action action) {
        if (action == Action.RESUME) {
            // A resume works only where its snapshot holds resources still to resume.
            String resumeFrom = resolveSnapshotToResume(request);
            // Refuse clearly, before any change, when the DynamoDB copy it would work from is damaged.
            new SnapshotIntegrity(store).requireDynamoDbIntact(resumeFrom);
            Set<Target> held = new LinkedHashSet<>();
            store.records(resumeFrom, null, null).stream().filter(SnapshotRecord::needsResume)
                    .map(PauserInput::of) // refused before any change when an original state is unreadable
                    .forEach(r -> held.add(new Target(r.region(), r.service())));
            List<String> regions = held.stream().map(Target::region)
                    .filter(r -> request.allRegions() || request.regions().contains(r)).distinct().sorted().toList();
            return new Resolved(resumeFrom, regions,
                    targets(action, regions, request.serviceKinds()).stream().filter(held::contains).toList());
        }
        List<String> regions = request.allRegions() ? enabledRegions() : request.regions();
        return new Resolved(null, regions, targets(action, regions, request.serviceKinds()));
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

    /** Targets in the order they should run: compute before databases on pause, databases first on resume. */
    static List<Target> targets(Action action, List<String> regions, List<ServiceKind> services) {
        List<Target> out = new ArrayList<>();
        for (ServiceKind s : services) {
            for (String r : regions) {
                out.add(new Target(r, s));
            }
        }
        Comparator<Target> databasesLast = Comparator.comparing(t -> t.service().database());
        out.sort(action == Action.RESUME ? databasesLast.reversed() : databasesLast);
        return out;
    }

    // ---------------------------------------------------------------- one target

    /**
     * Pauses, resumes or discovers one (region, service). The original state of every resource is written
     * before it is changed, and never overwritten. The full result is stored in S3 for the state machine's summary.
     */
    public TargetResult runTarget(Plan plan, Target target) {
        renewLease(plan);
        return runTarget(plan, target, false);
    }

    /**
     * Extends the account lock's lease for a real pause or resume of the state machine, conditional on the lock
     * still being this operation's (its id is derived from the execution, so no other execution can renew it).
     * Every Target, Readiness and Summarize invocation calls it first: the longest gap between two of them in one
     * execution is one task attempt (at most 930 s, the definition's largest TimeoutSeconds) plus a retry delay,
     * far inside the lease, so a live execution never loses its lock however long its fan-out and database wait
     * take, and a dead one (aborted, timed out) frees the account one lease after its last step
     * (docs/reliability.md).
     *
     * @return {@link LeaseRenewal#RENEWED}, {@link LeaseRenewal#NOT_HELD} (the lock is not this operation's: its
     *     lease ran out, or it was released) or {@link LeaseRenewal#FAILED} (DynamoDB refused the call; the lease
     *     still runs, the next step renews it); {@link LeaseRenewal#NO_LOCK} for a dry run or discover
     */
    public LeaseRenewal renewLease(Plan plan) {
        if (!plan.changesResources()) {
            return LeaseRenewal.NO_LOCK;
        }
        try {
            return store.renewLock(plan.operationId(), clock.instant(), settings.lockLease())
                    ? LeaseRenewal.RENEWED : LeaseRenewal.NOT_HELD;
        } catch (SdkException e) {
            return LeaseRenewal.FAILED;
        }
    }

    /** What {@link #renewLease} did. */
    public enum LeaseRenewal { RENEWED, NOT_HELD, FAILED, NO_LOCK }

    /**
     * As {@link #runTarget(Plan, Target)}; {@code inProcess} when {@link #run} calls it: each target then runs
     * exactly once and hands its result to the summary in memory, so its result document is not written, and a
     * pause into the snapshot this very plan created has no records to read first (none can exist: no earlier
     * attempt of the target and no earlier operation wrote to that snapshot). A state machine target may be a
     * retry and its summary reads the documents, so it always reads and writes both.
     */
    private TargetResult runTarget(Plan plan, Target target, boolean inProcess) {
        ResourcePauser pauser = pausers.get(target.service());
        if (pauser == null) {
            throw new BrakeException("service " + target.service().id() + " has no pauser");
        }
        Request request = plan.request();
        ResourceFilter filter = ResourceFilter.of(request);
        List<ResourceResult> results = switch (plan.action()) {
            case DISCOVER -> discover(pauser, target, filter);
            case PAUSE -> pause(plan, pauser, target, filter, inProcess && plan.operationId().equals(plan.snapshotId()));
            case RESUME -> resume(plan, pauser, target, filter);
        };
        results = results.stream().map(r -> r.priceSource() != null ? r
                : r.withCost(null, "unknown: no price was attached to this result")).toList();
        TargetResult result = new TargetResult(target.region(), target.service(), results, null);
        if (inProcess) {
            return result;
        }
        store.putDocument(SnapshotStore.targetKey(plan.operationId(), target.region(), target.service()),
                Json.write(result), "application/json");
        return result;
    }

    private List<ResourceResult> discover(ResourcePauser pauser, Target target, ResourceFilter filter) {
        return pauser.discover(target.region(), filter).stream()
                .map(d -> toResult(d, d.eligible() ? Outcome.DISCOVERED : Outcome.SKIPPED, d.skipReason()))
                .toList();
    }

    /** The estimated hourly cost of a discovered resource while it runs: what pausing it saves. */
    private Estimate estimate(Discovered d) {
        try {
            return costs.estimate(d.service(), d.region(), d.type(), d.costBasis());
        } catch (RuntimeException e) {
            return Estimate.unknown("pricing failed: " + describe(e));
        }
    }

    private List<ResourceResult> pause(Plan plan, ResourcePauser pauser, Target target, ResourceFilter filter,
            boolean snapshotNewAndFirstAttempt) {
        List<Discovered> found = pauser.discover(target.region(), filter);
        Map<String, Estimate> estimates = new HashMap<>();
        found.forEach(d -> estimates.put(d.id(), estimate(d)));
        List<ResourceResult> out = new ArrayList<>();
        List<Discovered> eligible = new ArrayList<>();
        for (Discovered d : found) {
            if (d.eligible()) {
                eligible.add(d);
            } else {
                out.add(toResult(d, estimates.get(d.id()), Outcome.SKIPPED, d.skipReason()));
            }
        }
        if (plan.dryRun()) {
            eligible.forEach(d -> out.add(toResult(d, estimates.get(d.id()), Outcome.WOULD_PAUSE, null)));
            return out;
        }
        Map<String, SnapshotRecord> existing = new HashMap<>();
        if (!snapshotNewAndFirstAttempt) {
            store.records(plan.snapshotId(), target.region(), target.service()).forEach(r -> existing.put(r.id(), r));
        }
        Instant now = clock.instant();
        List<SnapshotRecord> fresh = new ArrayList<>();
        for (Discovered d : eligible) {
            SnapshotRecord old = existing.get(d.id());
            if (old == null || !old.needsResume()) {
                Estimate e = estimates.get(d.id());
                fresh.add(new SnapshotRecord(plan.snapshotId(), d.service(), d.region(), d.id(), d.type(), d.name(),
                        d.tags(), PauserInput.stored(d.original()), Outcome.PAUSED, null, now, now, e.hourlyCost(), e.source()));
                existing.remove(d.id());
            }
        }
        Map<String, SnapshotRecord> recordedBefore = new HashMap<>(existing);
        store.putRecords(fresh); // design property 5: recorded before anything is changed
        Map<String, SnapshotRecord> recorded = new HashMap<>(existing);
        fresh.forEach(r -> recorded.put(r.id(), r));
        for (ResourceResult r : pauser.pause(target.region(), eligible)) {
            SnapshotRecord rec = recorded.get(r.id());
            if (r.outcome() == Outcome.FAILED) {
                store.updatePhase(rec, Outcome.FAILED, r.reason(), clock.instant());
            } else if (rec.phase() != Outcome.PAUSED) {
                store.updatePhase(rec, Outcome.PAUSED, null, clock.instant());
            }
            Estimate e = estimates.get(r.id());
            out.add(e == null ? r : r.withCost(e.hourlyCost(), e.source()));
        }
        // A retried target (its first attempt timed out, or its answer was lost) finds what that attempt paused no
        // longer running: it is reported as paused, not silently dropped from the report.
        Set<String> reported = out.stream().map(ResourceResult::id).collect(Collectors.toSet());
        recordedBefore.values().stream()
                .filter(rec -> rec.phase() == Outcome.PAUSED && !reported.contains(rec.id())
                        && !rec.recordedAt().isBefore(plan.startedAt()))
                .sorted(Comparator.comparing(SnapshotRecord::id))
                .forEach(rec -> out.add(new ResourceResult(rec.service(), rec.region(), rec.id(), rec.type(), rec.name(),
                        Outcome.PAUSED, "paused by an earlier attempt of this operation")));
        return out;
    }

    private List<ResourceResult> resume(Plan plan, ResourcePauser pauser, Target target, ResourceFilter filter) {
        List<SnapshotRecord> records = store.records(plan.snapshotId(), target.region(), target.service()).stream()
                .filter(SnapshotRecord::needsResume)
                .filter(r -> filter.selects(r.tags()))
                .filter(r -> !filter.excludeIds().contains(r.id()))
                .filter(r -> filter.excludeTags().entrySet().stream()
                        .noneMatch(e -> e.getValue().equals(r.tags().get(e.getKey()))))
                .toList();
        Map<String, SnapshotRecord> byId = records.stream()
                .collect(Collectors.toMap(SnapshotRecord::id, r -> r, (a, b) -> a, LinkedHashMap::new));
        // a resume's figures are those recorded at the pause: what the resumed resources cost again
        PauserInput.ForResume input = PauserInput.forResume(records);
        List<ResourceResult> resumed = new ArrayList<>(input.unreadable());
        resumed.addAll(pauser.resume(target.region(), input.resources(), plan.dryRun()));
        List<ResourceResult> results = resumed.stream().map(r -> {
            SnapshotRecord rec = byId.get(r.id());
            if (rec == null || r.priceSource() != null) {
                return r;
            }
            return rec.priceSource() == null
                    ? r.withCost(null, "unknown: the pause recorded no price for it")
                    : r.withCost(rec.hourlyCost(), rec.priceSource());
        }).toList();
        if (!plan.dryRun()) {
            Instant now = clock.instant();
            List<SnapshotRecord> updated = new ArrayList<>();
            for (ResourceResult r : results) {
                SnapshotRecord rec = byId.get(r.id());
                if (rec != null) {
                    updated.add(rec.withPhase(r.outcome(), r.reason(), now));
                }
            }
            store.putRecords(updated);
        }
        return results;
    }

    private ResourceResult toResult(Discovered d, Outcome outcome, String reason) {
        return toResult(d, estimate(d), outcome, reason);
    }

    private static ResourceResult toResult(Discovered d, Estimate e, Outcome outcome, String reason) {
        return new ResourceResult(d.service(), d.region(), d.id(), d.type(), d.name(), outcome, reason,
                e.hourlyCost(), e.source());
    }

    // ---------------------------------------------------------------- summary

    /**
     * Summarises targets whose full results were stored in S3 by {@link #runTarget}: the state machine
     * passes only (region, service, error) references.
     */
    public OperationReport summarizeStored(Plan plan, List<TargetRef> refs) {
        List<TargetResult> results = new ArrayList<>();
        List<FailedTarget> failed = new ArrayList<>();
        try {
            renewLease(plan);
            for (TargetRef ref : refs) {
                if (ref.error() != null) {
                    failed.add(new FailedTarget(ref.region(), ref.service().id(), ref.error()));
                    continue;
                }
                StoredRead read = readStoredResult(plan, ref);
                if (read.result() != null) {
                    results.add(read.result());
                } else {
                    failed.add(read.failure());
                }
            }
        } catch (RuntimeException e) {
            // nothing above may keep the account locked: summarize() releases it, and this is the only way past it
            if (plan.changesResources()) {
                store.releaseLock(plan.operationId());
            }
            throw e;
        }
        return summarize(plan, results, failed);
    }

    /** A target's stored result as read: the result, or the failed target saying why there is none. */
    private record StoredRead(TargetResult result, FailedTarget failure) {
        static StoredRead failed(TargetRef ref, String why) {
            return new StoredRead(null, new FailedTarget(ref.region(), ref.service().id(), why));
        }
    }

    /**
     * One target's stored result, or the failed target saying why it cannot be read: missing, unreadable, or refused
     * by S3. Without {@code s3:ListBucket} S3 answers a missing key with 403 AccessDenied rather than 404 NoSuchKey
     * (S3 GetObject API reference), so an AWS error here is a failed target of the report, never an exception.
     */
    private StoredRead readStoredResult(Plan plan, TargetRef ref) {
        String key = SnapshotStore.targetKey(plan.operationId(), ref.region(), ref.service());
        String where = "s3://" + store.bucket() + "/" + key;
        Optional<String> doc;
        try {
            doc = store.getDocument(key);
        } catch (RuntimeException e) {
            return StoredRead.failed(ref, "its result could not be read from " + where + ": "
                    + describe(e) + (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException ase
                            && ase.statusCode() == 403 ? " (S3 answers 403 for a missing object when s3:ListBucket is not"
                                    + " granted: the target may have ended before storing it)" : ""));
        }
        if (doc.isEmpty()) {
            return StoredRead.failed(ref, "its result is missing from " + where);
        }
        try {
            return new StoredRead(Json.mapper().readValue(doc.get(), TargetResult.class), null);
        } catch (java.io.IOException | RuntimeException e) {
            return StoredRead.failed(ref, "its stored result is unreadable: " + e.getMessage());
        }
    }

    /** A target as the summary step receives it: where, and the error if the whole target failed. */
    public record TargetRef(String region, ServiceKind service, String error) {
    }

    /**
     * Ends the operation: the report (JSON, CSV and an HTML page) and the snapshot document to S3, the snapshot's
     * status, the active-snapshot pointer, and the lock released. Failures are carried into the report.
     */
    public OperationReport summarize(Plan plan, List<TargetResult> results, List<FailedTarget> failedTargets) {
        try {
            List<ResourceResult> resources = new ArrayList<>();
            results.forEach(r -> resources.addAll(r.resources()));
            List<ResourceResult> sorted = OperationReport.sorted(resources);
            boolean failures = !failedTargets.isEmpty() || sorted.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
            Instant now = clock.instant();
            // every target has ended: the snapshot's records are read once, for the status and the S3 document
            List<SnapshotRecord> records = plan.changesResources() ? store.records(plan.snapshotId(), null, null) : List.of();
            String status;
            if (!plan.changesResources()) {
                status = failures ? OperationHeader.PARTIAL : OperationHeader.COMPLETED;
            } else if (plan.action() == Action.PAUSE) {
                status = failures ? OperationHeader.PARTIAL : OperationHeader.PAUSED;
            } else {
                boolean remaining = records.stream().anyMatch(SnapshotRecord::needsResume);
                status = !remaining ? OperationHeader.RESUMED : failures ? OperationHeader.PARTIAL : OperationHeader.PAUSED;
            }
            OperationReport report = report(plan, status, now, sorted, failedTargets);
            store.putDocument(SnapshotStore.reportKey(plan.operationId(), "json"), Json.writePretty(report), "application/json");
            store.putDocument(SnapshotStore.reportKey(plan.operationId(), "csv"), ReportCsv.write(report), "text/csv");
            store.putDocument(SnapshotStore.reportKey(plan.operationId(), "html"), ReportHtml.write(report),
                    "text/html; charset=utf-8");
            if (plan.changesResources()) {
                OperationHeader snapshot = store.header(plan.snapshotId())
                        .orElseThrow(() -> new SnapshotNotFoundException("snapshot " + plan.snapshotId() + " has no header"))
                        .withStatus(status, now);
                store.putHeader(snapshot);
                store.putDocument(SnapshotStore.snapshotKey(plan.snapshotId()), Json.writePretty(new SnapshotDocument(
                        SnapshotDocument.FORMAT_VERSION, snapshot, records)),
                        "application/json");
                if (OperationHeader.RESUMED.equals(status)) {
                    store.clearActiveSnapshot(plan.snapshotId());
                }
            }
            if (!plan.operationId().equals(plan.snapshotId())) {
                store.header(plan.operationId()).ifPresent(h -> store.putHeader(h.withStatus(
                        failures ? OperationHeader.PARTIAL : OperationHeader.COMPLETED, now)));
            }
            return report;
        } finally {
            if (plan.changesResources()) {
                store.releaseLock(plan.operationId());
            }
        }
    }

    private static OperationReport report(Plan plan, String status, Instant now, List<ResourceResult> sorted,
            List<FailedTarget> failedTargets) {
        return new OperationReport(plan.operationId(), plan.snapshotId(), plan.action(), plan.dryRun(),
                status, plan.request().trigger(), plan.startedAt(), now, plan.request().regions(),
                OperationReport.countOutcomes(sorted), sorted, failedTargets);
    }

    // ---------------------------------------------------------------- in-process run

    /**
     * A discover or a pause dry run that reads the account and stores nothing: no header, no report, no lock, not even
     * the snapshot table or bucket (it is for an account where they do not exist yet). The report is returned only.
     */
    public OperationReport lookWithoutStoring(Request raw, ProgressListener listener) {
        Request request = raw.validated();
        if (request.action() == Action.RESUME || (request.action() == Action.PAUSE && !request.isDryRun())) {
            throw new IllegalArgumentException("only a discover or a pause dry run can run without the snapshot store");
        }
        Instant now = clock.instant();
        String operationId = OperationId.next(request.isDryRun() ? "dryrun" : request.action().id(), now, random.get());
        Resolved r = resolve(request, request.action());
        Plan plan = new Plan(operationId, null, request.action(), request.isDryRun(), request.withRegions(r.regions()), now,
                r.targets());
        listener.planned(plan);
        List<TargetResult> results = new ArrayList<>();
        List<FailedTarget> failed = new ArrayList<>();
        Map<Boolean, List<Target>> phases = new TreeMap<>();
        plan.targets().forEach(t -> phases.computeIfAbsent(t.service().database(), k -> new ArrayList<>()).add(t));
        for (List<Target> phase : phases.values()) {
            runPhase(plan, phase, listener, results, failed);
        }
        List<ResourceResult> sorted = OperationReport.sorted(results.stream().flatMap(x -> x.resources().stream()).toList());
        boolean failures = !failed.isEmpty() || sorted.stream().anyMatch(x -> x.outcome() == Outcome.FAILED);
        return report(plan, failures ? OperationHeader.PARTIAL : OperationHeader.COMPLETED, clock.instant(), sorted, failed);
    }

    /** Plan, every target (in parallel, compute and databases in their order), and the summary. */
    public OperationReport run(Request request, ProgressListener listener) {
        Plan plan = plan(request);
        try (Heartbeat beat = plan.changesResources() ? new Heartbeat(plan.operationId()) : null) {
            return runPlanned(plan, listener);
        }
    }

    /**
     * Renews the lock's lease while an in-process run works (every third of the lease), so a live run keeps its
     * lock however long it takes and a dead one on another host loses it within one lease.
     */
    private final class Heartbeat implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer;

        Heartbeat(String operationId) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hit-breaks-lock-heartbeat");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1000, settings.lockLease().toMillis() / 3);
            timer.scheduleWithFixedDelay(() -> {
                try {
                    store.renewLock(operationId, clock.instant(), settings.lockLease());
                } catch (RuntimeException e) {
                    // the next beat tries again; the lease is three beats long
                }
            }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    private OperationReport runPlanned(Plan plan, ProgressListener listener) {
        listener.planned(plan);
        List<TargetResult> results = new ArrayList<>();
        List<FailedTarget> failed = new ArrayList<>();
        try {
            Map<Boolean, List<Target>> phases = new TreeMap<>(plan.action() == Action.RESUME
                    ? Comparator.<Boolean>reverseOrder() : Comparator.<Boolean>naturalOrder());
            plan.targets().forEach(t -> phases.computeIfAbsent(t.service().database(), k -> new ArrayList<>()).add(t));
            boolean first = true;
            for (List<Target> phase : phases.values()) {
                if (!first && plan.action() == Action.RESUME) {
                    awaitDatabases(plan, listener);
                }
                runPhase(plan, phase, listener, results, failed);
                first = false;
            }
        } catch (RuntimeException e) {
            if (plan.changesResources()) {
                store.releaseLock(plan.operationId());
            }
            throw e;
        }
        return summarize(plan, results, failed);
    }

    /** Polls, bounded, until the databases this resume started are available; then compute may follow. */
    private void awaitDatabases(Plan plan, ProgressListener listener) {
        long deadline = System.nanoTime() + settings.databaseWait().toNanos();
        List<String> pending = databasesNotReady(plan);
        while (!pending.isEmpty()) {
            boolean givingUp = System.nanoTime() >= deadline;
            listener.waitingForDatabases(pending, givingUp);
            if (givingUp) {
                return;
            }
            try {
                Thread.sleep(settings.databasePoll().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrakeException("interrupted while waiting for databases", e);
            }
            pending = databasesNotReady(plan);
        }
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
        Map<Target, List<SnapshotRecord>> started = new LinkedHashMap<>();
        for (SnapshotRecord r : store.records(plan.snapshotId(), null, null)) {
            if (r.service().database() && r.phase() == Outcome.RESUMED) {
                started.computeIfAbsent(new Target(r.region(), r.service()), k -> new ArrayList<>()).add(r);
            }
        }
        List<String> pending = new ArrayList<>();
        started.forEach((target, records) -> pausers.get(target.service())
                .notReady(target.region(), records.stream().map(PauserInput::of).toList())
                .forEach((id, why) -> pending.add(target.region() + "/" + target.service().id() + "/" + id + ": " + why)));
        return pending;
    }

    private void runPhase(Plan plan, List<Target> targets, ProgressListener listener,
            List<TargetResult> results, List<FailedTarget> failed) {
        int threads = Math.max(1, Math.min(settings.parallelTargets(), targets.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hit-breaks-target");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Target, Future<TargetResult>> futures = new LinkedHashMap<>();
            for (Target t : targets) {
                futures.put(t, pool.submit(() -> runTarget(plan, t, true)));
            }
            for (var e : futures.entrySet()) {
                try {
                    TargetResult r = e.getValue().get();
                    results.add(r);
                    listener.targetFinished(e.getKey(), r);
                } catch (ExecutionException ex) {
                    String message = describe(ex.getCause());
                    failed.add(new FailedTarget(e.getKey().region(), e.getKey().service().id(), message));
                    listener.targetFailed(e.getKey(), message);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new BrakeException("interrupted while waiting for targets", ex);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A one-line description of why a target failed, for reports: no stack traces. */
    public static String describe(Throwable t) {
        if (t instanceof SdkException sdk) {
            if (sdk instanceof software.amazon.awssdk.awscore.exception.AwsServiceException ase && ase.awsErrorDetails() != null) {
                return ase.awsErrorDetails().serviceName() + " " + ase.awsErrorDetails().errorCode() + ": "
                        + ase.awsErrorDetails().errorMessage();
            }
            return "AWS call failed: " + sdk.getMessage();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    // ---------------------------------------------------------------- status

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
