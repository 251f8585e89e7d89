package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.TargetResult;
import java.util.List;
import java.util.Map;

/**
 * The small result a target step returns to the state machine: counts by outcome and the failures. The
 * full list of results is stored in S3 beside the snapshot, so state payloads stay small at any scale.
 */
public record TargetSummary(String region, ServiceKind service, Map<String, Integer> counts, List<ResourceResult> failures) {
    public TargetSummary {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        failures = failures == null ? List.of() : List.copyOf(failures);
    }

    public static TargetSummary of(TargetResult result) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        result.counts().forEach((k, v) -> counts.put(k.id(), v));
        return new TargetSummary(result.region(), result.service(), counts,
                result.resources().stream().filter(r -> r.outcome() == dev.awshitbreaks.core.Outcome.FAILED).toList());
    }
}
