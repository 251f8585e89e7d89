package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.SnapshotNotFoundException;

/**
 * {@code --pause} and {@code --resume}: with {@code --dry-run} a look; otherwise, without {@code --yes}, the dry run
 * is shown and the user asked first. A resume first checks the snapshot's two copies ({@link SnapshotRepair}); in this
 * process without {@code --rebuild-from} the resume's plan checks them and the progress warns ({@link Session}).
 */
final class PauseOrResumeMode {
    private final LauncherOptions options;
    private final Terminal terminal;

    PauseOrResumeMode(LauncherOptions options, Terminal terminal) {
        this.options = options;
        this.terminal = terminal;
    }

    int run() {
        Request request = options.request();
        Action action = request.action();
        Output out = new Output(terminal, options.json());
        try (Session session = Session.open(options, terminal, ConfigFile.of(terminal).load().orElse(null))) {
            if (session.local() && !options.yes() && options.dryRun()) {
                String missing = SnapshotStoreSetup.missing(session.clients());
                if (missing != null) {
                    if (action == Action.RESUME) {
                        throw new SnapshotNotFoundException("no snapshot to resume: the snapshot " + missing + "; nothing was changed");
                    }
                    return OperationRun.lookWithoutStoring(session, request, missing, options, terminal, out);
                }
            }
            SnapshotStoreSetup.requireForLocal(session, options.yes(), terminal);
            terminal.err().println("Running " + session.where() + ".");
            if (action == Action.RESUME && (options.rebuildFrom() != null || !session.local())) {
                // in this process without --rebuild-from, the resume's own plan checks the copies, once, under the
                // lock, and its progress prints the warning (Session.snapshotChecked)
                new SnapshotRepair(options, terminal).checkCopies(session.engine());
            }
            if (!options.dryRun() && !options.yes()) {
                confirm(session, request, out);
            }
            return OperationRun.runAndReport(session, request, options, terminal, out);
        }
    }

    /** Without --yes: show what would change (a dry run) and ask; no terminal means no. */
    private void confirm(Session session, Request request, Output out) {
        if (!terminal.interactive()) {
            throw new Launcher.NotConfirmedException("refusing to " + request.action().id()
                    + " without --yes: no one is at a terminal to confirm; nothing was changed");
        }
        Request preview = new Request(request.action(), request.regions(), request.services(), request.tags(),
                request.excludeTags(), request.excludeIds(), true, request.snapshotId(), request.trigger());
        OperationReport dry = session.run(preview, false);
        out.preview(dry);
        if (!terminal.confirm("Continue?")) {
            throw new Launcher.NotConfirmedException("not confirmed; nothing was changed");
        }
    }
}
