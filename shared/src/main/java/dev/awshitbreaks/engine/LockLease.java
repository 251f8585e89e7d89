package dev.awshitbreaks.engine;

import dev.awshitbreaks.snapshot.SnapshotStore;
import java.time.Clock;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The account lock's lease, as the state machine's steps keep it: every Target, Readiness and Summarize invocation
 * renews it first ({@link #renew}). The in-process runner renews it on a timer instead ({@link InProcessRunner}).
 */
public final class LockLease {
    private final SnapshotStore store;
    private final EngineSettings settings;
    private final Clock clock;

    public LockLease(SnapshotStore store, EngineSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Extends the account lock's lease for a real pause or resume of the state machine, conditional on the lock
     * still being this operation's (its id is derived from the execution, so no other execution can renew it).
     * Every Target, Readiness and Summarize invocation calls it first: the longest gap between two of them in one
     * execution is one task attempt (at most 930 s, the definition's largest TimeoutSeconds) plus a retry delay,
     * far inside the lease, so a live execution never loses its lock however long its fan-out and database wait
     * take, and a dead one (aborted, timed out) frees the account one lease after its last step
     * (docs/reliability.md).
     *
     * @return {@link LeaseRenewal#RENEWED}, {@link LeaseRenewal#NOT_HELD} (the lock is not this operation's: its
     *     lease ran out, or it was released) or {@link LeaseRenewal#FAILED} (DynamoDB refused the call; the lease
     *     still runs, the next step renews it); {@link LeaseRenewal#NO_LOCK} for a dry run or discover
     */
    public LeaseRenewal renew(Plan plan) {
        if (!plan.changesResources()) {
            return LeaseRenewal.NO_LOCK;
        }
        try {
            return store.renewLock(plan.operationId(), clock.instant(), settings.lockLease())
                    ? LeaseRenewal.RENEWED : LeaseRenewal.NOT_HELD;
        } catch (SdkException e) {
            return LeaseRenewal.FAILED;
        }
    }
}
