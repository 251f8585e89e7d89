package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.core.TargetResult;

/** Hears how an in-process run goes, for progress output. Every method may be called from any thread. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    default void planned(Plan plan) {
    }

    /**
     * A resume's plan checked its snapshot's two copies and found DynamoDB's intact (it refuses the resume
     * otherwise); the S3 copy may be damaged ({@link SnapshotIntegrity.Check#s3Problem}). Called before
     * {@link #planned}.
     */
    default void snapshotChecked(SnapshotIntegrity.Check check) {
    }

    default void targetFinished(Target target, TargetResult result) {
    }

    default void targetFailed(Target target, String error) {
    }

    /** A resume waits for these databases ("region/service/id: status") before resuming compute. */
    default void waitingForDatabases(java.util.List<String> pending, boolean givingUp) {
    }
}
