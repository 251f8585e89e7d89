package dev.awshitbreaks.engine;

import java.time.Duration;

/**
 * Tunables of a run: how long to wait for a resource in a transitional state, how often to poll it,
 * the lease of the account lock, and how many targets run at once in-process.
 */
public record EngineSettings(Duration transitionalWait, Duration pollInterval, Duration lockLease, int parallelTargets) {
    public static EngineSettings defaults() {
        return new EngineSettings(Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofHours(1), 8);
    }
}
