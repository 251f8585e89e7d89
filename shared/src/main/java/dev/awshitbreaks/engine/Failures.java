package dev.awshitbreaks.engine;

import software.amazon.awssdk.core.exception.SdkException;

/** How a failure is told in reports and logs: one line, no stack trace. */
public final class Failures {
    private Failures() {
    }

    /** A one-line description of why a target failed, for reports: no stack traces. */
    public static String describe(Throwable t) {
        if (t instanceof SdkException sdk) {
            if (sdk instanceof software.amazon.awssdk.awscore.exception.AwsServiceException ase && ase.awsErrorDetails() != null) {
                return ase.awsErrorDetails().serviceName() + " " + ase.awsErrorDetails().errorCode() + ": "
                        + ase.awsErrorDetails().errorMessage();
            }
            return "AWS call failed: " + sdk.getMessage();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
