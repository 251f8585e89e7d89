package dev.awshitbreaks.cost;

import java.math.BigDecimal;
import java.util.Objects;

/** A unit price in USD (per hour, per vCPU-hour, per GB-second: the query says which) and where it came from. */
public record Price(BigDecimal usd, String source) {
    public Price {
        Objects.requireNonNull(usd, "usd");
        Objects.requireNonNull(source, "source");
        if (usd.signum() < 0) {
            throw new IllegalArgumentException("a price cannot be negative: " + usd);
        }
    }
}
