package dev.awshitbreaks.trigger;

/**
 * The trigger function's environment is invalid. Raised while the function initialises, naming the
 * variable and the bad value, so a misconfigured stack fails loudly instead of ignoring every alarm.
 */
public class TriggerConfigurationException extends IllegalStateException {
    public TriggerConfigurationException(String message) {
        super(message);
    }
}
