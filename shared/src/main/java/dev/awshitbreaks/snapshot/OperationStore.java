package dev.awshitbreaks.snapshot;

import java.util.List;
import java.util.Optional;

/**
 * Operation headers and the active-snapshot pointer. Adapters: {@link DynamoDbOperationStore}, and an in-memory one
 * for tests; {@code StorageContract} holds both to the same rules.
 */
public interface OperationStore {
    /** Writes (or rewrites) the header of its operation. */
    void putHeader(OperationHeader header);

    /** The header, read consistently; a stored one that cannot be read is a {@link CorruptSnapshotException}. */
    Optional<OperationHeader> header(String operationId);

    /** Every operation header, newest first. */
    List<OperationHeader> headers();

    /**
     * The snapshot that holds paused resources, if any. A pointer naming something that is not a snapshot id is a
     * {@link CorruptSnapshotException}.
     */
    Optional<String> activeSnapshotId();

    /**
     * Points at this snapshot, by compare-and-set: only when no snapshot is active or this one already is; otherwise
     * {@link dev.awshitbreaks.core.OperationInProgressException} and the pointer is left as it is.
     */
    void setActiveSnapshot(String snapshotId);

    /** Clears the pointer only if it names this snapshot; anything else is left as it is. */
    void clearActiveSnapshot(String snapshotId);
}
