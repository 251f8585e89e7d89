package dev.awshitbreaks.snapshot;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, for retries the SDK does not do itself. */
public final class Backoff {
    private Backoff() {
    }

    public static void sleep(int attempt) {
        long cap = Math.min(5_000L, 50L << Math.min(attempt, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
