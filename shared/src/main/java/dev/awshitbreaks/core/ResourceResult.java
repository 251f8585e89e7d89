package dev.awshitbreaks.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * What one operation did to one resource. {@code reason} explains skips and failures.
 * {@code hourlyCost} is the estimated on-demand cost in USD per hour while it runs (what a pause saves),
 * or null when no price is known (never 0 for unknown); {@code priceSource} says where the figure came
 * from ({@code pricing-api}, {@code bundled-table:<date>}) or why it is unknown ({@code unknown: <why>}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceResult(
        ServiceKind service,
        String region,
        String id,
        String type,
        String name,
        Outcome outcome,
        String reason,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double hourlyCost,
        String priceSource) {

    public ResourceResult {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(outcome, "outcome");
        if (hourlyCost != null && (hourlyCost.isNaN() || hourlyCost.isInfinite() || hourlyCost < 0)) {
            throw new IllegalArgumentException("hourlyCost must be a finite, non-negative number: " + hourlyCost);
        }
    }

    /** A result not priced yet: the engine attaches the estimate ({@link #withCost}) before anyone sees it. */
    public ResourceResult(ServiceKind service, String region, String id, String type, String name, Outcome outcome,
            String reason) {
        this(service, region, id, type, name, outcome, reason, null, null);
    }

    public ResourceResult withOutcome(Outcome newOutcome, String newReason) {
        return new ResourceResult(service, region, id, type, name, newOutcome, newReason, hourlyCost, priceSource);
    }

    public ResourceResult withCost(Double newHourlyCost, String newPriceSource) {
        return new ResourceResult(service, region, id, type, name, outcome, reason, newHourlyCost, newPriceSource);
    }
}
