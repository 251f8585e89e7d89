package dev.awshitbreaks.engine;

import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.util.List;

/** The whole snapshot as one JSON document in S3: its header and every record, original states included. */
public record SnapshotDocument(int formatVersion, OperationHeader header, List<SnapshotRecord> records) {
    public static final int FORMAT_VERSION = 1;

    public SnapshotDocument {
        records = records == null ? List.of() : List.copyOf(records);
    }
}
