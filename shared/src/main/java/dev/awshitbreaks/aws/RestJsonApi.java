package dev.awshitbreaks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * One region's endpoint of an AWS REST-JSON API (the operation in the method and path, JSON in and out), called
 * through {@link SignedJsonCall#send} where the brake only reads a listing or two and the SDK module would cost more
 * than it gives (the still-billing listers: OpenSearch Service's ListDomainNames and DescribeDomains, Amazon MSK's
 * ListClustersV2; EventBridge Scheduler's schedule calls, {@link SchedulerApi}). Retries as {@link JsonApi} does ({@link RetrySettings}: attempts, full-jitter backoff, the call
 * timeout): throttling (HTTP 429, or a throttling error code), HTTP 5xx and I/O errors; any other error is thrown at
 * once as a {@link JsonApi.Failure} with the service's message.
 */
public final class RestJsonApi {
    private static final Set<String> THROTTLES = Set.of("ThrottlingException", "Throttling", "TooManyRequestsException",
            "RequestLimitExceeded", "LimitExceededException");

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String signingName;
    private final String region;
    private final RetrySettings retry;

    /** @param signingName the SigV4 signing name ({@code es} for OpenSearch Service, {@code kafka} for MSK) */
    RestJsonApi(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String signingName, String region,
            RetrySettings retry) {
        this.http = http;
        this.credentials = credentials;
        this.endpoint = endpoint;
        this.signingName = signingName;
        this.region = region;
        this.retry = retry;
    }

    /** A GET of {@code path} with these query parameters (null values left out); the answer's JSON. */
    public JsonNode get(String path, Map<String, String> query) {
        return call(SdkHttpMethod.GET, path, query, null);
    }

    /** A POST of this JSON body to {@code path}; the answer's JSON. */
    public JsonNode post(String path, ObjectNode body) {
        return call(SdkHttpMethod.POST, path, Map.of(), body);
    }

    /** A DELETE of {@code path} with these query parameters (null values left out); the answer's JSON. */
    public JsonNode delete(String path, Map<String, String> query) {
        return call(SdkHttpMethod.DELETE, path, query, null);
    }

    private JsonNode call(SdkHttpMethod method, String path, Map<String, String> query, ObjectNode body) {
        URI uri = uri(path, query);
        byte[] payload = body == null ? new byte[0] : Json.write(body).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = body == null ? Map.of("Accept", "application/json")
                : Map.of("Accept", "application/json", "Content-Type", "application/json");
        return Retries.run(retry, signingName, () -> {
            SignedJsonCall.Answer answer = SignedJsonCall.send(http, credentials, method, uri, signingName, region,
                    headers, payload);
            if (answer.status() / 100 == 2) {
                return Retries.Attempt.done(answer.body().isBlank() ? Json.mapper().createObjectNode()
                        : Json.mapper().readTree(answer.body()));
            }
            JsonApi.Failure f = failure(answer);
            // the error code travels in a header this client does not see; a 400 "Rate exceeded" is a throttle too
            return Retries.Attempt.failed(f, answer.status(), answer.status() == 429 || THROTTLES.contains(f.code())
                    || (answer.status() == 400 && String.valueOf(f.detail()).startsWith("Rate exceeded")));
        }, Retries::ioFailure);
    }

    /** The endpoint's address of this path, the query parameters form-encoded (spaces as %20, as SigV4 wants). */
    URI uri(String path, Map<String, String> query) {
        StringJoiner q = new StringJoiner("&");
        query.forEach((k, v) -> {
            if (v != null) {
                q.add(encode(k) + "=" + encode(v));
            }
        });
        String base = endpoint.toString().replaceAll("/+$", "");
        return URI.create(base + path + (q.length() == 0 ? "" : "?" + q));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** REST-JSON errors: the code in {@code __type} or {@code code} (when the body has it), the message in {@code message}. */
    private static JsonApi.Failure failure(SignedJsonCall.Answer answer) {
        String code = "";
        String message = answer.body();
        try {
            JsonNode err = Json.mapper().readTree(answer.body());
            code = err.path("__type").asText(err.path("code").asText("")).replaceAll(".*#", "").replaceAll(":.*", "");
            message = err.hasNonNull("message") ? err.path("message").asText() : err.path("Message").asText(answer.body());
        } catch (IOException | RuntimeException notJson) {
            // the status says enough
        }
        return new JsonApi.Failure(answer.status(), code, message);
    }

}
