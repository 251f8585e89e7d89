package dev.awshitbreaks.snapshot.memory;

import dev.awshitbreaks.snapshot.CorruptSnapshotException;
import dev.awshitbreaks.snapshot.LockStore;
import dev.awshitbreaks.snapshot.SnapshotStore.LockHolder;
import java.time.Instant;
import java.util.Optional;

/**
 * The lock in memory, under the conditions of {@link dev.awshitbreaks.snapshot.DynamoDbLockStore}'s writes (free,
 * expired in whole seconds, or ours; compare-and-set on the holder), which {@code StorageContract} checks against both.
 */
public final class InMemoryLockStore implements LockStore {
    private final String table;
    private LockHolder holder;
    /** Set when the stored lock cannot be read (a test's damaged lock); then no condition on it holds. */
    private String unreadable;

    public InMemoryLockStore(String table) {
        this.table = table;
    }

    @Override
    public synchronized Optional<LockHolder> read() {
        if (unreadable != null) {
            throw new CorruptSnapshotException("the account lock item is unreadable (" + unreadable
                    + "); delete the item pk=LOCK, sk=ACCOUNT from table " + table + " once no pause or resume runs");
        }
        return Optional.ofNullable(holder);
    }

    @Override
    public synchronized boolean putIfFreeExpiredOrOurs(LockHolder wanted, Instant now) {
        if (unreadable != null) {
            return false;
        }
        if (holder == null || holder.operationId().equals(wanted.operationId())
                || holder.expiresAt().getEpochSecond() < now.getEpochSecond()) {
            holder = stored(wanted);
            return true;
        }
        return false;
    }

    @Override
    public synchronized boolean putIfHeldBy(LockHolder wanted, String currentHolder) {
        if (unreadable != null || holder == null || !holder.operationId().equals(currentHolder)) {
            return false;
        }
        holder = stored(wanted);
        return true;
    }

    @Override
    public synchronized boolean renew(String operationId, Instant until) {
        if (unreadable != null || holder == null || !holder.operationId().equals(operationId)) {
            return false;
        }
        holder = stored(new LockHolder(holder.operationId(), holder.action(), holder.owner(), holder.acquiredAt(), until));
        return true;
    }

    @Override
    public synchronized void release(String operationId) {
        if (unreadable == null && holder != null && holder.operationId().equals(operationId)) {
            holder = null;
        }
    }

    /** As the table keeps it: the lease expiry in whole epoch seconds. */
    private static LockHolder stored(LockHolder h) {
        return new LockHolder(h.operationId(), h.action(), h.owner(), h.acquiredAt(), Instant.ofEpochSecond(h.expiresAt().getEpochSecond()));
    }

    /** Test hook: the stored lock cannot be read, for the reason given (as a damaged DynamoDB item would be). */
    public synchronized void damage(String reason) {
        holder = null;
        unreadable = reason;
    }
}
