package dev.awshitbreaks.services.stillbilling;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One resource found still billing: what it is, what it takes to price it ({@code costBasis}, keys in
 * {@link dev.awshitbreaks.cost.CostBasis}), and what a person could do about it ({@code hint}: advice, never an action
 * the brake takes).
 *
 * @param detail what the report shows after the kind in the row's type ("gp3 100 GiB", "application"); may be null
 */
public record StillBilling(StillBillingKind kind, String region, String id, String name, String detail,
        Map<String, Object> costBasis, String hint) {

    public StillBilling {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hint, "hint");
        costBasis = costBasis == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(costBasis));
    }

    /** The report's type: the kind's id, then the detail. */
    public String type() {
        return detail == null || detail.isBlank() ? kind.id() : kind.id() + " " + detail;
    }
}
