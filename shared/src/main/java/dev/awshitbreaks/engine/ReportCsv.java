package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.ResourceResult;

/**
 * The report's resources as CSV (RFC 4180 quoting), the same rows as the JSON report. An unknown
 * {@code hourlyCost} is an empty field (JSON null); a known one is written in plain decimal notation.
 */
public final class ReportCsv {
    public static final String HEADER = "operationId,service,region,id,type,name,outcome,reason,hourlyCost,priceSource";

    private ReportCsv() {
    }

    public static String write(OperationReport report) {
        StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
        for (ResourceResult r : report.resources()) {
            sb.append(field(report.operationId())).append(',')
                    .append(field(r.service().id())).append(',')
                    .append(field(r.region())).append(',')
                    .append(field(r.id())).append(',')
                    .append(field(r.type())).append(',')
                    .append(field(r.name())).append(',')
                    .append(field(r.outcome().id())).append(',')
                    .append(field(r.reason())).append(',')
                    .append(r.hourlyCost() == null ? "" : java.math.BigDecimal.valueOf(r.hourlyCost()).toPlainString()).append(',')
                    .append(field(r.priceSource())).append("\r\n");
        }
        return sb.toString();
    }

    /**
     * One field: null is an empty field, the empty string a quoted empty field ({@code ""}); a value with a
     * comma, quote or line break is quoted. A value starting with a character a spreadsheet would take for a
     * formula ({@code = + - @}, tab, carriage return), or with an apostrophe, gets an apostrophe in front, so
     * it is never run as a formula and a reader gets the value back by removing one leading apostrophe.
     */
    static String field(String v) {
        if (v == null) {
            return "";
        }
        if (v.isEmpty()) {
            return "\"\"";
        }
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        String escaped = v.replace("\"", "\"\"");
        if (FORMULA_STARTS.indexOf(escaped.charAt(0)) >= 0) {
            escaped = "'" + escaped;
            quote = true;
        }
        return quote ? "\"" + escaped + "\"" : escaped;
    }

    /** First characters a spreadsheet may run as a formula, and the apostrophe that marks them. */
    static final String FORMULA_STARTS = "=+-@\t\r'";
}
