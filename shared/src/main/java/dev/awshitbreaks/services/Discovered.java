package dev.awshitbreaks.services;

import dev.awshitbreaks.core.ServiceKind;
import java.util.Map;

/**
 * A resource found by discovery: its original state (what resume must restore; null only for a resource skipped
 * before anything about it was known), what it takes to price
 * it ({@code costBasis}, keys in {@link dev.awshitbreaks.cost.CostBasis}; never restored) and, when it
 * must not be paused, the reason it is skipped.
 */
public record Discovered(
        ServiceKind service,
        String region,
        String id,
        String type,
        String name,
        Map<String, String> tags,
        OriginalState original,
        String skipReason,
        Map<String, Object> costBasis) {

    public Discovered {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        if (original != null && !OriginalState.typeOf(service).isInstance(original)) {
            throw new IllegalArgumentException("a " + service.id() + " resource's original state cannot be a "
                    + original.getClass().getSimpleName());
        }
        if (original == null && skipReason == null) {
            throw new IllegalArgumentException("an eligible resource needs its original state: " + id);
        }
        costBasis = costBasis == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(costBasis));
    }

    /** A resource with nothing known to price it by (its estimate will say unknown). */
    public Discovered(ServiceKind service, String region, String id, String type, String name, Map<String, String> tags,
            OriginalState original, String skipReason) {
        this(service, region, id, type, name, tags, original, skipReason, Map.of());
    }

    public boolean eligible() {
        return skipReason == null;
    }
}
