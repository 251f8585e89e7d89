package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.BrakeException;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.OperationReport.FailedTarget;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.core.TargetResult;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The state machine, run in one process (the launcher's {@code --local} mode): {@link PlanStep}, the targets of each
 * phase in parallel ({@link TargetStep}, as the Map states run them), the wait for databases between a resume's
 * phases ({@link ReadinessStep}) and {@link SummaryStep}, as {@link OrchestrationPolicy} says; the lock's lease is
 * renewed on a timer while it works.
 */
public final class InProcessRunner {
    private final PlanStep planStep;
    private final TargetStep targetStep;
    private final ReadinessStep readinessStep;
    private final SummaryStep summaryStep;
    private final SnapshotStore store;
    private final EngineSettings settings;
    private final Clock clock;
    private final Supplier<RandomGenerator> random;

    public InProcessRunner(PlanStep planStep, TargetStep targetStep, ReadinessStep readinessStep, SummaryStep summaryStep,
            SnapshotStore store, EngineSettings settings, Clock clock, Supplier<RandomGenerator> random) {
        this.planStep = planStep;
        this.targetStep = targetStep;
        this.readinessStep = readinessStep;
        this.summaryStep = summaryStep;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

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
            runPhase(plan, phase, listener, results, failed, null);
        }
        List<ResourceResult> sorted = OperationReport.sorted(results.stream().flatMap(x -> x.resources().stream()).toList());
        boolean failures = !failed.isEmpty() || sorted.stream().anyMatch(x -> x.outcome() == Outcome.FAILED);
        return SummaryStep.report(plan, failures ? OperationHeader.PARTIAL : OperationHeader.COMPLETED, clock.instant(), sorted, failed);
    }

    /** Plan, every target (in parallel, compute and databases in their order), and the summary. */
    public OperationReport run(Request request, ProgressListener listener) {
        PlanStep.Planned planned = planStep.planned(request, null);
        Plan plan = planned.plan();
        if (planned.check() != null) {
            listener.snapshotChecked(planned.check());
        }
        // a real resume holds the lock from here to its summary: it works from the records its plan read
        ResumeRecords held = plan.action() == Action.RESUME && plan.changesResources() && planned.check() != null
                ? new ResumeRecords(planned.check().dynamoDbRecords()) : null;
        try (Heartbeat beat = plan.changesResources() ? new Heartbeat(plan.operationId()) : null) {
            return runPlanned(plan, listener, held);
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

    /** @param held the records a real resume works from ({@link ResumeRecords}), else null */
    private OperationReport runPlanned(Plan plan, ProgressListener listener, ResumeRecords held) {
        listener.planned(plan);
        List<TargetResult> results = new ArrayList<>();
        List<FailedTarget> failed = new ArrayList<>();
        try {
            boolean first = true;
            for (List<Target> phase : phases(plan).values()) {
                if (!first && OrchestrationPolicy.waitsForDatabases(plan.action(), plan.dryRun())) {
                    awaitDatabases(plan, listener, held);
                }
                runPhase(plan, phase, listener, results, failed, held);
                first = false;
            }
        } catch (RuntimeException e) {
            if (plan.changesResources()) {
                store.releaseLock(plan.operationId());
            }
            throw e;
        }
        return summaryStep.summarize(plan, results, failed, held);
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
    private void awaitDatabases(Plan plan, ProgressListener listener, ResumeRecords held) {
        OrchestrationPolicy.DatabaseWait wait = settings.databaseWait();
        int checks = 1;
        List<String> pending = readinessStep.databasesNotReady(plan, held);
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
            pending = readinessStep.databasesNotReady(plan, held);
            checks++;
        }
    }

    private void runPhase(Plan plan, List<Target> targets, ProgressListener listener,
            List<TargetResult> results, List<FailedTarget> failed, ResumeRecords held) {
        int threads = Math.max(1, Math.min(settings.parallelTargets(), targets.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hit-breaks-target");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Target, Future<TargetResult>> futures = new LinkedHashMap<>();
            for (Target t : targets) {
                futures.put(t, pool.submit(() -> targetStep.runTarget(plan, t, true, held)));
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
}
