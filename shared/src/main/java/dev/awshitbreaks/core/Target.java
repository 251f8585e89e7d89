package dev.awshitbreaks.core;

import java.util.Objects;

/** One (region, service) pair: the unit the state machine's Map fans out over. */
public record Target(String region, ServiceKind service) {
    public Target {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
    }
}
