package dev.awshitbreaks.launcher;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns an SDK failure into a sentence a person can act on: what went wrong, and what to do next. */
final class AwsErrors {
    /** "... is not authorized to perform: dynamodb:DescribeTable on resource ..." names the permission. */
    private static final Pattern RAW_CODE = Pattern.compile("<Code>([^<]+)</Code>|\"__type\"\\s*:\\s*\"(?:[^\"#]*#)?([^\"]+)\"");
    private static final Pattern RAW_MESSAGE = Pattern.compile("<Message>([^<]+)</Message>|\"[Mm]essage\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PERMISSION = Pattern.compile("perform: ([A-Za-z0-9-]+:[A-Za-z0-9*]+)");

    private AwsErrors() {
    }

    static String explain(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            String code = ase.awsErrorDetails().errorCode();
            String service = ase.awsErrorDetails().serviceName();
            String message = ase.awsErrorDetails().errorMessage();
            if ((code == null || message == null) && ase.awsErrorDetails().rawResponse() != null) {
                // an error body in another protocol than the service's (XML for a JSON service, as some emulators send)
                String raw = ase.awsErrorDetails().rawResponse().asUtf8String();
                code = code != null ? code : group(RAW_CODE, raw);
                message = message != null ? message : group(RAW_MESSAGE, raw);
            }
            if (code == null && ase.statusCode() == 403) {
                code = "HTTP 403";
            }
            if (code == null) {
                return service + " answered HTTP " + ase.statusCode() + " without an error code; try again, and check"
                        + " --endpoint-url / AWS_ENDPOINT_URL if it persists.";
            }
            if (code != null && (code.contains("ExpiredToken") || code.contains("InvalidClientTokenId")
                    || code.contains("SignatureDoesNotMatch") || code.contains("UnrecognizedClient")
                    || code.contains("InvalidAccessKeyId") || code.contains("AuthFailure") || code.contains("RequestExpired"))) {
                return "the AWS credentials were refused (" + code + (code.contains("Expired") ? ": they have expired" : "")
                        + "): refresh them ('aws sso login', 'aws configure', or new AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/"
                        + "AWS_SESSION_TOKEN), check AWS_PROFILE / --profile names the right profile, and try again.";
            }
            if (code != null && (code.contains("AccessDenied") || code.equals("UnauthorizedOperation")
                    || code.equals("AuthorizationError") || code.equals("HTTP 403"))) {
                Matcher m = PERMISSION.matcher(message == null ? "" : message);
                String permission = m.find() ? m.group(1) : null;
                return (permission != null ? "missing permission " + permission + ": " : "missing permission: ") + service
                        + " refused the call (" + code + "): " + firstLine(String.valueOf(message)) + ". Grant "
                        + (permission != null ? permission : "the permission it names") + " to the role or user you run as"
                        + " (the stack's README lists what the launcher needs), then try again.";
            }
            return service + " answered " + code + ": " + message;
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof SdkClientException && m.contains("credentials")) {
            if (m.contains("expired") || m.contains("Token") && m.contains("sso")) {
                return "the AWS credentials have expired: refresh them ('aws sso login' for an SSO profile, or new keys),"
                        + " then try again.";
            }
            return "no AWS credentials were found. Configure them with 'aws configure' or 'aws sso login', or set "
                    + "AWS_PROFILE (or --profile) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then try again.";
        }
        if (e instanceof software.amazon.awssdk.core.exception.ApiCallTimeoutException
                || e instanceof software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException) {
            return "cannot reach AWS: the endpoint did not answer in time, every retry included (" + firstLine(m)
                    + "). Check the network and --endpoint-url / AWS_ENDPOINT_URL, then try again.";
        }
        if (e instanceof SdkClientException) {
            return "cannot reach AWS: " + firstLine(m) + ". Check the network and --endpoint-url / AWS_ENDPOINT_URL, then try again.";
        }
        return firstLine(m);
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
