package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.BurnRate;
import dev.awshitbreaks.core.CostSummary;
import dev.awshitbreaks.core.CostSummary.Totals;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The burn rate ({@link BurnRate}) as lines of text, for the launcher and the summary notification: the three
 * figures, per hour and per month (730 h), exact, each with its count of unpriced rows ("unknown: N not priced"), and
 * each by service and by region. A figure none of whose rows has a price is "unknown", never USD 0.
 */
public final class BurnRateText {
    /** The three figures' names, as every form of the report shows them. */
    public static final String BEFORE = "before";
    public static final String STOPS = "stops";
    public static final String STILL_BILLS = "still bills";

    private BurnRateText() {
    }

    /** One line per figure: {@code before       USD 0.0554/hour, USD 40.442/month (ran before the pause); unknown: 0 not priced}. */
    public static List<String> figures(BurnRate b) {
        return List.of(figure(BEFORE, b.before()), figure(STOPS, b.stops()), figure(STILL_BILLS, b.stillBills()));
    }

    /** As {@link #figures}, each followed by its figures by service and by region, indented. */
    public static List<String> figuresWithBreakdown(BurnRate b) {
        List<String> lines = new ArrayList<>();
        for (var e : List.of(Map.entry(BEFORE, b.before()), Map.entry(STOPS, b.stops()), Map.entry(STILL_BILLS, b.stillBills()))) {
            lines.add(figure(e.getKey(), e.getValue()));
            if (!e.getValue().byService().isEmpty()) {
                lines.add("               by service: " + breakdown(e.getValue().byService()));
                lines.add("               by region:  " + breakdown(e.getValue().byRegion()));
            }
        }
        return lines;
    }

    static String figure(String name, CostSummary c) {
        return String.format(Locale.ROOT, "%-12s %s (%s); unknown: %d not priced", name, perHourAndMonth(c.total()), c.basis(),
                c.unknown());
    }

    /** {@code USD 0.045/hour, USD 32.85/month}; {@code unknown} when there are rows and none has a price. */
    public static String perHourAndMonth(Totals t) {
        if (t.priced() == 0 && t.unknown() > 0) {
            return "unknown/hour, unknown/month";
        }
        return "USD " + money(t.hourly()) + "/hour, USD " + money(t.monthly()) + "/month";
    }

    /** {@code ec2 0.0104/hour, nat-gateway 0.045/hour (+1 unknown)}: per hour, in key order. */
    public static String breakdown(Map<String, Totals> byKey) {
        List<String> parts = new ArrayList<>();
        byKey.forEach((k, t) -> parts.add(k + " " + (t.priced() == 0 ? "unknown" : money(t.hourly()) + "/hour")
                + (t.priced() > 0 && t.unknown() > 0 ? " (+" + t.unknown() + " unknown)" : "")));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /**
     * The still-billing kinds of these rows, the costliest first (unpriced kinds last), at most {@code limit}:
     * {@code nat-gateway: 2, USD 0.09/hour, USD 65.7/month}.
     */
    public static List<String> biggestStillBillingKinds(List<ResourceResult> rows, int limit) {
        Map<String, Totals> byKind = new TreeMap<>();
        Map<String, Integer> count = new TreeMap<>();
        for (ResourceResult r : rows) {
            if (r.outcome() != Outcome.STILL_BILLING) {
                continue;
            }
            String kind = BurnRate.serviceKey(r);
            boolean known = r.hourlyCost() != null;
            Totals t = byKind.getOrDefault(kind, Totals.of(BigDecimal.ZERO, 0, 0));
            byKind.put(kind, Totals.of(t.hourly().add(known ? BigDecimal.valueOf(r.hourlyCost()) : BigDecimal.ZERO),
                    t.priced() + (known ? 1 : 0), t.unknown() + (known ? 0 : 1)));
            count.merge(kind, 1, Integer::sum);
        }
        return byKind.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Totals> e) -> e.getValue().priced() == 0)
                        .thenComparing(e -> e.getValue().hourly(), Comparator.reverseOrder())
                        .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(e -> e.getKey() + ": " + count.get(e.getKey()) + ", " + perHourAndMonth(e.getValue())
                        + (e.getValue().priced() > 0 && e.getValue().unknown() > 0 ? " (+" + e.getValue().unknown() + " not priced)" : ""))
                .toList();
    }

    static String money(BigDecimal usd) {
        return usd.signum() == 0 ? "0" : usd.stripTrailingZeros().toPlainString();
    }
}
