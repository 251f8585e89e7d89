package dev.awshitbreaks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.core.Json;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * One region's endpoint of an AWS JSON API (1.0 or 1.1), called through {@link SignedJsonCall} where the brake needs
 * a few of its operations and the SDK module would cost more than it gives: SageMaker (whose module is not served
 * here) and the retention reads of Lambda event sources, SQS and Kinesis (each module keeps some 300 classes in the
 * Lambda artifact for one or two calls; Kinesis's endpoint rules name every request class, so the artifact's pruning
 * cannot drop them). Throttling, HTTP 5xx and I/O errors are retried as the SDK clients retry ({@link RetrySettings}:
 * attempts, full-jitter backoff, the call timeout); any other error is thrown at once as a {@link Failure} with the
 * service's error code and message.
 */
public final class JsonApi {
    private static final Set<String> THROTTLES = Set.of("ThrottlingException", "Throttling", "TooManyRequestsException",
            "RequestLimitExceeded", "ServiceUnavailable", "RequestThrottled", "LimitExceededException");

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String signingName;
    private final String region;
    private final String targetPrefix;
    private final String contentType;
    private final RetrySettings retry;

    /** An error the service answered (or the endpoint, when it is not the service's), after the retries. */
    public static class Failure extends RuntimeException {
        private final int status;
        private final String code;
        private final String detail;

        public Failure(int status, String code, String message) {
            super((code == null || code.isEmpty() ? "HTTP " + status : code) + ": " + message);
            this.status = status;
            this.code = code == null ? "" : code;
            this.detail = message;
        }

        /** The service's message alone. */
        public String detail() {
            return detail;
        }

        public int status() {
            return status;
        }

        /** The service's error code (ValidationException, QueueDoesNotExist, ...); empty when it sent none. */
        public String code() {
            return code;
        }
    }

    /**
     * @param signingName the SigV4 signing name ({@code sagemaker}, {@code sqs}, {@code kinesis})
     * @param targetPrefix the {@code X-Amz-Target} before the operation's name, e.g. {@code AmazonSQS.}
     * @param contentType {@code application/x-amz-json-1.0} or {@code -1.1}, as the service's protocol says
     */
    JsonApi(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String signingName, String region,
            String targetPrefix, String contentType, RetrySettings retry) {
        this.http = http;
        this.credentials = credentials;
        this.endpoint = endpoint;
        this.signingName = signingName;
        this.region = region;
        this.targetPrefix = targetPrefix;
        this.contentType = contentType;
        this.retry = retry;
    }

    /** The service's public endpoint in a region of the aws partition: {@code https://<prefix>.<region>.amazonaws.com}. */
    static URI endpointOf(String hostPrefix, String region) {
        return URI.create("https://" + hostPrefix + "." + region + ".amazonaws.com");
    }

    /** Calls one operation with this request; the answer's JSON (an empty object for an empty body). */
    public JsonNode call(String operation, ObjectNode request) {
        String body = Json.write(request);
        return Retries.run(retry, signingName, () -> {
            SignedJsonCall.Answer answer = SignedJsonCall.post(http, credentials, endpoint, signingName, region,
                    targetPrefix + operation, contentType, body);
            if (answer.status() == 200) {
                return Retries.Attempt.done(answer.body().isBlank() ? Json.mapper().createObjectNode()
                        : Json.mapper().readTree(answer.body()));
            }
            Failure f = failure(answer);
            return Retries.Attempt.failed(f, answer.status(), answer.status() == 429 || THROTTLES.contains(f.code()));
        }, Retries::ioFailure);
    }
    private static Failure failure(SignedJsonCall.Answer answer) {
        String code = "";
        String message = answer.body();
        try {
            JsonNode err = Json.mapper().readTree(answer.body());
            code = err.path("__type").asText("").replaceAll(".*#", "");
            message = err.hasNonNull("message") ? err.path("message").asText() : err.path("Message").asText(answer.body());
        } catch (IOException | RuntimeException notJson) {
            // the status says enough
        }
        return new Failure(answer.status(), code, message);
    }

}
