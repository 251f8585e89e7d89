package dev.awshitbreaks.restop;

import dev.awshitbreaks.core.BrakeException;

/**
 * A paused database that RDS started again could not be stopped again: it did not become available within the
 * wait, or StopDBInstance/StopDBCluster failed. Thrown out of the function so that Lambda's asynchronous retries
 * run it again and, once they are spent, its on-failure destination receives the event.
 */
public final class RestopFailedException extends BrakeException {
    public RestopFailedException(String message) {
        super(message);
    }

    public RestopFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
