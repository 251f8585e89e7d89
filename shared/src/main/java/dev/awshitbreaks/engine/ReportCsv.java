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

    static String field(String v) {
        if (v == null) {
            return "";
        }
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        String escaped = v.replace("\"", "\"\"");
        // a leading formula character would run as a formula in a spreadsheet: neutralise it
        if (!escaped.isEmpty() && "=+-@".indexOf(escaped.charAt(0)) >= 0) {
            escaped = "'" + escaped;
            quote = true;
        }
        return quote ? "\"" + escaped + "\"" : escaped;
    }
}
