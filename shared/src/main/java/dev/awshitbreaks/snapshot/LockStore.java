package dev.awshitbreaks.snapshot;

import java.time.Instant;
import java.util.Optional;

/**
 * The account's one lock, as conditional writes; the rule for taking it (who may take it over) is
 * {@link SnapshotStore#acquireLock}'s, over these. Lease expiries are kept in whole epoch seconds (what the
 * DynamoDB item holds), so {@link #read()} gives {@code expiresAt} truncated to the second. Adapters:
 * {@link DynamoDbLockStore}, and an in-memory one for tests; {@code StorageContract} holds both to the same rules.
 */
public interface LockStore {
    /** The lock as it is now, if anyone holds it; an unreadable lock is a {@link CorruptSnapshotException}. */
    Optional<SnapshotStore.LockHolder> read();

    /**
     * Writes {@code wanted} if the lock is free, its lease ran out before {@code now} (whole seconds), or it is
     * already held by {@code wanted}'s operation; false, leaving it as it is, otherwise.
     */
    boolean putIfFreeExpiredOrOurs(SnapshotStore.LockHolder wanted, Instant now);

    /** Writes {@code wanted} only if the lock is held by operation {@code holder} (compare-and-set); false otherwise. */
    boolean putIfHeldBy(SnapshotStore.LockHolder wanted, String holder);

    /** Moves the lease expiry of the lock to {@code until} if operation {@code operationId} holds it; false otherwise. */
    boolean renew(String operationId, Instant until);

    /** Deletes the lock if operation {@code operationId} holds it; anything else is left as it is. */
    void release(String operationId);
}
