package dev.awshitbreaks.core;

import dev.awshitbreaks.snapshot.CorruptSnapshotException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * The named errors a pause, resume or discover is refused with, defined once: the exception the engine throws, the
 * name the state machine catches it by (the exception's class name, as Lambda reports it), the name the state machine
 * fails the execution with ({@code HitBreaks.*}), and the launcher's exit code, the same in local and remote mode.
 * {@code statemachine/brake.asl.json} must catch and raise exactly these (a test reads it).
 */
public enum BrakeError {
    /** The request is malformed; nothing was touched. */
    INVALID_REQUEST("HitBreaks.InvalidRequest", InvalidRequestException.class, 2, InvalidRequestException::new, ""),
    /** A resume names a snapshot that does not exist, or there is none to resume. */
    SNAPSHOT_NOT_FOUND("HitBreaks.SnapshotNotFound", SnapshotNotFoundException.class, 2, SnapshotNotFoundException::new, ""),
    /** Another pause or resume holds the account's lock. */
    OPERATION_IN_PROGRESS("HitBreaks.OperationInProgress", OperationInProgressException.class, 3,
            OperationInProgressException::new, ""),
    /** A stored snapshot cannot be read; nothing was changed. */
    CORRUPT_SNAPSHOT("HitBreaks.CorruptSnapshot", CorruptSnapshotException.class, 4, CorruptSnapshotException::new,
            "To recover: run --status to see both copies of the snapshot; when one copy is intact, resume with"
                    + " --rebuild-from s3 (or --rebuild-from dynamodb) to restore the damaged copy from it (see docs/reliability.md).");

    private final String executionError;
    private final Class<? extends BrakeException> exception;
    private final int exitCode;
    private final Function<String, BrakeException> factory;
    private final String recovery;

    BrakeError(String executionError, Class<? extends BrakeException> exception, int exitCode,
            Function<String, BrakeException> factory, String recovery) {
        this.executionError = executionError;
        this.exception = exception;
        this.exitCode = exitCode;
        this.factory = factory;
        this.recovery = recovery;
    }

    /** The error the state machine fails the execution with, e.g. {@code HitBreaks.InvalidRequest}. */
    public String executionError() {
        return executionError;
    }

    /** The error name the state machine catches from a Lambda function: the exception's class name. */
    public String caughtAs() {
        return exception.getName();
    }

    public Class<? extends BrakeException> exception() {
        return exception;
    }

    /** The launcher's exit code for this error, in local and remote mode alike. */
    public int exitCode() {
        return exitCode;
    }

    /** What a person can do about it, or empty. */
    public String recovery() {
        return recovery;
    }

    /** The exception local mode would have thrown, carrying the failed execution's cause. */
    public BrakeException toException(String message) {
        return factory.apply(message);
    }

    /** The named error an execution failed with, if it is one of ours. */
    public static Optional<BrakeError> fromExecutionError(String error) {
        return Arrays.stream(values()).filter(e -> e.executionError.equals(error)).findFirst();
    }

    /** The named error an exception is, if it is one of ours. */
    public static Optional<BrakeError> of(Throwable t) {
        return Arrays.stream(values()).filter(e -> e.exception.isInstance(t)).findFirst();
    }
}
