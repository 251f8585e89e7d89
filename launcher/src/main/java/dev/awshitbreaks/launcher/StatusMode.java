package dev.awshitbreaks.launcher;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.core.SnapshotNotFoundException;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.SnapshotStatus;
import dev.awshitbreaks.snapshot.StateStorage;
import java.util.List;

/**
 * {@code --status}: the snapshots and what they hold, or one snapshot with {@code --snapshot}; for the active snapshot
 * (or the one named) the burn rate of its pause, from its stored report. Changes nothing.
 */
final class StatusMode {
    private final LauncherOptions options;
    private final Terminal terminal;

    StatusMode(LauncherOptions options, Terminal terminal) {
        this.options = options;
        this.terminal = terminal;
    }

    int run() {
        Output out = new Output(terminal, options.json());
        try (Session session = Session.open(options, terminal, ConfigFile.of(terminal).load().orElse(null))) {
            return show(session, out);
        }
    }

    /** Also the interactive menu's "status". */
    int show(Session session, Output out) {
        AwsClients clients = session.clients();
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), clients.settings().stateRegion());
        if (!storage.tableExists(clients.settings().tableName())) {
            terminal.err().println("No snapshots yet: table " + clients.settings().tableName() + " does not exist in "
                    + clients.settings().stateRegion() + ".");
            out.status(List.of(), null);
            return ExitCode.OK;
        }
        BrakeEngine engine = session.engine();
        String snapshotId = options.snapshotId();
        if (snapshotId != null) {
            var header = engine.store().header(snapshotId)
                    .orElseThrow(() -> new SnapshotNotFoundException("no snapshot " + Shown.quote(snapshotId) + " in table "
                            + clients.settings().tableName() + "; --status lists the snapshots there are"));
            var records = engine.store().records(snapshotId, null, null);
            // a snapshot is a pause: its burn rate is in its stored report
            out.snapshot(header, records, engine.savings(records), StoredBurnRate.read(engine.store(), snapshotId));
            return ExitCode.OK;
        }
        List<SnapshotStatus> list = engine.status(50);
        // the active snapshot's pause only: one S3 GetObject, none for the other rows
        StoredBurnRate active = list.stream().filter(SnapshotStatus::active).findFirst()
                .map(s -> StoredBurnRate.read(engine.store(), s.header().operationId())).orElse(null);
        out.status(list, active);
        return ExitCode.OK;
    }
}
