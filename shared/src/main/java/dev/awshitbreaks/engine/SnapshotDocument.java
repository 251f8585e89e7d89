package dev.awshitbreaks.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.snapshot.CorruptSnapshotException;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.util.ArrayList;
import java.util.List;

/** The whole snapshot as one JSON document in S3: its header and every record, original states included. */
public record SnapshotDocument(int formatVersion, OperationHeader header, List<SnapshotRecord> records) {
    public static final int FORMAT_VERSION = 1;

    public SnapshotDocument {
        records = records == null ? List.of() : List.copyOf(records);
    }

    /**
     * Reads a stored document ({@code snapshots/<id>.json}). Anything that is not a whole snapshot of format
     * {@value #FORMAT_VERSION} (not JSON, another version, a missing or unreadable header or record, an id that
     * is not a pause's, a record of another snapshot, an unknown service or region) is a
     * {@link CorruptSnapshotException} naming the problem; nothing else escapes.
     */
    public static SnapshotDocument parse(String json) {
        if (json == null || json.isBlank()) {
            throw new CorruptSnapshotException("the snapshot document is empty");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new CorruptSnapshotException("the snapshot document is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new CorruptSnapshotException("the snapshot document is not a JSON object");
        }
        JsonNode version = root.get("formatVersion");
        if (version == null || !version.isInt()) {
            throw new CorruptSnapshotException("the snapshot document has no formatVersion");
        }
        if (version.intValue() != FORMAT_VERSION) {
            throw new CorruptSnapshotException("the snapshot document has format version " + version.intValue()
                    + "; this version of aws-hit-breaks reads version " + FORMAT_VERSION);
        }
        OperationHeader header = read(root.get("header"), OperationHeader.class, "its header");
        if (!OperationId.isSnapshotId(header.operationId()) || header.action() != Action.PAUSE || header.dryRun()) {
            throw new CorruptSnapshotException("the snapshot document's header is not a pause's: id "
                    + Shown.quote(header.operationId()));
        }
        if (header.request() == null || header.createdAt() == null || header.updatedAt() == null || header.status() == null) {
            throw new CorruptSnapshotException("the header of snapshot " + header.operationId() + " misses a field");
        }
        JsonNode list = root.get("records");
        if (list == null || !list.isArray()) {
            throw new CorruptSnapshotException("snapshot " + header.operationId() + " has no list of records");
        }
        List<SnapshotRecord> records = new ArrayList<>();
        for (JsonNode r : list) {
            SnapshotRecord record = read(r, SnapshotRecord.class, "record " + (records.size() + 1) + " of snapshot "
                    + header.operationId());
            if (!record.snapshotId().equals(header.operationId())) {
                throw new CorruptSnapshotException("record " + Shown.quote(record.id()) + " belongs to snapshot "
                        + Shown.quote(record.snapshotId()) + ", not " + header.operationId());
            }
            if (!Request.isKnownRegion(record.region())) {
                throw new CorruptSnapshotException("record " + Shown.quote(record.id()) + " of snapshot " + header.operationId()
                        + " names the unknown region " + Shown.quote(record.region()));
            }
            records.add(record);
        }
        return new SnapshotDocument(FORMAT_VERSION, header, records);
    }

    private static <T> T read(JsonNode node, Class<T> type, String what) {
        if (node == null || !node.isObject()) {
            throw new CorruptSnapshotException("the snapshot document's " + what + " is missing or not an object");
        }
        T value;
        try {
            value = Json.mapper().treeToValue(node, type);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            // a value of another JSON type is refused, never coerced (see Json): the field and the type it needs
            throw new CorruptSnapshotException(what + " is unreadable: " + Json.wrongType(e));
        } catch (JsonProcessingException | RuntimeException e) {
            Throwable cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
            String m = cause instanceof JsonProcessingException j ? j.getOriginalMessage() : cause.getMessage();
            throw new CorruptSnapshotException(what + " is unreadable: " + Shown.plain(String.valueOf(m)));
        }
        if (value == null) {
            throw new CorruptSnapshotException("the snapshot document's " + what + " is empty");
        }
        return value;
    }
}
