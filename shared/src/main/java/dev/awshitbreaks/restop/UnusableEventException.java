package dev.awshitbreaks.restop;

/** An input that is not an RDS automatic-start event this function acts on; the message says why. */
public final class UnusableEventException extends Exception {
    public UnusableEventException(String reason) {
        super(reason);
    }
}
