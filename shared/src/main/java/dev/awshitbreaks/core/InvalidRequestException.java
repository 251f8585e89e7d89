package dev.awshitbreaks.core;

/**
 * The request is malformed: a bad region, service, tag, snapshot id or action. Raised before any AWS
 * call, so nothing has been touched. The state machine catches it by this class's name.
 */
public class InvalidRequestException extends BrakeException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
