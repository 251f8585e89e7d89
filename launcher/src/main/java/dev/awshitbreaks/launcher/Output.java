package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.engine.SnapshotDocument;
import dev.awshitbreaks.engine.SnapshotStatus;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.OperationHeader;
import java.io.PrintStream;
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
        report.failedTargets().forEach(t -> out.println("FAILED target " + t.region() + " " + t.service() + ": " + t.error()));
        if (report.snapshotId() != null && !report.dryRun()) {
            out.println("Snapshot: " + report.snapshotId() + " (" + report.status() + ")");
        }
        out.println("Operation: " + report.operationId());
    }

    /** The dry run shown before asking to continue: on stderr, as it is a question, not the result. */
    void preview(OperationReport dry) {
        PrintStream err = terminal.err();
        err.println();
        table(err, dry.resources());
        err.println();
        err.println(summaryLine(dry));
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

    void status(List<SnapshotStatus> list) {
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
        cells.add(new String[] {"", "ID", "ACTION", "STATUS", "CREATED", "TRIGGER", "RESOURCES"});
        for (SnapshotStatus s : list) {
            OperationHeader h = s.header();
            List<String> phases = new ArrayList<>();
            s.phases().forEach((k, v) -> phases.add(v + " " + k));
            cells.add(new String[] {s.active() ? "*" : "", h.operationId(), (h.dryRun() ? "dry-run " : "") + h.action().id(),
                    h.status(), h.createdAt().toString(), h.trigger(),
                    h.sourceSnapshotId() != null ? "snapshot " + h.sourceSnapshotId() : String.join(", ", phases)});
        }
        print(out, cells);
        if (list.stream().anyMatch(SnapshotStatus::active)) {
            out.println();
            out.println("* the active snapshot: what --resume restores.");
        }
    }

    /** One snapshot: its header and every record, with the original state resume will restore. */
    void snapshot(OperationHeader header, List<SnapshotRecord> records) {
        PrintStream out = terminal.out();
        if (json) {
            out.println(Json.writePretty(new SnapshotDocument(SnapshotDocument.FORMAT_VERSION, header, records)));
            return;
        }
        out.println("Snapshot " + header.operationId() + ": " + header.status() + ", created " + header.createdAt()
                + " by " + header.trigger() + ", regions " + String.join(" ", header.request().regions()));
        if (records.isEmpty()) {
            out.println("It holds no resources.");
            return;
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"SERVICE", "REGION", "ID", "NAME", "ORIGINAL", "PHASE", "REASON"});
        for (SnapshotRecord r : records) {
            List<String> original = new ArrayList<>();
            r.original().forEach((k, v) -> original.add(k + "=" + v));
            cells.add(new String[] {r.service().id(), r.region(), r.id(), nz(r.name()), String.join(" ", original),
                    r.phase().id(), nz(r.reason())});
        }
        print(out, cells);
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
