package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;

/** What pause, resume and discover share once they know their request: a look that stores nothing, a run, its report. */
final class OperationRun {
    private OperationRun() {
    }

    /**
     * A look (a discover, or a dry run) in local mode without --yes, when the snapshot store does not exist: it changes
     * nothing, not even by creating the store, so it runs without storing and says so.
     *
     * @param missing what of the store is missing, as {@link SnapshotStoreSetup#missing} says
     */
    static int lookWithoutStoring(Session session, Request request, String missing, LauncherOptions options, Terminal terminal,
            Output out) {
        String notStored = "no report was stored: the snapshot " + missing + " (run with --yes to create "
                + (missing.contains(" and ") ? "them" : "it") + " and keep reports)";
        terminal.err().println("Running " + session.where() + ".");
        terminal.err().println("Nothing is created or written: " + notStored + ".");
        OperationReport report = session.lookWithoutStoring(request);
        out.report(report, notStored);
        writeReport(report, options, terminal);
        return exitCode(report);
    }

    /** Runs the request to its end and shows the report (and writes it with --report). */
    static int runAndReport(Session session, Request request, LauncherOptions options, Terminal terminal, Output out) {
        OperationReport report = session.run(request, false);
        out.report(report);
        writeReport(report, options, terminal);
        return exitCode(report);
    }

    private static void writeReport(OperationReport report, LauncherOptions options, Terminal terminal) {
        ReportFile f = options.report();
        if (f != null) {
            f.write(report);
            terminal.err().println("Report written to " + f.path() + " (" + f.format() + ").");
        }
    }

    private static int exitCode(OperationReport report) {
        return report.hasFailures() ? ExitCode.FAILURES : ExitCode.OK;
    }
}
