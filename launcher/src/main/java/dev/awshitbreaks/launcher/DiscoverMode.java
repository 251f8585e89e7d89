package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Request;

/** {@code --discover}: what a pause would find, changing nothing. */
final class DiscoverMode {
    private final LauncherOptions options;
    private final Terminal terminal;

    DiscoverMode(LauncherOptions options, Terminal terminal) {
        this.options = options;
        this.terminal = terminal;
    }

    int run() {
        Request request = options.request();
        Output out = new Output(terminal, options.json());
        try (Session session = Session.open(options, terminal, ConfigFile.of(terminal).load().orElse(null))) {
            if (session.local() && !options.yes()) {
                String missing = SnapshotStoreSetup.missing(session.clients());
                if (missing != null) {
                    return OperationRun.lookWithoutStoring(session, request, missing, options, terminal, out);
                }
            }
            SnapshotStoreSetup.requireForLocal(session, options.yes(), terminal);
            terminal.err().println("Running " + session.where() + ".");
            return OperationRun.runAndReport(session, request, options, terminal, out);
        }
    }
}
