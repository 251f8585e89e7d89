package dev.awshitbreaks.services;

/** A stored original state that is not the one its service's pause writes; the message names the field. */
public class UnreadableOriginalStateException extends RuntimeException {
    public UnreadableOriginalStateException(String message) {
        super(message);
    }
}
