package dev.awshitbreaks.engine;

import java.time.Duration;

/**
 * Tunables of a run: how long to wait for a resource in a transitional state, how often to poll it,
 * the lease of the account lock, how many targets run at once in-process, and how an in-process resume
 * waits for its databases before resuming compute. The defaults of the last two are the
 * {@link OrchestrationPolicy}'s, the state machine's numbers.
 */
public record EngineSettings(Duration transitionalWait, Duration pollInterval, Duration lockLease, int parallelTargets,
        OrchestrationPolicy.DatabaseWait databaseWait) {
    /** How long a resume waits for its databases to be available before resuming compute anyway. */
    public static final Duration DEFAULT_DATABASE_WAIT = OrchestrationPolicy.DATABASE_WAIT.total();

    /** These tunables with the policy's database wait ({@link OrchestrationPolicy#DATABASE_WAIT}). */
    public EngineSettings(Duration transitionalWait, Duration pollInterval, Duration lockLease, int parallelTargets) {
        this(transitionalWait, pollInterval, lockLease, parallelTargets, OrchestrationPolicy.DATABASE_WAIT);
    }

    /** A database wait of about {@code databaseWait}, checking every {@code databasePoll} (tests shorten it). */
    public EngineSettings(Duration transitionalWait, Duration pollInterval, Duration lockLease, int parallelTargets,
            Duration databaseWait, Duration databasePoll) {
        this(transitionalWait, pollInterval, lockLease, parallelTargets,
                OrchestrationPolicy.DatabaseWait.within(databaseWait, databasePoll));
    }

    /** The longest wait a person may ask for: a target function must still finish within its 900 s timeout. */
    public static final int MAX_WAIT_SECONDS = 600;
    public static final int DEFAULT_WAIT_SECONDS = 120;

    public static EngineSettings defaults() {
        return new EngineSettings(Duration.ofSeconds(DEFAULT_WAIT_SECONDS), Duration.ofSeconds(5), Duration.ofHours(1),
                OrchestrationPolicy.TARGET_CONCURRENCY);
    }

    /** What the pausers need of these settings: the transitional wait and the poll interval. */
    public dev.awshitbreaks.services.WaitSettings waits() {
        return new dev.awshitbreaks.services.WaitSettings(transitionalWait, pollInterval);
    }

    /** The defaults with another bound on the wait for resources in a transitional state. */
    public EngineSettings withTransitionalWait(Duration wait) {
        return new EngineSettings(wait, pollInterval, lockLease, parallelTargets, databaseWait);
    }

    /** These settings with another lease for the account lock (an in-process run renews it while it works). */
    public EngineSettings withLockLease(Duration lease) {
        return new EngineSettings(transitionalWait, pollInterval, lease, parallelTargets, databaseWait);
    }

    /** Parses a wait in whole seconds from 0 to {@value #MAX_WAIT_SECONDS}, naming the source when it is bad. */
    public static Duration parseWait(String source, String seconds) {
        try {
            int s = Integer.parseInt(seconds.trim());
            if (s >= 0 && s <= MAX_WAIT_SECONDS) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new dev.awshitbreaks.core.InvalidRequestException("invalid " + source + " " + dev.awshitbreaks.core.Shown.quote(seconds)
                + ": expected whole seconds from 0 to " + MAX_WAIT_SECONDS);
    }
}
