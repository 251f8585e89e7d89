package dev.awshitbreaks.snapshot;

import dev.awshitbreaks.core.BrakeException;

/** A record to update is not stored (it is always written before its resource is changed, so it was lost). */
public class RecordNotFoundException extends BrakeException {
    public RecordNotFoundException(String snapshotId, String recordKey) {
        super("snapshot " + snapshotId + " has no record " + dev.awshitbreaks.core.Shown.quote(recordKey) + " to update");
    }
}
