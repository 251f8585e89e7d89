package dev.awshitbreaks.core;

/** A resume names a snapshot that does not exist, or there is no active snapshot to resume. */
public class SnapshotNotFoundException extends BrakeException {
    public SnapshotNotFoundException(String message) {
        super(message);
    }
}
