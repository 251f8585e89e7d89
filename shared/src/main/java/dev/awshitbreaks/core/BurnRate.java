package dev.awshitbreaks.core;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Did the bleeding stop? The estimated hourly cost of what ran before an operation ({@code before}), what the
 * pause stops ({@code stops}) and what still bills after it ({@code stillBills}), each by service and by region,
 * exact decimals: {@code before} is {@code stops} plus {@code stillBills}, in total, per service and per region, and
 * so are the counts of priced and unpriced rows (design property 11's days and months follow).
 *
 * <p>What a pause stops: its paused rows (would-pause in a dry run, discovered in a discover). What still bills: the
 * still-billing rows (keyed by their kind, e.g. {@code ebs-volume}), the resources skipped while running (protected,
 * excluded, not pausable: keyed by their service) and those whose pause failed. A row without a price is counted
 * as unpriced, never as zero. Only a pause or a discover has a burn rate.
 */
public record BurnRate(CostSummary before, CostSummary stops, CostSummary stillBills) {
    /** The outcomes of rows whose cost a pause stops. */
    public static final Set<Outcome> STOPPED = Collections.unmodifiableSet(
            EnumSet.of(Outcome.PAUSED, Outcome.WOULD_PAUSE, Outcome.DISCOVERED));
    /** The outcomes of rows whose cost goes on after a pause. */
    public static final Set<Outcome> STILL = Collections.unmodifiableSet(
            EnumSet.of(Outcome.STILL_BILLING, Outcome.SKIPPED, Outcome.FAILED));

    /** The burn rate of these rows for a pause or discover; null for a resume (it stops nothing). */
    public static BurnRate of(Action action, boolean dryRun, List<ResourceResult> resources) {
        if (action == Action.RESUME) {
            return null;
        }
        String when = action == Action.DISCOVER || dryRun ? "would " : "";
        return new BurnRate(
                summary("ran before the " + (action == Action.DISCOVER ? "pause it would make" : "pause"),
                        resources, r -> STOPPED.contains(r.outcome()) || STILL.contains(r.outcome())),
                summary(when.isEmpty() ? "the pause stops" : "a pause would stop", resources, r -> STOPPED.contains(r.outcome())),
                summary(when.isEmpty() ? "still bills after the pause" : "would still bill after a pause", resources,
                        r -> STILL.contains(r.outcome())));
    }

    /** The key a row is added up under: a still-billing row's kind, any other row's service. */
    public static String serviceKey(ResourceResult r) {
        if (r.service() == ServiceKind.STILL_BILLING) {
            // the kind's id is the type's first word (services.stillbilling.StillBilling#type)
            String t = r.type() == null ? "" : r.type().strip();
            return t.isEmpty() ? ServiceKind.STILL_BILLING.id() : t.split(" ", 2)[0];
        }
        return r.service().id();
    }

    private static CostSummary summary(String basis, List<ResourceResult> resources, Predicate<ResourceResult> counted) {
        CostSummary.Totals zero = CostSummary.Totals.of(BigDecimal.ZERO, 0, 0);
        CostSummary.Totals total = zero;
        Map<String, CostSummary.Totals> byService = new TreeMap<>();
        Map<String, CostSummary.Totals> byRegion = new TreeMap<>();
        for (ResourceResult r : resources) {
            if (!counted.test(r)) {
                continue;
            }
            boolean known = r.hourlyCost() != null;
            BigDecimal h = known ? BigDecimal.valueOf(r.hourlyCost()) : BigDecimal.ZERO;
            total = total.plus(h, known);
            byService.put(serviceKey(r), byService.getOrDefault(serviceKey(r), zero).plus(h, known));
            byRegion.put(r.region(), byRegion.getOrDefault(r.region(), zero).plus(h, known));
        }
        return new CostSummary(basis, total.hourly(), total.daily(), total.monthly(), total.priced(), total.unknown(),
                byService, byRegion);
    }
}
