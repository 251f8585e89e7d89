package dev.awshitbreaks.launcher;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.snapshot.StateStorage;
import java.net.URI;

/** In local mode the launcher keeps its own snapshot table and bucket: whether they exist, and creating them after asking. */
final class SnapshotStoreSetup {
    private SnapshotStoreSetup() {
    }

    /** What of the snapshot store is missing ("DynamoDB table t and S3 bucket b do not exist in r"), or null. */
    static String missing(AwsClients clients) {
        AwsSettings s = clients.settings();
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), s.stateRegion());
        boolean tableMissing = !storage.tableExists(s.tableName());
        boolean bucketMissing = !storage.bucketExists(s.bucketName());
        if (!tableMissing && !bucketMissing) {
            return null;
        }
        return (tableMissing ? "DynamoDB table " + s.tableName() : "") + (tableMissing && bucketMissing ? " and " : "")
                + (bucketMissing ? "S3 bucket " + s.bucketName() : "")
                + (tableMissing && bucketMissing ? " do not exist" : " does not exist") + " in " + s.stateRegion();
    }

    /** Creates the table and bucket when missing, after asking (or with --yes); false when declined. */
    static boolean ensure(AwsClients clients, URI endpoint, boolean yes, Terminal terminal) {
        AwsSettings s = clients.settings();
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), s.stateRegion());
        boolean tableMissing = !storage.tableExists(s.tableName());
        boolean bucketMissing = !storage.bucketExists(s.bucketName());
        if (!tableMissing && !bucketMissing) {
            return true;
        }
        String what = (tableMissing ? "DynamoDB table " + s.tableName() : "")
                + (tableMissing && bucketMissing ? " and " : "")
                + (bucketMissing ? "S3 bucket " + s.bucketName() : "");
        if (!yes) {
            if (!terminal.interactive()) {
                throw new Launcher.NotConfirmedException("the snapshot " + what + " in " + s.stateRegion()
                        + (tableMissing && bucketMissing ? " do not exist" : " does not exist")
                        + "; run again with --yes to create " + (tableMissing && bucketMissing ? "them" : "it") + "; nothing was changed");
            }
            if (!terminal.confirm("Snapshots are kept in " + what + " in " + s.stateRegion() + (tableMissing && bucketMissing ? ", which do not exist. Create them?" : ", which does not exist. Create it?"))) {
                return false;
            }
        }
        boolean tls = endpoint == null || "https".equalsIgnoreCase(endpoint.getScheme());
        if (tableMissing) {
            storage.createTable(s.tableName());
        }
        if (bucketMissing) {
            storage.createBucket(s.bucketName(), tls);
        }
        terminal.err().println("Created " + what + " in " + s.stateRegion()
                + (bucketMissing && !tls ? " (without the TLS-only bucket policy: the endpoint is plain HTTP)" : "") + ".");
        return true;
    }

    /** Local mode: the store exists, or is created now, or the run ends (not confirmed, nothing changed). */
    static void requireForLocal(Session session, boolean yes, Terminal terminal) {
        if (session.local() && !ensure(session.clients(), session.endpoint(), yes, terminal)) {
            throw new Launcher.NotConfirmedException("the snapshot table and bucket do not exist and were not created; nothing was changed");
        }
    }
}
