package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.BrakeException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.core.TargetResult;
import dev.awshitbreaks.cost.CostEstimator;
import dev.awshitbreaks.cost.CostEstimator.Estimate;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The state machine's target task ({@code RunFirstPhaseTarget}, {@code RunSecondPhaseTarget}), and each target of an
 * in-process run: pauses, resumes or discovers one (region, service), recording every original state before it is
 * changed, and prices what it finds.
 */
public final class TargetStep {
    private final SnapshotStore store;
    private final Clock clock;
    private final Map<ServiceKind, ResourcePauser> pausers;
    private final CostEstimator costs;
    private final LockLease lease;

    public TargetStep(SnapshotStore store, Clock clock, Map<ServiceKind, ResourcePauser> pausers, CostEstimator costs,
            LockLease lease) {
        this.store = store;
        this.clock = clock;
        this.pausers = pausers;
        this.costs = costs;
        this.lease = lease;
    }

    /**
     * Pauses, resumes or discovers one (region, service). The original state of every resource is written
     * before it is changed, and never overwritten. The full result is stored in S3 for the state machine's summary.
     */
    public TargetResult runTarget(Plan plan, Target target) {
        lease.renew(plan);
        return runTarget(plan, target, false);
    }

    /**
     * As {@link #runTarget(Plan, Target)}; {@code inProcess} when {@link InProcessRunner} calls it: each target then runs
     * exactly once and hands its result to the summary in memory, so its result document is not written, and a
     * pause into the snapshot this very plan created has no records to read first (none can exist: no earlier
     * attempt of the target and no earlier operation wrote to that snapshot). A state machine target may be a
     * retry and its summary reads the documents, so it always reads and writes both.
     */
    TargetResult runTarget(Plan plan, Target target, boolean inProcess) {
        return runTarget(plan, target, inProcess, null);
    }

    /**
     * As {@link #runTarget(Plan, Target, boolean)}; {@code held}: the snapshot's records as an in-process resume holds
     * them ({@link ResumeRecords}), or null (the target's records are then queried).
     */
    TargetResult runTarget(Plan plan, Target target, boolean inProcess, ResumeRecords held) {
        ResourcePauser pauser = pausers.get(target.service());
        if (pauser == null) {
            throw new BrakeException("service " + target.service().id() + " has no pauser");
        }
        Request request = plan.request();
        ResourceFilter filter = ResourceFilter.of(request);
        List<ResourceResult> results = target.service().readOnly()
                ? (plan.action() == dev.awshitbreaks.core.Action.RESUME ? List.of() : stillBilling(pauser, target, filter))
                : switch (plan.action()) {
            case DISCOVER -> discover(pauser, target, filter);
            case PAUSE -> pause(plan, pauser, target, filter, inProcess && plan.operationId().equals(plan.snapshotId()));
            case RESUME -> resume(plan, pauser, target, filter, held);
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

    /**
     * A read-only kind's rows ({@link ServiceKind#STILL_BILLING}): each found resource as {@code still-billing}, its
     * reason the hint, priced; nothing is recorded or changed, in a pause, a dry run or a discover alike. A listing that
     * failed is a failed row saying so.
     */
    private List<ResourceResult> stillBilling(ResourcePauser pauser, Target target, ResourceFilter filter) {
        return pauser.discover(target.region(), filter).stream()
                .map(d -> d.costBasis().containsKey(dev.awshitbreaks.cost.CostBasis.LISTING_FAILED)
                        ? new ResourceResult(d.service(), d.region(), d.id(), d.type(), d.name(), Outcome.FAILED,
                                d.skipReason(), null, "unknown: not listed")
                        : toResult(d, Outcome.STILL_BILLING, d.skipReason()))
                .toList();
    }

    /** The estimated hourly cost of a discovered resource while it runs: what pausing it saves. */
    private Estimate estimate(Discovered d) {
        try {
            return costs.estimate(d.service(), d.region(), d.type(), d.costBasis());
        } catch (RuntimeException e) {
            return Estimate.unknown("pricing failed: " + Failures.describe(e));
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

    /**
     * @param held the snapshot's records as an in-process resume holds them (read once at its plan, under the lock),
     *     or null: the target's records are then queried (a state machine target, or a dry run, which holds no lock)
     */
    private List<ResourceResult> resume(Plan plan, ResourcePauser pauser, Target target, ResourceFilter filter,
            ResumeRecords held) {
        List<SnapshotRecord> targetRecords = held != null ? held.of(target.region(), target.service())
                : store.records(plan.snapshotId(), target.region(), target.service());
        List<SnapshotRecord> records = targetRecords.stream()
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
            if (held != null) {
                held.update(updated); // before the write: a database started is waited for even if the write fails
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
}
