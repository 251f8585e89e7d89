package dev.awshitbreaks.services;

import java.time.Duration;
import java.util.Objects;

/** What a pauser needs of a run's settings: how long to wait for a resource in a transitional state, how often to look. */
public record WaitSettings(Duration transitionalWait, Duration pollInterval) {
    public WaitSettings {
        Objects.requireNonNull(transitionalWait, "transitionalWait");
        Objects.requireNonNull(pollInterval, "pollInterval");
    }
}
