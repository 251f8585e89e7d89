package dev.awshitbreaks.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** What one operation did to one resource. {@code reason} explains skips and failures. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceResult(
        ServiceKind service,
        String region,
        String id,
        String type,
        String name,
        Outcome outcome,
        String reason) {

    public ResourceResult {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(outcome, "outcome");
    }

    public ResourceResult withOutcome(Outcome newOutcome, String newReason) {
        return new ResourceResult(service, region, id, type, name, newOutcome, newReason);
    }
}
