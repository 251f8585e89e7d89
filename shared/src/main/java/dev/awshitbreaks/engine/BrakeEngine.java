package dev.awshitbreaks.engine;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.OperationReport.FailedTarget;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.core.TargetResult;
import dev.awshitbreaks.engine.SummaryStep.TargetRef;
import dev.awshitbreaks.cost.CostEstimator;
import dev.awshitbreaks.cost.PriceBooks;
import dev.awshitbreaks.services.ApiGatewayStagePauser;
import dev.awshitbreaks.services.AutoScalingPauser;
import dev.awshitbreaks.services.Ec2Pauser;
import dev.awshitbreaks.services.EcsPauser;
import dev.awshitbreaks.services.EksNodegroupPauser;
import dev.awshitbreaks.services.LambdaConcurrencyPauser;
import dev.awshitbreaks.services.LambdaEventSourcePauser;
import dev.awshitbreaks.services.LambdaThrottlePauser;
import dev.awshitbreaks.services.RdsClusterPauser;
import dev.awshitbreaks.services.RdsInstancePauser;
import dev.awshitbreaks.services.RedshiftPauser;
import dev.awshitbreaks.services.SageMakerNotebookPauser;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.snapshot.LockOwner;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The engine as the Lambda handlers and the launcher call it: one object wiring the steps that mirror the state
 * machine's tasks, each in its own class ({@link PlanStep}, {@link TargetStep} per (region, service),
 * {@link ReadinessStep}, {@link SummaryStep}, {@link StatusQuery} for {@code --status}), and the
 * {@link InProcessRunner} that runs them all in one process as {@link OrchestrationPolicy} says. It only delegates.
 */
public final class BrakeEngine {
    private final AwsClients clients;
    private final SnapshotStore store;
    private final LockLease lease;
    private final PlanStep planStep;
    private final TargetStep targetStep;
    private final ReadinessStep readinessStep;
    private final SummaryStep summaryStep;
    private final StatusQuery statusQuery;
    private final InProcessRunner runner;

    /** An engine pricing resources from the bundled price table only (no Pricing API calls). */
    public BrakeEngine(AwsClients clients, SnapshotStore store, EngineSettings settings, Clock clock,
            Supplier<RandomGenerator> random, List<ResourcePauser> pausers) {
        this(clients, store, settings, clock, random, pausers, new CostEstimator(PriceBooks.bundled()));
    }

    public BrakeEngine(AwsClients clients, SnapshotStore store, EngineSettings settings, Clock clock,
            Supplier<RandomGenerator> random, List<ResourcePauser> pausers, CostEstimator costs) {
        this.clients = clients;
        this.store = store;
        Map<ServiceKind, ResourcePauser> byKind = new EnumMap<>(ServiceKind.class);
        pausers.forEach(p -> byKind.put(p.kind(), p));
        this.lease = new LockLease(store, settings, clock);
        this.planStep = new PlanStep(clients, store, settings, clock, random);
        this.targetStep = new TargetStep(store, clock, byKind, costs, lease);
        this.readinessStep = new ReadinessStep(store, byKind);
        this.summaryStep = new SummaryStep(store, clock, lease);
        this.statusQuery = new StatusQuery(store, clock);
        this.runner = new InProcessRunner(planStep, targetStep, readinessStep, summaryStep, store, settings, clock, random);
    }

    /**
     * The engine with every service's pauser, over the given clients. Randomness is drawn fresh for each
     * operation id (never captured at init, which SnapStart would snapshot).
     */
    public static BrakeEngine create(AwsClients clients, EngineSettings settings) {
        SnapshotStore store = SnapshotStore.dynamoDbAndS3(clients::dynamoDb, clients::s3,
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
                new LambdaConcurrencyPauser(clients, settings.waits()),
                new EksNodegroupPauser(clients, settings.waits()),
                new RedshiftPauser(clients, settings.waits()),
                new SageMakerNotebookPauser(clients, settings.waits()),
                new dev.awshitbreaks.services.WarmPoolPauser(clients, settings.waits()),
                new dev.awshitbreaks.services.SpotFleetPauser(clients, settings.waits()),
                new LambdaThrottlePauser(clients),
                new LambdaEventSourcePauser(clients),
                new ApiGatewayStagePauser(clients, settings.waits()),
                new dev.awshitbreaks.services.stillbilling.StillBillingDiscovery(clients));
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

    // ---------------------------------------------------------------- one target (TargetStep, LockLease)

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

    // ---------------------------------------------------------------- readiness (ReadinessStep)

    /**
     * The databases a real resume has started that are not available yet, as "region/service/id: status";
     * empty when every one is ready (or for anything but a real resume). The state machine's wait loop
     * and the in-process run both ask this before resuming compute.
     */
    public List<String> databasesNotReady(Plan plan) {
        return readinessStep.databasesNotReady(plan);
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

    // ---------------------------------------------------------------- in-process run (InProcessRunner)

    /**
     * A discover or a pause dry run that reads the account and stores nothing: no header, no report, no lock, not even
     * the snapshot table or bucket (it is for an account where they do not exist yet). The report is returned only.
     */
    public OperationReport lookWithoutStoring(Request raw, ProgressListener listener) {
        return runner.lookWithoutStoring(raw, listener);
    }

    /** Plan, every target (in parallel, compute and databases in their order), and the summary. */
    public OperationReport run(Request request, ProgressListener listener) {
        return runner.run(request, listener);
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

    /** A one-line description of why a target failed, for reports: no stack traces ({@link Failures}). */
    public static String describe(Throwable t) {
        return Failures.describe(t);
    }
}
