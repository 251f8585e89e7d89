package dev.awshitbreaks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.core.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The three EventBridge Scheduler operations the scheduled resume needs, called by hand (REST-JSON, SigV4 signing name
 * {@code scheduler}) because the SDK's {@code scheduler} module would not fit the Lambda artifact's size budget:
 * {@code CreateSchedule} ({@code POST /schedules/{Name}}, IAM {@code scheduler:CreateSchedule} and
 * {@code iam:PassRole} of the target's role), {@code GetSchedule} ({@code GET /schedules/{Name}?groupName=},
 * {@code scheduler:GetSchedule}) and {@code DeleteSchedule} ({@code DELETE /schedules/{Name}?groupName=},
 * {@code scheduler:DeleteSchedule}), all on {@code arn:aws:scheduler:<region>:<account>:schedule/<group>/<name>}
 * (EventBridge Scheduler API reference; Service Authorization Reference). Throttling, HTTP 5xx and I/O errors are
 * retried as {@link JsonApi} retries them; any other error is a {@link JsonApi.Failure} with the service's code.
 */
public final class SchedulerApi {
    /** Schedule and group names: 1-64 of {@code [0-9a-zA-Z-_.]} (CreateSchedule's URI parameter). */
    private static final Pattern NAME = Pattern.compile("[0-9a-zA-Z._-]{1,64}");
    private static final Set<String> THROTTLES = Set.of("ThrottlingException", "TooManyRequestsException",
            "ServiceQuotaExceededException");

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String region;
    private final RetrySettings retry;

    public SchedulerApi(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String region, RetrySettings retry) {
        this.http = http;
        this.credentials = credentials;
        this.endpoint = endpoint;
        this.region = region;
        this.retry = retry;
    }

    /** In the clients' state region: {@code https://scheduler.<region>.amazonaws.com}, or their endpoint override. */
    public static SchedulerApi of(AwsClients clients) {
        String region = clients.settings().stateRegion();
        return new SchedulerApi(clients.httpClient(), clients.credentialsProvider(),
                clients.settings().endpoint().orElse(JsonApi.endpointOf("scheduler", region)), region, clients.settings().retry());
    }

    /** CreateSchedule; the schedule's ARN. {@code request}: the body (GroupName, ScheduleExpression, Target, ...). */
    public String createSchedule(String name, ObjectNode request) {
        return call(SdkHttpMethod.POST, name, null, Json.write(request)).path("ScheduleArn").asText(null);
    }

    /** GetSchedule; empty when there is no such schedule (ResourceNotFoundException). */
    public Optional<JsonNode> getSchedule(String group, String name) {
        try {
            return Optional.of(call(SdkHttpMethod.GET, name, group, null));
        } catch (JsonApi.Failure f) {
            if (notFound(f)) {
                return Optional.empty();
            }
            throw f;
        }
    }

    /** DeleteSchedule; whether there was one to delete (a missing schedule is not an error). */
    public boolean deleteSchedule(String group, String name) {
        try {
            call(SdkHttpMethod.DELETE, name, group, null);
            return true;
        } catch (JsonApi.Failure f) {
            if (notFound(f)) {
                return false;
            }
            throw f;
        }
    }

    private static boolean notFound(JsonApi.Failure f) {
        return f.status() == 404 || "ResourceNotFoundException".equals(f.code());
    }

    private JsonNode call(SdkHttpMethod method, String name, String group, String body) {
        requireName("schedule", name);
        if (group != null) {
            requireName("schedule group", group);
        }
        long deadline = System.nanoTime() + retry.apiCallTimeout().toNanos();
        JsonApi.Failure last = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            boolean throttled;
            try {
                Answer answer = send(method, "/schedules/" + name, group, body);
                if (answer.status() / 100 == 2) {
                    return answer.body().isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(answer.body());
                }
                last = failure(answer);
                throttled = answer.status() == 429 || THROTTLES.contains(last.code());
                if (!throttled && answer.status() < 500) {
                    throw last;
                }
            } catch (IOException e) {
                last = new JsonApi.Failure(0, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                throttled = false;
            }
            if (attempt == retry.maxAttempts() || System.nanoTime() > deadline) {
                break;
            }
            long base = (throttled ? retry.throttlingBaseDelay() : retry.baseDelay()).toMillis();
            long cap = Math.min(retry.maxBackoff().toMillis(), base << Math.min(attempt - 1, 20));
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while retrying a scheduler call", e);
            }
        }
        throw last;
    }

    private static void requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("not a " + what + " name (1-64 of 0-9 a-z A-Z - _ .): " + value);
        }
    }

    private record Answer(int status, String errorType, String body) {
    }

    /** One signed attempt. REST-JSON errors carry their code in {@code X-Amzn-ErrorType} (or the body's {@code __type}). */
    private Answer send(SdkHttpMethod method, String path, String group, String body) throws IOException {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        URI base = endpoint.resolve(path);
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder()
                .method(method)
                .protocol(base.getScheme())
                .host(base.getHost())
                .port(base.getPort() == -1 ? null : base.getPort())
                .encodedPath(base.getRawPath());
        if (group != null) {
            unsigned.putRawQueryParameter("groupName", group);
        }
        if (body != null) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity)
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "scheduler")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpExecuteRequest.Builder request = HttpExecuteRequest.builder().request(signed.request());
        if (body != null) {
            request.contentStreamProvider(signed.payload().orElse(ContentStreamProvider.fromByteArray(payload)));
        }
        HttpExecuteResponse response = http.prepareRequest(request.build()).call();
        try (InputStream in = response.responseBody().map(s -> (InputStream) s)
                .orElseGet(() -> new ByteArrayInputStream(new byte[0]))) {
            return new Answer(response.httpResponse().statusCode(),
                    response.httpResponse().firstMatchingHeader("X-Amzn-ErrorType").orElse(""),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static JsonApi.Failure failure(Answer answer) {
        String code = answer.errorType().replaceAll("[:].*", "");
        String message = answer.body();
        try {
            JsonNode err = Json.mapper().readTree(answer.body());
            if (code.isEmpty()) {
                code = err.path("__type").asText("").replaceAll(".*#", "");
            }
            message = err.hasNonNull("Message") ? err.path("Message").asText() : err.path("message").asText(answer.body());
        } catch (IOException | RuntimeException notJson) {
            // the status says enough
        }
        return new JsonApi.Failure(answer.status(), code, message);
    }
}
