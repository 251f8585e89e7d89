package dev.awshitbreaks.snapshot;

import dev.awshitbreaks.core.BrakeException;

/** A stored snapshot cannot be read: resume stops and says so instead of guessing. */
public class CorruptSnapshotException extends BrakeException {
    public CorruptSnapshotException(String message) {
        super(message);
    }
}
