package dev.awshitbreaks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.core.Json;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The few operations of SageMaker's JSON 1.1 API the brake uses on notebook instances, signed by hand with
 * {@link SignedJsonCall} because the SDK's {@code sagemaker} module is not served by the repository this project
 * builds from (as for the Pricing API and AWS Budgets): ListNotebookInstances (every page), ListTags (every page),
 * DescribeNotebookInstance, StopNotebookInstance, StartNotebookInstance. Throttling, HTTP 5xx and I/O errors are
 * retried as the SDK clients retry ({@link RetrySettings}: attempts, full-jitter backoff); any other error is thrown
 * as a {@link Failure} with SageMaker's error code and message.
 */
public final class SageMakerApi {
    /** SageMaker's signing name and X-Amz-Target prefix. */
    static final String SIGNING_NAME = "sagemaker";
    private static final String TARGET = "SageMaker.";
    private static final Set<String> THROTTLES = Set.of("ThrottlingException", "Throttling", "TooManyRequestsException",
            "RequestLimitExceeded", "ServiceUnavailable");
    private static final int PAGE = 100;

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String region;
    private final RetrySettings retry;

    /** An error SageMaker answered (or the endpoint, when it is not SageMaker's), after the retries. */
    public static final class Failure extends RuntimeException {
        private final int status;
        private final String code;

        public Failure(int status, String code, String message) {
            super((code == null || code.isEmpty() ? "HTTP " + status : code) + ": " + message);
            this.status = status;
            this.code = code == null ? "" : code;
        }

        public int status() {
            return status;
        }

        /** SageMaker's error code (ValidationException, ResourceNotFound, ...); empty when it sent none. */
        public String code() {
            return code;
        }

        /** SageMaker's answer for a notebook instance that does not exist: ValidationException "RecordNotFound". */
        public boolean notFound() {
            String m = String.valueOf(getMessage()).toLowerCase(java.util.Locale.ROOT);
            return "ResourceNotFound".equals(code) || ("ValidationException".equals(code)
                    && (m.contains("recordnotfound") || m.contains("does not exist")));
        }
    }

    /** One notebook instance as ListNotebookInstances or DescribeNotebookInstance shows it. */
    public record NotebookInstance(String name, String arn, String status, String instanceType) {
        static NotebookInstance of(JsonNode n) {
            return new NotebookInstance(n.path("NotebookInstanceName").asText(null), n.path("NotebookInstanceArn").asText(null),
                    n.path("NotebookInstanceStatus").asText(null), n.path("InstanceType").asText(null));
        }
    }

    SageMakerApi(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String region, RetrySettings retry) {
        this.http = http;
        this.credentials = credentials;
        this.endpoint = endpoint;
        this.region = region;
        this.retry = retry;
    }

    /** SageMaker's API endpoint in a region of the aws partition. */
    static URI endpointOf(String region) {
        return URI.create("https://api.sagemaker." + region + ".amazonaws.com");
    }

    /** Every notebook instance of the region (ListNotebookInstances, 100 a page, every page). */
    public List<NotebookInstance> listNotebookInstances() {
        List<NotebookInstance> out = new ArrayList<>();
        String token = null;
        do {
            ObjectNode req = Json.mapper().createObjectNode().put("MaxResults", PAGE);
            if (token != null) {
                req.put("NextToken", token);
            }
            JsonNode page = call("ListNotebookInstances", req);
            page.path("NotebookInstances").forEach(n -> out.add(NotebookInstance.of(n)));
            token = page.path("NextToken").asText(null);
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** A resource's tags (ListTags, every page). */
    public Map<String, String> listTags(String arn) {
        Map<String, String> out = new LinkedHashMap<>();
        String token = null;
        do {
            ObjectNode req = Json.mapper().createObjectNode().put("ResourceArn", arn).put("MaxResults", PAGE);
            if (token != null) {
                req.put("NextToken", token);
            }
            JsonNode page = call("ListTags", req);
            page.path("Tags").forEach(t -> out.put(t.path("Key").asText(), t.path("Value").asText("")));
            token = page.path("NextToken").asText(null);
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** One notebook instance as it is now. */
    public NotebookInstance describeNotebookInstance(String name) {
        return NotebookInstance.of(call("DescribeNotebookInstance", nameOnly(name)));
    }

    public void stopNotebookInstance(String name) {
        call("StopNotebookInstance", nameOnly(name));
    }

    public void startNotebookInstance(String name) {
        call("StartNotebookInstance", nameOnly(name));
    }

    private static ObjectNode nameOnly(String name) {
        return Json.mapper().createObjectNode().put("NotebookInstanceName", name);
    }

    private JsonNode call(String operation, ObjectNode request) {
        String body = Json.write(request);
        long deadline = System.nanoTime() + retry.apiCallTimeout().toNanos();
        Failure last = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            boolean throttled;
            try {
                SignedJsonCall.Answer answer = SignedJsonCall.post(http, credentials, endpoint, SIGNING_NAME, region,
                        TARGET + operation, body);
                if (answer.status() == 200) {
                    return answer.body().isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(answer.body());
                }
                last = failure(answer);
                throttled = answer.status() == 429 || THROTTLES.contains(last.code());
                if (!throttled && answer.status() < 500) {
                    throw last;
                }
            } catch (IOException e) {
                last = new Failure(0, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                throttled = false;
            }
            if (attempt == retry.maxAttempts() || System.nanoTime() > deadline) {
                break;
            }
            sleep(backoff(attempt, throttled));
        }
        throw last;
    }

    /** Full jitter: a random delay up to base x 2^(attempt-1), at most the longest backoff. */
    private long backoff(int attempt, boolean throttled) {
        long base = (throttled ? retry.throttlingBaseDelay() : retry.baseDelay()).toMillis();
        long cap = Math.min(retry.maxBackoff().toMillis(), base << Math.min(attempt - 1, 20));
        return ThreadLocalRandom.current().nextLong(cap + 1);
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a SageMaker call", e);
        }
    }
}
