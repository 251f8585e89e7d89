package dev.awshitbreaks.engine;

import dev.awshitbreaks.snapshot.OperationHeader;
import java.util.Map;

/** One operation as {@code --status} shows it; for a snapshot, how many records are in each phase. */
public record SnapshotStatus(OperationHeader header, boolean active, Map<String, Integer> phases) {
    public SnapshotStatus {
        phases = phases == null ? Map.of() : Map.copyOf(phases);
    }
}
