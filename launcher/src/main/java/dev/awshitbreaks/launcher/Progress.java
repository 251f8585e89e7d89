package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.core.TargetResult;
import dev.awshitbreaks.engine.Plan;
import dev.awshitbreaks.engine.ProgressListener;
import java.util.concurrent.atomic.AtomicInteger;

/** Progress on stderr, one line per finished (region, service). */
final class Progress implements ProgressListener {
    private final Terminal terminal;
    private final AtomicInteger done = new AtomicInteger();
    private volatile int total;

    Progress(Terminal terminal) {
        this.terminal = terminal;
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
        terminal.err().printf("  [%d/%d] %-15s %-8s %s%n", done.incrementAndGet(), total, target.region(), target.service().id(),
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
        terminal.err().printf("  [%d/%d] %-15s %-8s FAILED: %s%n", done.incrementAndGet(), total, target.region(),
                target.service().id(), error);
    }
}
