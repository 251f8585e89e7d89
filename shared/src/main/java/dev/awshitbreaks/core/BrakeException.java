package dev.awshitbreaks.core;

/** A business failure with a message meant for a person: no stack trace needed to act on it. */
public class BrakeException extends RuntimeException {
    public BrakeException(String message) {
        super(message);
    }

    public BrakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
