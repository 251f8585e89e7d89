package dev.awshitbreaks.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The complete outcome of one operation: every resource result, every target that failed as a whole,
 * the counts by outcome, the estimated costs ({@link CostSummary}) and, for a pause or discover, the burn rate before
 * and after ({@link BurnRate}), each added up from the resources when not given. This is what the launcher prints and what is stored as the report.
 */
public record OperationReport(
        String operationId,
        String snapshotId,
        Action action,
        boolean dryRun,
        String status,
        String trigger,
        Instant startedAt,
        Instant finishedAt,
        List<String> regions,
        Map<String, Integer> counts,
        List<ResourceResult> resources,
        List<FailedTarget> failedTargets,
        CostSummary costs,
        BurnRate burnRate) {

    /** A (region, service) target whose handler failed as a whole. */
    public record FailedTarget(String region, String service, String error) {
    }

    public OperationReport {
        regions = regions == null ? List.of() : List.copyOf(regions);
        resources = resources == null ? List.of() : List.copyOf(resources);
        failedTargets = failedTargets == null ? List.of() : List.copyOf(failedTargets);
        counts = counts == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(counts));
        costs = costs == null ? CostSummary.of(action, dryRun, resources) : costs;
        burnRate = burnRate == null ? BurnRate.of(action, dryRun, resources) : burnRate;
    }

    /** A report whose cost totals are added up from its resources. */
    public OperationReport(String operationId, String snapshotId, Action action, boolean dryRun, String status, String trigger,
            Instant startedAt, Instant finishedAt, List<String> regions, Map<String, Integer> counts,
            List<ResourceResult> resources, List<FailedTarget> failedTargets) {
        this(operationId, snapshotId, action, dryRun, status, trigger, startedAt, finishedAt, regions, counts, resources,
                failedTargets, null, null);
    }

    public static Map<String, Integer> countOutcomes(List<ResourceResult> resources) {
        Map<Outcome, Integer> byOutcome = new EnumMap<>(Outcome.class);
        for (ResourceResult r : resources) {
            byOutcome.merge(r.outcome(), 1, Integer::sum);
        }
        Map<String, Integer> out = new TreeMap<>();
        byOutcome.forEach((k, v) -> out.put(k.id(), v));
        return out;
    }

    public static List<ResourceResult> sorted(List<ResourceResult> resources) {
        List<ResourceResult> copy = new ArrayList<>(resources);
        copy.sort(java.util.Comparator.comparing((ResourceResult r) -> r.service().id())
                .thenComparing(ResourceResult::region)
                .thenComparing(ResourceResult::id));
        return copy;
    }

    /** True when any resource or any whole target failed. */
    @JsonIgnore
    public boolean hasFailures() {
        return !failedTargets.isEmpty() || resources.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
    }
}
