package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.core.TargetResult;
import dev.awshitbreaks.engine.Plan;
import dev.awshitbreaks.engine.ProgressListener;
import dev.awshitbreaks.engine.SnapshotIntegrity;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;

/** Progress on stderr, one line per finished (region, service). */
final class Progress implements ProgressListener {
    private final Terminal terminal;
    private final AtomicInteger done = new AtomicInteger();
    private final boolean bar;
    private volatile int total;
    private final Consumer<SnapshotIntegrity.Check> checked;

    Progress(Terminal terminal) {
        this(terminal, false);
    }

    /** @param bar draw a progress bar on each line (interactive mode) */
    Progress(Terminal terminal, boolean bar) {
        this(terminal, bar, check -> { });
    }

    /** @param checked hears a resume's check of its snapshot's copies (to warn of a damaged S3 copy) */
    Progress(Terminal terminal, boolean bar, Consumer<SnapshotIntegrity.Check> checked) {
        this.terminal = terminal;
        this.bar = bar;
        this.checked = checked;
    }

    @Override
    public void snapshotChecked(SnapshotIntegrity.Check check) {
        checked.accept(check);
    }

    @Override
    public void planned(Plan plan) {
        total = plan.targets().size();
        String what = plan.dryRun() ? "dry run of " + plan.action().id() : plan.action().id();
        terminal.err().println("Scanning for " + what + ": " + plan.request().regions().size() + " region(s) x "
                + plan.request().services().size() + " service(s)"
                + (plan.snapshotId() != null ? ", snapshot " + plan.snapshotId() : "") + " ...");
    }

    @Override
    public synchronized void targetFinished(Target target, TargetResult result) {
        StringBuilder counts = new StringBuilder();
        result.counts().forEach((k, v) -> counts.append(counts.isEmpty() ? "" : ", ").append(v).append(' ').append(k.id()));
        int n = done.incrementAndGet();
        terminal.err().printf("  %s%-15s %-8s %s%n", position(n), target.region(), target.service().id(),
                counts.isEmpty() ? "nothing found" : counts);
    }

    @Override
    public synchronized void waitingForDatabases(java.util.List<String> pending, boolean givingUp) {
        terminal.err().println(givingUp
                ? "  Databases still not available; resuming compute anyway: " + String.join(", ", pending)
                : "  Waiting for databases before resuming compute: " + String.join(", ", pending));
    }

    @Override
    public synchronized void targetFailed(Target target, String error) {
        terminal.err().printf("  %s%-15s %-8s FAILED: %s%n", position(done.incrementAndGet()), target.region(),
                target.service().id(), error);
    }

    private String position(int n) {
        return (bar ? Bar.DEFAULT.render(n, total).replaceFirst(" \\d+/\\d+$", " ") : "") + "[" + n + "/" + total + "] ";
    }
}
