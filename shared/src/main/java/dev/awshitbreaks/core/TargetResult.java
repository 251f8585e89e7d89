package dev.awshitbreaks.core;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Every resource result of one (region, service) target, or the error that stopped the target. */
public record TargetResult(String region, ServiceKind service, List<ResourceResult> resources, String error) {
    public TargetResult {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    public static TargetResult failed(Target target, String error) {
        return new TargetResult(target.region(), target.service(), List.of(), error);
    }

    public Map<Outcome, Integer> counts() {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (ResourceResult r : resources) {
            counts.merge(r.outcome(), 1, Integer::sum);
        }
        return counts;
    }
}
