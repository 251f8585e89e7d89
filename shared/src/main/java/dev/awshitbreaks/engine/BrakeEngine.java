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
import dev.awshitbreaks.engine.SummaryStep.TargetRef;
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
    private final StatusQuery statusQuery;
    private final LockLease lease;
    private final SummaryStep summaryStep;
    private final TargetStep targetStep;
    private final ReadinessStep readinessStep;
    private final PlanStep planStep;

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
        this.statusQuery = new StatusQuery(store, clock);
        this.lease = new LockLease(store, settings, clock);
        this.summaryStep = new SummaryStep(store, clock, lease);
        this.targetStep = new TargetStep(store, clock, this.pausers, costs, lease);
        this.readinessStep = new ReadinessStep(store, this.pausers);
        this.planStep = new PlanStep(clients, store, settings, clock, random);
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
                new Ec2Pauser(clients, settings),
                new RdsInstancePauser(clients, settings),
                new RdsClusterPauser(clients, settings),
                new EcsPauser(clients, settings),
                new AutoScalingPauser(clients, settings),
                new LambdaConcurrencyPauser(clients, settings));
    }

    public SnapshotStore store() {
        return store;
    }

    public AwsClients clients() {
        return clients;
    }

    // ---------------------------------------------------------------- plan (PlanStep)

    /**
     * Validates the request (before any AWS call), resolves {@code all} to the enabled regions, finds the
     * snapshot, takes the account lock for a real pause or resume and writes the headers. The lock's owner is
     * this process (see {@link LockOwner}).
     */
    public Plan plan(Request raw) {
        return planStep.plan(raw);
    }

    /**
     * As {@link #plan(Request)}; with an {@code execution} (the state machine's), the operation id is derived from
     * the execution's id and start time and the lock is owned by the execution, so a retried Plan of the same
     * execution gets the same operation id, re-enters its own lock and rewrites the same headers.
     */
    public Plan plan(Request raw, PlanStep.Execution execution) {
        return planStep.plan(raw, execution);
    }

    /** The regions enabled in this account, from EC2 DescribeRegions in the state region. */
    public List<String> enabledRegions() {
        return planStep.enabledRegions();
    }

    // ---------------------------------------------------------------- one target

    /**
     * Pauses, resumes or discovers one (region, service). The original state of every resource is written
     * before it is changed, and never overwritten. The full result is stored in S3 for the state machine's summary.
     */
    public TargetResult runTarget(Plan plan, Target target) {
        return targetStep.runTarget(plan, target);
    }

    /**
     * Extends the account lock's lease for a real pause or resume of the state machine ({@link LockLease#renew}).
     *
     * @return {@link LeaseRenewal#RENEWED}, {@link LeaseRenewal#NOT_HELD}, {@link LeaseRenewal#FAILED} or
     *     {@link LeaseRenewal#NO_LOCK} (a dry run or discover)
     */
    public LeaseRenewal renewLease(Plan plan) {
        return lease.renew(plan);
    }

    // ---------------------------------------------------------------- summary (SummaryStep)

    /**
     * Summarises targets whose full results were stored in S3 by {@link #runTarget}: the state machine
     * passes only (region, service, error) references.
     */
    public OperationReport summarizeStored(Plan plan, List<TargetRef> refs) {
        return summaryStep.summarizeStored(plan, refs);
    }

    /**
     * Ends the operation: the report (JSON, CSV and an HTML page) and the snapshot document to S3, the snapshot's
     * status, the active-snapshot pointer, and the lock released. Failures are carried into the report.
     */
    public OperationReport summarize(Plan plan, List<TargetResult> results, List<FailedTarget> failedTargets) {
        return summaryStep.summarize(plan, results, failedTargets);
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
        PlanStep.Resolved r = planStep.resolve(request, request.action());
        Plan plan = new Plan(operationId, null, request.action(), request.isDryRun(), request.withRegions(r.regions()), now,
                r.targets());
        listener.planned(plan);
        List<TargetResult> results = new ArrayList<>();
        List<FailedTarget> failed = new ArrayList<>();
        for (List<Target> phase : phases(plan).values()) {
            runPhase(plan, phase, listener, results, failed);
        }
        List<ResourceResult> sorted = OperationReport.sorted(results.stream().flatMap(x -> x.resources().stream()).toList());
        boolean failures = !failed.isEmpty() || sorted.stream().anyMatch(x -> x.outcome() == Outcome.FAILED);
        return SummaryStep.report(plan, failures ? OperationHeader.PARTIAL : OperationHeader.COMPLETED, clock.instant(), sorted, failed);
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
            boolean first = true;
            for (List<Target> phase : phases(plan).values()) {
                if (!first && OrchestrationPolicy.waitsForDatabases(plan.action(), plan.dryRun())) {
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

    /** The plan's non-empty phases, in the order they run, each with its targets (the policy's phase split). */
    private static Map<OrchestrationPolicy.Phase, List<Target>> phases(Plan plan) {
        Map<OrchestrationPolicy.Phase, List<Target>> phases = new EnumMap<>(OrchestrationPolicy.Phase.class);
        plan.targets().forEach(t -> phases.computeIfAbsent(OrchestrationPolicy.Phase.of(plan.action(), t),
                k -> new ArrayList<>()).add(t));
        return phases;
    }

    /**
     * Checks, bounded, until the databases this resume started are available; then compute may follow. As the state
     * machine's CheckDatabases loop: at most the wait's checks, its interval apart, then compute is resumed anyway.
     */
    private void awaitDatabases(Plan plan, ProgressListener listener) {
        OrchestrationPolicy.DatabaseWait wait = settings.databaseWait();
        int checks = 1;
        List<String> pending = databasesNotReady(plan);
        while (!pending.isEmpty()) {
            boolean givingUp = checks >= wait.checks();
            listener.waitingForDatabases(pending, givingUp);
            if (givingUp) {
                return;
            }
            try {
                Thread.sleep(wait.interval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrakeException("interrupted while waiting for databases", e);
            }
            pending = databasesNotReady(plan);
            checks++;
        }
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
                futures.put(t, pool.submit(() -> targetStep.runTarget(plan, t, true)));
            }
            for (var e : futures.entrySet()) {
                try {
                    TargetResult r = e.getValue().get();
                    results.add(r);
                    listener.targetFinished(e.getKey(), r);
                } catch (ExecutionException ex) {
                    String message = Failures.describe(ex.getCause());
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

    /** A one-line description of why a target failed, for reports: no stack traces ({@link Failures}). */
    public static String describe(Throwable t) {
        return Failures.describe(t);
    }

    // ---------------------------------------------------------------- readiness (ReadinessStep)

    /**
     * The databases a real resume has started that are not available yet, as "region/service/id: status";
     * empty when every one is ready (or for anything but a real resume). The state machine's wait loop
     * and the in-process run both ask this before resuming compute.
     */
    public List<String> databasesNotReady(Plan plan) {
        return readinessStep.databasesNotReady(plan);
    }

    // ---------------------------------------------------------------- status (StatusQuery)

    /** What a snapshot has saved so far, as of now. */
    public SnapshotSavings savings(List<SnapshotRecord> records) {
        return statusQuery.savings(records);
    }

    /** The newest operations first; for snapshots, how many records are in each phase and what they saved. */
    public List<SnapshotStatus> status(int limit) {
        return statusQuery.status(limit);
    }

}
