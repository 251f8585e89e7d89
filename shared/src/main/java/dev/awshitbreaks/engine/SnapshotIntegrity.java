package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.snapshot.CorruptSnapshotException;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a snapshot's two copies agree: the DynamoDB items (header and one record per resource, the copy a resume
 * works from, updated as each resource changes) and the S3 document (the whole snapshot, rewritten whenever an
 * operation on it ends). See docs/reliability.md.
 *
 * <p>DynamoDB is damaged when its header is missing, an item is unreadable, or a record of the S3 copy is missing
 * or has another original state. Records only in DynamoDB, or in a later phase there, are normal: a pause that
 * died before its summary wrote them, and phases move on after each document. The S3 copy is damaged when it is
 * missing or unreadable (normal too after a pause that died before its summary).
 */
public final class SnapshotIntegrity {
    private final SnapshotStore store;

    public SnapshotIntegrity(SnapshotStore store) {
        this.store = store;
    }

    /** What was found. {@code s3Problem} and {@code dynamoDbProblems} are empty when that copy is sound. */
    public record Check(String snapshotId, Optional<SnapshotDocument> s3, Optional<String> s3Problem,
            Optional<OperationHeader> header, List<SnapshotRecord> dynamoDbRecords, List<String> dynamoDbProblems) {
        public boolean dynamoDbIntact() {
            return dynamoDbProblems.isEmpty();
        }

        public boolean s3Intact() {
            return s3Problem.isEmpty();
        }
    }

    public Check check(String snapshotId) {
        String key = SnapshotStore.snapshotKey(snapshotId);
        Optional<SnapshotDocument> doc = Optional.empty();
        Optional<String> s3Problem = Optional.empty();
        Optional<String> raw;
        try {
            raw = store.getDocument(key);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            raw = null; // denied or unreachable: the copy cannot help, DynamoDB may still be sound
            s3Problem = Optional.of("s3://" + store.bucket() + "/" + key + " cannot be read (" + firstLine(e.getMessage()) + ")");
        }
        if (raw != null && raw.isEmpty()) {
            s3Problem = Optional.of("s3://" + store.bucket() + "/" + key + " is missing");
        } else if (raw != null) {
            try {
                SnapshotDocument d = Json.mapper().readValue(raw.get(), SnapshotDocument.class);
                if (d == null || d.header() == null || !snapshotId.equals(d.header().operationId())) {
                    s3Problem = Optional.of("s3://" + store.bucket() + "/" + key + " is not the document of snapshot " + snapshotId);
                } else {
                    doc = Optional.of(d);
                }
            } catch (IOException | RuntimeException e) {
                s3Problem = Optional.of("s3://" + store.bucket() + "/" + key + " is unreadable (" + firstLine(e.getMessage()) + ")");
            }
        }

        List<String> problems = new ArrayList<>();
        Optional<OperationHeader> header;
        try {
            header = store.header(snapshotId);
        } catch (CorruptSnapshotException e) {
            header = Optional.empty();
            problems.add("its header is unreadable (" + e.getMessage() + ")");
        }
        if (header.isEmpty() && problems.isEmpty()) {
            problems.add("its header (pk OPERATION, sk " + snapshotId + ") is missing");
        }
        SnapshotStore.RecordScan scan = store.scanRecords(snapshotId);
        scan.unreadable().forEach((sk, why) -> problems.add("record " + sk + " is unreadable: " + whyUnreadable(why)));
        Map<String, SnapshotRecord> byKey = new LinkedHashMap<>();
        scan.readable().forEach(r -> byKey.put(SnapshotStore.recordKey(r), r));
        if (doc.isPresent()) {
            for (SnapshotRecord r : doc.get().records()) {
                String k = SnapshotStore.recordKey(r);
                SnapshotRecord mine = byKey.get(k);
                if (mine == null && !scan.unreadable().containsKey(k)) {
                    problems.add("record " + k + " is missing");
                } else if (mine != null && !mine.original().equals(r.original())) {
                    problems.add("record " + k + " has another original state than the S3 copy");
                }
            }
        }
        return new Check(snapshotId, doc, s3Problem, header, scan.readable(), problems);
    }

    /** Throws {@link CorruptSnapshotException} naming every problem when the DynamoDB copy is damaged. */
    public Check requireDynamoDbIntact(String snapshotId) {
        Check c = check(snapshotId);
        if (!c.dynamoDbIntact()) {
            throw new CorruptSnapshotException("snapshot " + snapshotId + " is damaged in DynamoDB table " + store.table() + ": "
                    + String.join("; ", c.dynamoDbProblems()) + ". " + (c.s3Intact()
                    ? "Its S3 copy s3://" + store.bucket() + "/" + SnapshotStore.snapshotKey(snapshotId)
                            + " is intact: resume again with --rebuild-from s3 to restore the DynamoDB items from it."
                    : "Its S3 copy cannot help: " + c.s3Problem().orElseThrow()
                            + ". Repair the items by hand (see docs/reliability.md); nothing was changed."));
        }
        return c;
    }

    /**
     * Restores the DynamoDB copy from the S3 document: the header when missing or unreadable, and every record that
     * is missing, unreadable or has another original state (records that are sound keep their newer phase).
     *
     * @return how many items were written
     */
    public int rebuildDynamoDbFromS3(String snapshotId) {
        Check c = check(snapshotId);
        SnapshotDocument doc = c.s3().orElseThrow(() -> new CorruptSnapshotException("cannot rebuild snapshot " + snapshotId
                + " from S3: " + c.s3Problem().orElse("no document")));
        int written = 0;
        if (c.header().isEmpty()) {
            store.putHeader(doc.header());
            written++;
        }
        Map<String, SnapshotRecord> sound = new LinkedHashMap<>();
        c.dynamoDbRecords().forEach(r -> sound.put(SnapshotStore.recordKey(r), r));
        List<SnapshotRecord> restore = new ArrayList<>();
        for (SnapshotRecord r : doc.records()) {
            SnapshotRecord mine = sound.get(SnapshotStore.recordKey(r));
            if (mine == null || !mine.original().equals(r.original())) {
                restore.add(r);
            }
        }
        store.putRecords(restore);
        return written + restore.size();
    }

    /** Rewrites the S3 document from the DynamoDB copy, which must be intact. */
    public void rebuildS3FromDynamoDb(String snapshotId) {
        Check c = check(snapshotId);
        if (c.header().isEmpty() || !c.dynamoDbIntact()) {
            throw new CorruptSnapshotException("cannot rebuild the S3 copy of snapshot " + snapshotId + " from DynamoDB: "
                    + String.join("; ", c.dynamoDbProblems()));
        }
        store.putDocument(SnapshotStore.snapshotKey(snapshotId), Json.writePretty(new SnapshotDocument(
                SnapshotDocument.FORMAT_VERSION, c.header().get(), c.dynamoDbRecords())), "application/json");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The reason of an unreadable-record message ("snapshot S has an unreadable record 'K': reason"). */
    private static String whyUnreadable(String message) {
        int at = message == null ? -1 : message.indexOf("': ");
        return at < 0 ? String.valueOf(message) : message.substring(at + 3);
    }
}
