package dev.awshitbreaks.snapshot.memory;

import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.OperationInProgressException;
import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.snapshot.CorruptSnapshotException;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.OperationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Operation headers and the active pointer in memory, under the rules of {@link dev.awshitbreaks.snapshot.DynamoDbOperationStore}
 * (compare-and-set on the pointer, a pointer or header that is not of its shape refused on read), which
 * {@code StorageContract} checks against both.
 */
public final class InMemoryOperationStore implements OperationStore {
    private final String table;
    /** By operation id, in the order DynamoDB's sort key gives; a String value is a stored header that cannot be read. */
    private final Map<String, Object> headers = new TreeMap<>();
    private String activePointer;

    public InMemoryOperationStore(String table) {
        this.table = table;
    }

    @Override
    public synchronized void putHeader(OperationHeader header) {
        headers.put(header.operationId(), header);
    }

    @Override
    public synchronized Optional<OperationHeader> header(String operationId) {
        return headers.containsKey(operationId) ? Optional.of(read(operationId, headers.get(operationId))) : Optional.empty();
    }

    @Override
    public synchronized List<OperationHeader> headers() {
        List<OperationHeader> out = new ArrayList<>();
        headers.forEach((id, stored) -> out.add(read(id, stored)));
        out.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        return out;
    }

    private static OperationHeader read(String id, Object stored) {
        if (!OperationId.isOperationId(id)) {
            throw new CorruptSnapshotException("an operation header in the snapshot table has the id " + Shown.quote(id)
                    + ", which is not an operation id");
        }
        if (stored instanceof String reason) {
            throw new CorruptSnapshotException("operation " + id + " has an unreadable header in the snapshot table: " + reason);
        }
        return (OperationHeader) stored;
    }

    @Override
    public synchronized Optional<String> activeSnapshotId() {
        if (activePointer == null) {
            return Optional.empty();
        }
        if (!OperationId.isSnapshotId(activePointer)) {
            throw new CorruptSnapshotException("the active-snapshot pointer in table " + table + " names " + Shown.quote(activePointer)
                    + ", which is not a snapshot id; resume one by --snapshot ID (--status lists them)");
        }
        return Optional.of(activePointer);
    }

    @Override
    public synchronized void setActiveSnapshot(String snapshotId) {
        if (activePointer != null && !activePointer.equals(snapshotId)) {
            throw new OperationInProgressException("another snapshot became active while pausing; run the pause again to join it");
        }
        activePointer = snapshotId;
    }

    @Override
    public synchronized void clearActiveSnapshot(String snapshotId) {
        if (snapshotId.equals(activePointer)) {
            activePointer = null;
        }
    }

    /** Test hook: a stored header that cannot be read, for the reason given (as a damaged DynamoDB item would be). */
    public synchronized void putUnreadableHeader(String operationId, String reason) {
        headers.put(operationId, reason);
    }

    /** Test hook: the pointer set to anything, a value that is not a snapshot id included (as a damaged item would be). */
    public synchronized void pointActiveAt(String raw) {
        activePointer = raw;
    }
}
