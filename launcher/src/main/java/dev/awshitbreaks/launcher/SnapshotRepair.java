package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.SnapshotIntegrity;
import dev.awshitbreaks.launcher.LauncherOptions.SnapshotCopy;

/**
 * Before a resume: says when one copy of the snapshot (DynamoDB items, S3 document) is damaged, and with
 * {@code --rebuild-from} restores it from the other. A damaged DynamoDB copy without {@code --rebuild-from} is
 * refused by the engine (CorruptSnapshotException).
 */
final class SnapshotRepair {
    private final LauncherOptions options;
    private final Terminal terminal;

    SnapshotRepair(LauncherOptions options, Terminal terminal) {
        this.options = options;
        this.terminal = terminal;
    }

    void checkCopies(BrakeEngine engine) {
        String id = options.snapshotId() != null ? options.snapshotId() : engine.store().activeSnapshotId().orElse(null);
        if (id == null) {
            return; // the engine says there is nothing to resume
        }
        SnapshotCopy rebuildFrom = options.rebuildFrom();
        SnapshotIntegrity integrity = new SnapshotIntegrity(engine.store());
        SnapshotIntegrity.Check check = integrity.check(id);
        if (rebuildFrom == SnapshotCopy.S3 && !check.dynamoDbIntact()) {
            refuseDryRun();
            int n = integrity.rebuildDynamoDbFromS3(id);
            terminal.err().println("Snapshot " + id + ": DynamoDB was damaged (" + String.join("; ", check.dynamoDbProblems())
                    + "); restored " + n + " item(s) from its S3 copy.");
        } else if (rebuildFrom == SnapshotCopy.DYNAMODB && !check.s3Intact()) {
            refuseDryRun();
            integrity.rebuildS3FromDynamoDb(id);
            terminal.err().println("Snapshot " + id + ": its S3 copy was damaged (" + check.s3Problem().orElseThrow()
                    + "); rewritten from DynamoDB.");
        } else if (rebuildFrom != null) {
            terminal.err().println("Snapshot " + id + ": its " + (rebuildFrom == SnapshotCopy.S3 ? "DynamoDB items are" : "S3 copy is")
                    + " intact; nothing to rebuild.");
        } else if (!check.s3Intact() && check.dynamoDbIntact()) {
            terminal.err().println(s3DamagedWarning(check));
        }
    }

    /** The warning before a resume whose snapshot's S3 copy is damaged and whose DynamoDB copy is intact. */
    static String s3DamagedWarning(SnapshotIntegrity.Check check) {
        return "Warning: snapshot " + check.snapshotId() + ": its S3 copy is damaged (" + check.s3Problem().orElseThrow()
                + "). Its DynamoDB items are intact and are what this resume uses; the S3 copy is rewritten from them"
                + " when the resume ends (or now, with --rebuild-from dynamodb).";
    }

    private void refuseDryRun() {
        if (options.dryRun()) {
            throw new InvalidRequestException("--rebuild-from writes, and --dry-run changes nothing: run without --dry-run");
        }
    }
}
