package dev.awshitbreaks.services;

import dev.awshitbreaks.core.ServiceKind;
import java.util.Map;

/**
 * A resource found by discovery: its original state (what resume must restore) and, when it must not be
 * paused, the reason it is skipped.
 */
public record Discovered(
        ServiceKind service,
        String region,
        String id,
        String type,
        String name,
        Map<String, String> tags,
        Map<String, Object> original,
        String skipReason) {

    public Discovered {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        original = original == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(original));
    }

    public boolean eligible() {
        return skipReason == null;
    }
}
