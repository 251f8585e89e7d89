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
        Missing m = Missing.check(clients);
        return m == null ? null : m.what() + m.doNotExist() + " in " + m.region();
    }

    /**
     * The table or bucket (or both) of the local snapshot store found missing, and the one wording of it that
     * {@link #missing} and {@link #ensure} share.
     */
    private record Missing(StateStorage storage, String table, String bucket, String region, boolean tableMissing,
            boolean bucketMissing) {
        /** What is missing, or null when the table and the bucket both exist. */
        static Missing check(AwsClients clients) {
            AwsSettings s = clients.settings();
            StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), s.stateRegion());
            boolean tableMissing = !storage.tableExists(s.tableName());
            boolean bucketMissing = !storage.bucketExists(s.bucketName());
            return tableMissing || bucketMissing
                    ? new Missing(storage, s.tableName(), s.bucketName(), s.stateRegion(), tableMissing, bucketMissing) : null;
        }

        private boolean both() {
            return tableMissing && bucketMissing;
        }

        /** "DynamoDB table t", "S3 bucket b", or "DynamoDB table t and S3 bucket b". */
        String what() {
            return (tableMissing ? "DynamoDB table " + table : "") + (both() ? " and " : "")
                    + (bucketMissing ? "S3 bucket " + bucket : "");
        }

        String doNotExist() {
            return both() ? " do not exist" : " does not exist";
        }

        String them() {
            return both() ? "them" : "it";
        }
    }

    /** Creates the table and bucket when missing, after asking (or with --yes); false when declined. */
    static boolean ensure(AwsClients clients, URI endpoint, boolean yes, Terminal terminal) {
        Missing m = Missing.check(clients);
        if (m == null) {
            return true;
        }
        String what = m.what();
        if (!yes) {
            if (!terminal.interactive()) {
                throw new Launcher.NotConfirmedException("the snapshot " + what + " in " + m.region() + m.doNotExist()
                        + "; run again with --yes to create " + m.them() + "; nothing was changed");
            }
            if (!terminal.confirm("Snapshots are kept in " + what + " in " + m.region() + ", which" + m.doNotExist()
                    + ". Create " + m.them() + "?")) {
                return false;
            }
        }
        boolean tls = endpoint == null || "https".equalsIgnoreCase(endpoint.getScheme());
        if (m.tableMissing()) {
            m.storage().createTable(m.table());
        }
        if (m.bucketMissing()) {
            m.storage().createBucket(m.bucket(), tls);
        }
        terminal.err().println("Created " + what + " in " + m.region()
                + (m.bucketMissing() && !tls ? " (without the TLS-only bucket policy: the endpoint is plain HTTP)" : "") + ".");
        return true;
    }

    /** Local mode: the store exists, or is created now, or the run ends (not confirmed, nothing changed). */
    static void requireForLocal(Session session, boolean yes, Terminal terminal) {
        if (session.local() && !ensure(session.clients(), session.endpoint(), yes, terminal)) {
            throw new Launcher.NotConfirmedException("the snapshot table and bucket do not exist and were not created; nothing was changed");
        }
    }
}
