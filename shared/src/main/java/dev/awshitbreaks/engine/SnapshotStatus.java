package dev.awshitbreaks.engine;

import dev.awshitbreaks.snapshot.OperationHeader;
import java.util.Map;

/**
 * One operation as {@code --status} shows it; for a snapshot, how many records are in each phase and what
 * it has saved so far ({@code savings}, null for operations that are not snapshots).
 */
public record SnapshotStatus(OperationHeader header, boolean active, Map<String, Integer> phases, SnapshotSavings savings) {
    public SnapshotStatus {
        phases = phases == null ? Map.of() : Map.copyOf(phases);
    }

    public SnapshotStatus(OperationHeader header, boolean active, Map<String, Integer> phases) {
        this(header, active, phases, null);
    }
}
