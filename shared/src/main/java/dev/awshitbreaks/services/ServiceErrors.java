package dev.awshitbreaks.services;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** One line saying why an AWS call failed, for a resource's reason: the error code and message. */
public final class ServiceErrors {
    private ServiceErrors() {
    }

    /** "Code: message", or "HTTP status: message" when the endpoint sent no error code. */
    /** As {@link #describe(SdkException)} for any failure: a hand-signed call's {@code JsonApi.Failure} says its own. */
    public static String describe(RuntimeException e) {
        if (e instanceof SdkException sdk) {
            return describe(sdk);
        }
        return e instanceof dev.awshitbreaks.aws.JsonApi.Failure ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String describe(SdkException e) {
        if (e instanceof AwsServiceException ase) {
            if (ase.awsErrorDetails() != null && ase.awsErrorDetails().errorCode() != null) {
                return ase.awsErrorDetails().errorCode() + ": " + ase.awsErrorDetails().errorMessage();
            }
            return "HTTP " + ase.statusCode() + ": " + ase.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
