package dev.awshitbreaks.services;

import dev.awshitbreaks.core.ServiceKind;
import java.util.Map;

/**
 * A resource found by discovery: its original state (what resume must restore), what it takes to price
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
        Map<String, Object> original,
        String skipReason,
        Map<String, Object> costBasis) {

    public Discovered {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        original = original == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(original));
        costBasis = costBasis == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(costBasis));
    }

    /** A resource with nothing known to price it by (its estimate will say unknown). */
    public Discovered(ServiceKind service, String region, String id, String type, String name, Map<String, String> tags,
            Map<String, Object> original, String skipReason) {
        this(service, region, id, type, name, tags, original, skipReason, Map.of());
    }

    public boolean eligible() {
        return skipReason == null;
    }
}
