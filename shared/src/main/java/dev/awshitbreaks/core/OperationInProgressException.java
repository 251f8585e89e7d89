package dev.awshitbreaks.core;

/** Another pause or resume holds this account's lock: only one runs at a time. */
public class OperationInProgressException extends BrakeException {
    public OperationInProgressException(String message) {
        super(message);
    }
}
