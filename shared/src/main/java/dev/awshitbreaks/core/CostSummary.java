package dev.awshitbreaks.core;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The estimated costs of a report's resources, in USD, exact: every hourly figure is added as the decimal it
 * is, a day is exactly 24 hours and a month exactly 730 (design property 11), and the totals by service and
 * by region each add up to the whole. Only resources that run or ran because of this operation count
 * ({@link #COUNTED}: paused, would-pause, discovered, resumed, would-resume); skipped and failed ones do not.
 * Resources without a known price are counted in {@code unknown}, never as zero dollars.
 *
 * @param basis what the figures mean for this operation (saved while paused, would be saved, cost again)
 */
public record CostSummary(
        String basis,
        BigDecimal hourly,
        BigDecimal daily,
        BigDecimal monthly,
        int priced,
        int unknown,
        Map<String, Totals> byService,
        Map<String, Totals> byRegion) {

    public static final BigDecimal HOURS_PER_DAY = BigDecimal.valueOf(24);
    public static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);
    /** The outcomes whose resources' costs the totals add up. */
    public static final Set<Outcome> COUNTED = Collections.unmodifiableSet(EnumSet.of(
            Outcome.PAUSED, Outcome.WOULD_PAUSE, Outcome.DISCOVERED, Outcome.RESUMED, Outcome.WOULD_RESUME));

    /** The figures of one service or region (or of everything). */
    public record Totals(BigDecimal hourly, BigDecimal daily, BigDecimal monthly, int priced, int unknown) {
        public static Totals of(BigDecimal hourly, int priced, int unknown) {
            return new Totals(hourly, hourly.multiply(HOURS_PER_DAY), hourly.multiply(HOURS_PER_MONTH), priced, unknown);
        }

        Totals plus(BigDecimal h, boolean known) {
            return of(hourly.add(h), priced + (known ? 1 : 0), unknown + (known ? 0 : 1));
        }
    }

    public CostSummary {
        byService = byService == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(byService));
        byRegion = byRegion == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(byRegion));
    }

    /** The summary of these resources for an operation of this kind. */
    public static CostSummary of(Action action, boolean dryRun, List<ResourceResult> resources) {
        Totals total = Totals.of(BigDecimal.ZERO, 0, 0);
        Map<String, Totals> byService = new TreeMap<>();
        Map<String, Totals> byRegion = new TreeMap<>();
        Totals zero = Totals.of(BigDecimal.ZERO, 0, 0);
        for (ResourceResult r : resources) {
            if (!COUNTED.contains(r.outcome())) {
                continue;
            }
            boolean known = r.hourlyCost() != null;
            BigDecimal h = known ? BigDecimal.valueOf(r.hourlyCost()) : BigDecimal.ZERO;
            total = total.plus(h, known);
            byService.put(r.service().id(), byService.getOrDefault(r.service().id(), zero).plus(h, known));
            byRegion.put(r.region(), byRegion.getOrDefault(r.region(), zero).plus(h, known));
        }
        return new CostSummary(basis(action, dryRun), total.hourly(), total.daily(), total.monthly(), total.priced(),
                total.unknown(), byService, byRegion);
    }

    static String basis(Action action, boolean dryRun) {
        if (action == null) {
            return "estimated on-demand cost of the resources";
        }
        return switch (action) {
            case PAUSE -> dryRun ? "would be saved while the resources stay paused (dry run)"
                    : "saved while the paused resources stay paused";
            case DISCOVER -> "would be saved by pausing the resources discovered";
            case RESUME -> dryRun ? "would cost again once resumed (dry run)" : "costs again now that the resources run";
        };
    }

    /** The figures as one {@link Totals}. */
    public Totals total() {
        return new Totals(hourly, daily, monthly, priced, unknown);
    }
}
