package dev.awshitbreaks.trigger;

/**
 * A notification the trigger cannot read. Its message says why, without quoting the body. The trigger
 * catches it, logs it and starts nothing: it never reaches the Lambda runtime.
 */
public class UnreadableMessageException extends RuntimeException {
    public UnreadableMessageException(String reason) {
        super(reason, null, false, false);
    }
}
