package dev.awshitbreaks.launcher;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns an SDK failure into a sentence a person can act on: what went wrong, and what to do next. */
final class AwsErrors {
    private AwsErrors() {
    }

    static String explain(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            String code = ase.awsErrorDetails().errorCode();
            String service = ase.awsErrorDetails().serviceName();
            String message = ase.awsErrorDetails().errorMessage();
            if (code == null && (ase.statusCode() == 401 || ase.statusCode() == 403)) {
                return service + " refused the call (HTTP " + ase.statusCode() + ", no error code given): the AWS credentials"
                        + " were refused or lack a permission. Check them ('aws sts get-caller-identity') and the role's"
                        + " permissions, then try again.";
            }
            if (code == null) {
                return service + " answered HTTP " + ase.statusCode() + " without an error code; try again, and check"
                        + " --endpoint-url / AWS_ENDPOINT_URL if it persists.";
            }
            if (code != null && (code.contains("AccessDenied") || code.equals("UnauthorizedOperation") || ase.statusCode() == 403)) {
                return "missing permission: " + service + " refused the call (" + code + "): " + message
                        + ". Grant the permission it names to the role or user you run as, then try again.";
            }
            if (code != null && (code.contains("ExpiredToken") || code.contains("InvalidClientTokenId")
                    || code.contains("SignatureDoesNotMatch") || code.contains("UnrecognizedClient"))) {
                return "the AWS credentials were refused (" + code + "): refresh them (for example 'aws sso login' or new "
                        + "access keys) and try again.";
            }
            return service + " answered " + code + ": " + message;
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof SdkClientException && m.contains("credentials")) {
            return "no AWS credentials were found. Configure them with 'aws configure' or 'aws sso login', or set "
                    + "AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then try again.";
        }
        if (e instanceof SdkClientException) {
            return "cannot reach AWS: " + firstLine(m) + ". Check the network and --endpoint-url / AWS_ENDPOINT_URL, then try again.";
        }
        return firstLine(m);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
