package dev.awshitbreaks.snapshot;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Request;
import java.time.Instant;

/**
 * The header of one operation. For a pause this is the snapshot header: its status moves through
 * pausing, paused or partial, resuming, resumed.
 */
public record OperationHeader(
        String operationId,
        Action action,
        boolean dryRun,
        String status,
        String trigger,
        Request request,
        Instant createdAt,
        Instant updatedAt,
        String sourceSnapshotId) {

    public static final String PAUSING = "pausing";
    public static final String PAUSED = "paused";
    public static final String PARTIAL = "partial";
    public static final String RESUMING = "resuming";
    public static final String RESUMED = "resumed";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    /** A pause or resume whose run died; another run took over its lock. */
    public static final String INTERRUPTED = "interrupted";

    public OperationHeader withStatus(String newStatus, Instant at) {
        return new OperationHeader(operationId, action, dryRun, newStatus, trigger, request, createdAt, at, sourceSnapshotId);
    }

    /** A snapshot that still holds paused resources. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isActiveSnapshot() {
        return action == Action.PAUSE && !dryRun && !RESUMED.equals(status);
    }
}
