package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.BurnRate;
import dev.awshitbreaks.core.CostSummary;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.engine.BurnRateText;
import dev.awshitbreaks.engine.SnapshotDocument;
import dev.awshitbreaks.engine.SnapshotSavings;
import dev.awshitbreaks.engine.SnapshotStatus;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.OperationHeader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders reports and status as a table for people or one JSON document for machines, on stdout. */
final class Output {
    private final Terminal terminal;
    private final boolean json;

    Output(Terminal terminal, boolean json) {
        this.terminal = terminal;
        this.json = json;
    }

    void report(OperationReport report) {
        PrintStream out = terminal.out();
        if (json) {
            out.println(Json.writePretty(report));
            return;
        }
        table(out, report.resources());
        out.println();
        out.println(summaryLine(report));
        out.println(costLine(report.costs()));
        burnRate(out, report.burnRate());
        report.failedTargets().forEach(t -> out.println("FAILED target " + t.region() + " " + t.service() + ": " + t.error()));
        if (report.snapshotId() != null && !report.dryRun()) {
            out.println("Snapshot: " + report.snapshotId() + " (" + report.status() + ")");
        }
        out.println("Operation: " + report.operationId());
    }

    /**
     * A report that was not stored (a look in an account without the snapshot store): as {@link #report}, and the JSON
     * says so ({@code "reportStored": false} and why); the table's reader is told on stderr.
     */
    void report(OperationReport report, String notStored) {
        if (!json) {
            report(report);
            return;
        }
        terminal.out().println(Json.writePretty(new Unstored(report, false, notStored)));
    }

    /** The report's own fields (written exactly as a stored report's), then that it was not stored and why. */
    record Unstored(@com.fasterxml.jackson.annotation.JsonUnwrapped OperationReport report, boolean reportStored,
            String reportNotStoredBecause) {
    }

    /** The dry run shown before asking to continue: on stderr, as it is a question, not the result. */
    void preview(OperationReport dry) {
        PrintStream err = terminal.err();
        err.println();
        table(err, dry.resources());
        err.println();
        err.println(summaryLine(dry));
        err.println(costLine(dry.costs()));
        burnRate(err, dry.burnRate());
    }

    /**
     * Did the bleeding stop: the burn rate's three figures (before, stops, still bills), each by service and by region,
     * with their unpriced counts; nothing for a resume (it has none).
     */
    static void burnRate(PrintStream out, BurnRate b) {
        if (b == null) {
            return;
        }
        out.println("Burn rate (estimated on-demand, before = stops + still bills):");
        BurnRateText.figuresWithBreakdown(b).forEach(line -> out.println("  " + line));
    }

    /** "Estimated USD 0.2496/hour, 5.9904/day, 182.208/month (saved while ...); 1 resource's price unknown." */
    static String costLine(CostSummary c) {
        StringBuilder sb = new StringBuilder("Estimated USD ").append(money(c.hourly())).append("/hour, ")
                .append(money(c.daily())).append("/day, ").append(money(c.monthly())).append("/month (")
                .append(c.basis()).append(')');
        if (c.unknown() > 0) {
            sb.append("; ").append(c.unknown()).append(c.unknown() == 1 ? " resource's" : " resources'")
                    .append(" price unknown, not counted");
        }
        return sb.append('.').toString();
    }

    static String money(BigDecimal usd) {
        return usd.stripTrailingZeros().toPlainString();
    }

    private static String summaryLine(OperationReport r) {
        StringBuilder sb = new StringBuilder(r.dryRun() ? "Dry run of " + r.action().id() + ": " : "Done " + r.action().id() + ": ");
        if (r.counts().isEmpty()) {
            sb.append("nothing to do");
        }
        List<String> parts = new ArrayList<>();
        r.counts().forEach((k, v) -> parts.add(v + " " + k));
        sb.append(String.join(", ", parts));
        if (!r.failedTargets().isEmpty()) {
            sb.append("; ").append(r.failedTargets().size()).append(" target(s) failed");
        }
        return sb.append('.').toString();
    }

    private static void table(PrintStream out, List<ResourceResult> rows) {
        if (rows.isEmpty()) {
            out.println("No resources.");
            return;
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"SERVICE", "REGION", "ID", "TYPE", "NAME", "OUTCOME", "USD/HOUR", "PRICE SOURCE", "REASON"});
        for (ResourceResult r : rows) {
            cells.add(new String[] {r.service().id(), r.region(), r.id(), nz(r.type()), nz(r.name()), r.outcome().id(),
                    hourly(r.hourlyCost()), priceSource(r.priceSource()), nz(r.reason())});
        }
        print(out, cells);
    }

    /** An hourly figure as people read it; "unknown" (never 0) when there is none. */
    static String hourly(Double usd) {
        return usd == null ? "unknown" : java.math.BigDecimal.valueOf(usd).stripTrailingZeros().toPlainString();
    }

    /** The source without the reason an unknown carries (the reason is long; JSON keeps it whole). */
    private static String priceSource(String source) {
        if (source == null) {
            return "";
        }
        return source.startsWith("unknown") ? "unknown" : source;
    }

    /** The operations, newest first; {@code activeBurn}: the burn rate of the active snapshot's pause, or null. */
    void status(List<SnapshotStatus> list, StoredBurnRate activeBurn) {
        PrintStream out = terminal.out();
        if (json) {
            List<Map<String, Object>> docs = new ArrayList<>();
            for (SnapshotStatus s : list) {
                Map<String, Object> d = new LinkedHashMap<>();
                OperationHeader h = s.header();
                d.put("id", h.operationId());
                d.put("action", h.action().id());
                d.put("dryRun", h.dryRun());
                d.put("status", h.status());
                d.put("active", s.active());
                d.put("trigger", h.trigger());
                d.put("createdAt", h.createdAt().toString());
                d.put("updatedAt", h.updatedAt().toString());
                d.put("regions", h.request().regions());
                if (h.sourceSnapshotId() != null) {
                    d.put("snapshotId", h.sourceSnapshotId());
                }
                d.put("resources", s.phases());
                if (s.savings() != null) {
                    d.put("savings", savingsDoc(s.savings()));
                }
                if (activeBurn != null && s.active() && activeBurn.operationId().equals(h.operationId())) {
                    burnDoc(d, activeBurn);
                }
                docs.add(d);
            }
            out.println(Json.writePretty(Map.of("operations", docs)));
            return;
        }
        if (list.isEmpty()) {
            out.println("No snapshots.");
            return;
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"", "ID", "ACTION", "STATUS", "CREATED", "TRIGGER", "PAUSED FOR", "USD/HOUR SAVED", "SAVED SO FAR",
            "RESOURCES"});
        for (SnapshotStatus s : list) {
            OperationHeader h = s.header();
            List<String> phases = new ArrayList<>();
            s.phases().forEach((k, v) -> phases.add(v + " " + k));
            SnapshotSavings v = s.savings();
            cells.add(new String[] {s.active() ? "*" : "", h.operationId(), (h.dryRun() ? "dry-run " : "") + h.action().id(),
                    h.status(), h.createdAt().toString(), h.trigger(),
                    v == null || v.paused() == 0 ? "-" : SnapshotSavings.describe(v.pausedFor()),
                    v == null ? "-" : money(v.hourlyWhilePaused()),
                    v == null ? "-" : money(v.savedSoFar().setScale(2, java.math.RoundingMode.HALF_UP)),
                    h.sourceSnapshotId() != null ? "snapshot " + h.sourceSnapshotId() : String.join(", ", phases)});
        }
        print(out, cells);
        if (list.stream().anyMatch(SnapshotStatus::active)) {
            out.println();
            out.println("* the active snapshot: what --resume restores.");
        }
        if (activeBurn != null) {
            out.println();
            burnLines(out, "the active snapshot's pause " + activeBurn.operationId(), activeBurn);
        }
    }

    /** The burn rate of a pause in a status document: {@code burnRate}, or, when not known, why not. */
    private static void burnDoc(Map<String, Object> d, StoredBurnRate b) {
        if (b.burnRate() != null) {
            d.put("burnRate", b.burnRate());
        } else {
            d.put("burnRateNotKnownBecause", b.notKnownBecause());
        }
    }

    private static void burnLines(PrintStream out, String of, StoredBurnRate b) {
        if (b.burnRate() == null) {
            out.println("Burn rate of " + of + ": not known: " + b.notKnownBecause() + ".");
            return;
        }
        out.println("Burn rate of " + of + " (estimated on-demand, before = stops + still bills):");
        BurnRateText.figuresWithBreakdown(b.burnRate()).forEach(line -> out.println("  " + line));
    }

    /** One snapshot: its header and every record, with the original state resume will restore, its savings and its pause's burn rate. */
    void snapshot(OperationHeader header, List<SnapshotRecord> records, SnapshotSavings savings, StoredBurnRate burn) {
        PrintStream out = terminal.out();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>(Json.mapper().convertValue(
                    new SnapshotDocument(SnapshotDocument.FORMAT_VERSION, header, records), MAP));
            doc.put("savings", savingsDoc(savings));
            burnDoc(doc, burn);
            out.println(Json.writePretty(doc));
            return;
        }
        out.println("Snapshot " + header.operationId() + ": " + header.status() + ", created " + header.createdAt()
                + " by " + header.trigger() + ", regions " + String.join(" ", header.request().regions()));
        out.println(savingsLine(savings));
        burnLines(out, "its pause", burn);
        if (records.isEmpty()) {
            out.println("It holds no resources.");
            return;
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"SERVICE", "REGION", "ID", "NAME", "ORIGINAL", "PHASE", "USD/HOUR", "REASON"});
        for (SnapshotRecord r : records) {
            List<String> original = new ArrayList<>();
            r.original().forEach((k, v) -> original.add(k + "=" + v));
            cells.add(new String[] {r.service().id(), r.region(), r.id(), nz(r.name()), String.join(" ", original),
                    r.phase().id(), hourly(r.hourlyCost()), nz(r.reason())});
        }
        print(out, cells);
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    /** The savings of a snapshot for --output json: exact decimals, and how long as seconds and as text. */
    static Map<String, Object> savingsDoc(SnapshotSavings v) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("hourlyWhilePaused", v.hourlyWhilePaused());
        d.put("pausedSince", v.pausedSince() == null ? null : v.pausedSince().toString());
        d.put("pausedForSeconds", v.pausedFor().getSeconds());
        d.put("savedSoFar", v.savedSoFar());
        d.put("paused", v.paused());
        d.put("unknownPrices", v.unknown());
        return d;
    }

    static String savingsLine(SnapshotSavings v) {
        if (v.paused() == 0) {
            return "Nothing paused now; saved while it was: USD " + money(v.savedSoFar().setScale(2, java.math.RoundingMode.HALF_UP)) + ".";
        }
        return "Paused for " + SnapshotSavings.describe(v.pausedFor()) + " (since " + v.pausedSince() + "): saving USD "
                + money(v.hourlyWhilePaused()) + "/hour, USD " + money(v.savedSoFar().setScale(2, java.math.RoundingMode.HALF_UP))
                + " saved so far" + (v.unknown() > 0 ? "; " + v.unknown() + " resource(s) with unknown price not counted" : "") + ".";
    }

    private static void print(PrintStream out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}
