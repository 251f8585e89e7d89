package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.BurnRate;
import dev.awshitbreaks.core.CostSummary;
import dev.awshitbreaks.core.CostSummary.Totals;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The report as one self-contained HTML page a person can read at a glance: the totals, and bar charts of
 * the monthly estimate by service and by region (inline SVG), the burn rate before and after a pause (a bar each for
 * before, stops and still bills, by service), the still-billing rows with their hints, then every resource. No script, no external
 * resource of any kind (its Content-Security-Policy forbids them); every value from AWS is escaped.
 */
public final class ReportHtml {
    /** The bars of the chart by service. */
    public static final String SERVICE_COLOUR = "#2563eb";
    /** The bars of the chart by region. */
    public static final String REGION_COLOUR = "#ea580c";
    static final int CHART_WIDTH = 720;
    static final int LABEL_WIDTH = 150;
    static final int VALUE_WIDTH = 130;
    /** The burn rate's bars leave room for "USD 105.85/month (+1 not priced)". */
    static final int BURN_VALUE_WIDTH = 240;
    static final int BAR_HEIGHT = 26;
    static final int BAR_GAP = 10;

    private ReportHtml() {
    }

    public static String write(OperationReport r) {
        CostSummary c = r.costs();
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>aws-hit-breaks ").append(esc(r.action().id())).append(' ').append(esc(r.operationId()))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#111827;background:#fff}\n")
                .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.muted{color:#6b7280;font-size:13px}\n")
                .append(".kpis{display:flex;gap:16px;flex-wrap:wrap;margin:16px 0}.kpi{border:1px solid #e5e7eb;border-radius:8px;padding:12px 16px;min-width:150px}\n")
                .append(".kpi .v{font-size:24px;font-weight:600}.kpi .l{font-size:12px;color:#6b7280}\n")
                .append("table{border-collapse:collapse;font-size:12px}td,th{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left}\n")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}td{white-space:nowrap}td:last-child{white-space:normal}\n</style></head><body>\n");
        h.append("<h1>aws-hit-breaks: ").append(r.dryRun() ? "dry run of " : "").append(esc(r.action().id())).append(", ")
                .append(esc(r.status())).append("</h1>\n<div class=\"muted\">Operation ").append(esc(r.operationId()));
        if (r.snapshotId() != null) {
            h.append(" &middot; snapshot ").append(esc(r.snapshotId()));
        }
        h.append(" &middot; trigger ").append(esc(r.trigger())).append(" &middot; ").append(esc(String.valueOf(r.startedAt())))
                .append(" to ").append(esc(String.valueOf(r.finishedAt()))).append("<br>Regions: ")
                .append(esc(String.join(", ", r.regions()))).append("</div>\n");

        h.append("<div class=\"kpis\">");
        kpi(h, "USD " + money(c.hourly()), "per hour");
        kpi(h, "USD " + cents(c.daily()), "per day (24 h)");
        kpi(h, "USD " + cents(c.monthly()), "per month (730 h)");
        StringBuilder counts = new StringBuilder();
        r.counts().forEach((k, v) -> counts.append(counts.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
        kpi(h, String.valueOf(r.resources().size()), "resources: " + (counts.length() == 0 ? "none" : counts));
        h.append("</div>\n<div class=\"muted\">Estimated on-demand cost (per day and month rounded to cents here; the JSON and CSV reports are exact), ").append(esc(c.basis())).append(". ")
                .append(c.priced()).append(" resource(s) priced");
        if (c.unknown() > 0) {
            h.append("; ").append(c.unknown()).append(" with an unknown price, not counted");
        }
        h.append(". Sources: ").append(esc(String.join(", ", sources(r)))).append(".</div>\n");

        h.append("<h2>Per month by service</h2>\n");
        chart(h, "by-service", c.byService(), SERVICE_COLOUR);
        h.append("<h2>Per month by region</h2>\n");
        chart(h, "by-region", c.byRegion(), REGION_COLOUR);

        if (r.burnRate() != null) {
            burnRate(h, r);
        }

        if (!r.failedTargets().isEmpty()) {
            h.append("<h2>Targets that failed</h2>\n<ul>");
            r.failedTargets().forEach(t -> h.append("<li>").append(esc(t.region())).append(' ').append(esc(t.service()))
                    .append(": ").append(esc(t.error())).append("</li>"));
            h.append("</ul>\n");
        }
        h.append("<h2>Resources</h2>\n<table><thead><tr><th>service</th><th>region</th><th>id</th><th>type</th><th>name</th>")
                .append("<th>outcome</th><th>USD/hour</th><th>price source</th><th>reason</th></tr></thead><tbody>\n");
        for (ResourceResult x : r.resources()) {
            h.append("<tr><td>").append(esc(x.service().id())).append("</td><td>").append(esc(x.region())).append("</td><td>")
                    .append(esc(x.id())).append("</td><td>").append(esc(x.type())).append("</td><td>").append(esc(x.name()))
                    .append("</td><td>").append(esc(x.outcome().id())).append("</td><td class=\"n\">")
                    .append(x.hourlyCost() == null ? "unknown" : money(BigDecimal.valueOf(x.hourlyCost())))
                    .append("</td><td>").append(esc(x.priceSource())).append("</td><td>").append(esc(x.reason())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n</body></html>\n");
        return h.toString();
    }

    /** A horizontal bar per entry, its length in proportion to the monthly figure; the longest fills the chart. */
    static void chart(StringBuilder h, String id, Map<String, Totals> data, String colour) {
        BigDecimal max = data.values().stream().map(Totals::monthly).max(BigDecimal::compareTo).orElse(BigDecimal.ZERO);
        if (data.isEmpty() || max.signum() == 0) {
            h.append("<p class=\"muted\" id=\"").append(id).append("\">No priced resources.</p>\n");
            return;
        }
        int barSpace = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        int height = data.size() * (BAR_HEIGHT + BAR_GAP) + BAR_GAP;
        h.append("<svg id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ').append(height)
                .append("\" role=\"img\" font-family=\"system-ui,sans-serif\" font-size=\"13\">\n");
        int y = BAR_GAP;
        for (var e : data.entrySet()) {
            int width = e.getValue().monthly().multiply(BigDecimal.valueOf(barSpace))
                    .divide(max, MathContext.DECIMAL64).setScale(0, RoundingMode.HALF_UP).intValue();
            width = Math.max(width, e.getValue().monthly().signum() > 0 ? 1 : 0);
            h.append("<text x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(y + BAR_HEIGHT / 2 + 5)
                    .append("\" text-anchor=\"end\" fill=\"#111827\">").append(esc(e.getKey())).append("</text>")
                    .append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y).append("\" width=\"").append(width)
                    .append("\" height=\"").append(BAR_HEIGHT).append("\" fill=\"").append(colour).append("\"><title>")
                    .append(esc(e.getKey())).append(": USD ").append(money(e.getValue().monthly())).append(" per month</title></rect>")
                    .append("<text x=\"").append(LABEL_WIDTH + width + 6).append("\" y=\"").append(y + BAR_HEIGHT / 2 + 5)
                    .append("\" fill=\"#374151\">").append(e.getValue().priced() == 0 ? "price unknown"
                            : "USD " + cents(e.getValue().monthly()))
                    .append(e.getValue().unknown() > 0 && e.getValue().priced() > 0 ? " (+" + e.getValue().unknown()
                            + " unknown)" : "").append("</text>\n");
            y += BAR_HEIGHT + BAR_GAP;
        }
        h.append("</svg>\n");
    }

    /** The colours of the burn rate's bars, by service (or still-billing kind), in turn; none is a colour of the two charts above. */
    static final List<String> BURN_COLOURS = List.of("#7c3aed", "#059669", "#db2777", "#0891b2", "#ca8a04", "#4b5563",
            "#65a30d", "#9f1239", "#1e3a8a", "#a16207");

    /**
     * Did the bleeding stop: the three figures (before, what the pause stops, what still bills), a picture of them
     * (one bar each, per month, in segments by service or still-billing kind), the figures by service and by region,
     * and every still-billing row with what a person could do about it.
     */
    static void burnRate(StringBuilder h, OperationReport r) {
        BurnRate b = r.burnRate();
        h.append("<h2 id=\"burn-rate\">Burn rate: before and after</h2>\n<div class=\"kpis\">");
        kpi(h, burnFigure(b.before().total()), BurnRateText.BEFORE + ": " + b.before().basis() + "; unknown: "
                + b.before().unknown() + " not priced");
        kpi(h, burnFigure(b.stops().total()), BurnRateText.STOPS + ": " + b.stops().basis() + "; unknown: "
                + b.stops().unknown() + " not priced");
        kpi(h, burnFigure(b.stillBills().total()), BurnRateText.STILL_BILLS + ": " + b.stillBills().basis() + "; unknown: "
                + b.stillBills().unknown() + " not priced");
        h.append("</div>\n<div class=\"muted\">Per hour; per month (730 h) in the bars. The figures add up exactly:"
                + " before = stops + still bills, in total, by service and by region; an unpriced row counts in"
                + " \"not priced\", never as USD 0.</div>\n");
        burnChart(h, b);
        h.append("<h3>By service</h3>\n");
        burnTable(h, "burn-by-service", "service", b, CostSummary::byService);
        h.append("<h3>By region</h3>\n");
        burnTable(h, "burn-by-region", "region", b, CostSummary::byRegion);

        List<ResourceResult> still = r.resources().stream().filter(x -> x.outcome() == Outcome.STILL_BILLING).toList();
        h.append("<h3>Still billing (found, left as they are)</h3>\n");
        if (still.isEmpty()) {
            h.append("<p class=\"muted\" id=\"still-billing\">No still-billing resources were found.</p>\n");
            return;
        }
        h.append("<table id=\"still-billing\"><thead><tr><th>region</th><th>id</th><th>type</th><th>name</th><th>USD/hour</th>")
                .append("<th>price source</th><th>what you could do</th></tr></thead><tbody>\n");
        for (ResourceResult x : still) {
            h.append("<tr><td>").append(esc(x.region())).append("</td><td>").append(esc(x.id())).append("</td><td>")
                    .append(esc(x.type())).append("</td><td>").append(esc(x.name())).append("</td><td class=\"n\">")
                    .append(x.hourlyCost() == null ? "unknown" : money(BigDecimal.valueOf(x.hourlyCost())))
                    .append("</td><td>").append(esc(x.priceSource())).append("</td><td>").append(esc(x.reason()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static String burnFigure(Totals t) {
        return t.priced() == 0 && t.unknown() > 0 ? "unknown" : "USD " + money(t.hourly()) + "/hour";
    }

    /** Three bars (before, stops, still bills), their lengths in proportion to the monthly figures, in segments by service. */
    static void burnChart(StringBuilder h, BurnRate b) {
        BigDecimal max = b.before().monthly();
        if (max.signum() == 0) {
            h.append("<p class=\"muted\" id=\"burn-chart\">No priced resources: nothing to draw.</p>\n");
            return;
        }
        List<String> keys = new ArrayList<>(b.before().byService().keySet());
        int barSpace = CHART_WIDTH - LABEL_WIDTH - BURN_VALUE_WIDTH;
        int legendRows = (keys.size() + 3) / 4;
        int height = 3 * (BAR_HEIGHT + BAR_GAP) + BAR_GAP + legendRows * 20 + 6;
        h.append("<svg id=\"burn-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ').append(height)
                .append("\" role=\"img\" font-family=\"system-ui,sans-serif\" font-size=\"13\">\n");
        int y = BAR_GAP;
        for (var bar : List.of(Map.entry(BurnRateText.BEFORE, b.before()), Map.entry(BurnRateText.STOPS, b.stops()),
                Map.entry(BurnRateText.STILL_BILLS, b.stillBills()))) {
            CostSummary c = bar.getValue();
            h.append("<text x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(y + BAR_HEIGHT / 2 + 5)
                    .append("\" text-anchor=\"end\" fill=\"#111827\">").append(esc(bar.getKey())).append("</text>");
            BigDecimal sum = BigDecimal.ZERO;
            int x = LABEL_WIDTH;
            for (int i = 0; i < keys.size(); i++) {
                Totals t = c.byService().get(keys.get(i));
                if (t == null || t.monthly().signum() == 0) {
                    continue;
                }
                sum = sum.add(t.monthly());
                int end = LABEL_WIDTH + sum.multiply(BigDecimal.valueOf(barSpace)).divide(max, MathContext.DECIMAL64)
                        .setScale(0, RoundingMode.HALF_UP).intValue();
                int width = Math.max(end - x, 1);
                h.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(width)
                        .append("\" height=\"").append(BAR_HEIGHT).append("\" fill=\"").append(burnColour(i)).append("\"><title>")
                        .append(esc(bar.getKey())).append(", ").append(esc(keys.get(i))).append(": USD ").append(money(t.monthly()))
                        .append(" per month</title></rect>");
                x += width;
            }
            h.append("<text x=\"").append(x + 6).append("\" y=\"").append(y + BAR_HEIGHT / 2 + 5).append("\" fill=\"#374151\">")
                    .append(c.priced() == 0 && c.unknown() > 0 ? "price unknown" : "USD " + cents(c.monthly()) + "/month")
                    .append(c.unknown() > 0 && c.priced() > 0 ? " (+" + c.unknown() + " not priced)" : "").append("</text>\n");
            y += BAR_HEIGHT + BAR_GAP;
        }
        for (int i = 0; i < keys.size(); i++) {
            int lx = LABEL_WIDTH + (i % 4) * ((CHART_WIDTH - LABEL_WIDTH) / 4);
            int ly = y + (i / 4) * 20;
            h.append("<rect x=\"").append(lx).append("\" y=\"").append(ly).append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(burnColour(i)).append("\"/><text x=\"").append(lx + 16).append("\" y=\"").append(ly + 11)
                    .append("\" fill=\"#374151\">").append(esc(keys.get(i))).append("</text>\n");
        }
        h.append("</svg>\n");
    }

    static String burnColour(int i) {
        return BURN_COLOURS.get(i % BURN_COLOURS.size());
    }

    /** One row per service (or region): before, stops, still bills, per hour, exact, with the unpriced counts. */
    private static void burnTable(StringBuilder h, String id, String what, BurnRate b,
            java.util.function.Function<CostSummary, Map<String, Totals>> by) {
        TreeSet<String> keys = new TreeSet<>(by.apply(b.before()).keySet());
        if (keys.isEmpty()) {
            h.append("<p class=\"muted\" id=\"").append(id).append("\">Nothing counted.</p>\n");
            return;
        }
        h.append("<table id=\"").append(id).append("\"><thead><tr><th>").append(what).append("</th><th>before USD/hour</th>")
                .append("<th>stops USD/hour</th><th>still bills USD/hour</th><th>not priced (before, stops, still bills)</th>")
                .append("</tr></thead><tbody>\n");
        for (String k : keys) {
            Totals before = by.apply(b.before()).get(k);
            Totals stops = by.apply(b.stops()).get(k);
            Totals still = by.apply(b.stillBills()).get(k);
            h.append("<tr><td>").append(esc(k)).append("</td><td class=\"n\">").append(cell(before)).append("</td><td class=\"n\">")
                    .append(cell(stops)).append("</td><td class=\"n\">").append(cell(still)).append("</td><td class=\"n\">")
                    .append(unknown(before)).append(", ").append(unknown(stops)).append(", ").append(unknown(still))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static String cell(Totals t) {
        if (t == null) {
            return "0";
        }
        return t.priced() == 0 && t.unknown() > 0 ? "unknown" : money(t.hourly());
    }

    private static int unknown(Totals t) {
        return t == null ? 0 : t.unknown();
    }

    private static void kpi(StringBuilder h, String value, String label) {
        h.append("<div class=\"kpi\"><div class=\"v\">").append(esc(value)).append("</div><div class=\"l\">").append(esc(label))
                .append("</div></div>");
    }

    private static TreeSet<String> sources(OperationReport r) {
        TreeSet<String> s = new TreeSet<>();
        for (ResourceResult x : r.resources()) {
            if (x.priceSource() != null) {
                s.add(x.priceSource().startsWith("unknown") ? "unknown" : x.priceSource());
            }
        }
        if (s.isEmpty()) {
            s.add("none");
        }
        return s;
    }

    /** Rounded to cents for reading; the JSON and CSV reports keep the exact figures. */
    static String cents(BigDecimal usd) {
        return usd.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    static String money(BigDecimal usd) {
        return usd.stripTrailingZeros().toPlainString();
    }

    /** HTML-escapes text and attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
