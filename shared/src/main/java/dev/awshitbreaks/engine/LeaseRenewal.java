package dev.awshitbreaks.engine;

/** What a renewal of the account lock's lease did ({@link LockLease#renew}). */
public enum LeaseRenewal {
    /** The lease was extended. */
    RENEWED,
    /** The lock is not this operation's: its lease ran out, or it was released. */
    NOT_HELD,
    /** DynamoDB refused the call; the lease still runs, the next step renews it. */
    FAILED,
    /** A dry run or discover holds no lock. */
    NO_LOCK
}
