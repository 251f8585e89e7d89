package dev.awshitbreaks.snapshot;

import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ServiceKind;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One paused resource in a snapshot: its original state (the stored JSON object of its service's
 * {@code services.OriginalState}, which the engine reads into that type), recorded before it was changed, and the phase
 * it is in now (paused, failed, skipped, resumed). The original state is never overwritten. The
 * estimated hourly cost (null: unknown) and its price source are those taken when it was paused.
 */
public record SnapshotRecord(
        String snapshotId,
        ServiceKind service,
        String region,
        String id,
        String type,
        String name,
        Map<String, String> tags,
        Map<String, Object> original,
        Outcome phase,
        String reason,
        Instant recordedAt,
        Instant updatedAt,
        Double hourlyCost,
        String priceSource) {

    public SnapshotRecord {
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(phase, "phase");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        original = original == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(original));
    }

    /** A record without a price (the estimate is attached by the engine with {@link #withCost}). */
    public SnapshotRecord(String snapshotId, ServiceKind service, String region, String id, String type, String name,
            Map<String, String> tags, Map<String, Object> original, Outcome phase, String reason, Instant recordedAt,
            Instant updatedAt) {
        this(snapshotId, service, region, id, type, name, tags, original, phase, reason, recordedAt, updatedAt, null, null);
    }

    public SnapshotRecord withPhase(Outcome newPhase, String newReason, Instant at) {
        return new SnapshotRecord(snapshotId, service, region, id, type, name, tags, original, newPhase, newReason, recordedAt, at,
                hourlyCost, priceSource);
    }

    /** The estimated hourly cost the pause saves (null: unknown) and where the figure came from. */
    public SnapshotRecord withCost(Double newHourlyCost, String newPriceSource) {
        return new SnapshotRecord(snapshotId, service, region, id, type, name, tags, original, phase, reason, recordedAt,
                updatedAt, newHourlyCost, newPriceSource);
    }

    /** A record whose resource must be put back on resume: the pause was requested or attempted. */
    public boolean needsResume() {
        return phase == Outcome.PAUSED || phase == Outcome.FAILED;
    }
}
