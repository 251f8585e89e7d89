package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.local.LocalLambdaEndpoint.LambdaServiceFault;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The local endpoint speaks the Lambda Invoke API as Lambda does for Java functions. */
class LocalLambdaEndpointTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final RequestStreamHandler ECHO = (in, out, context) -> {
        out.write(("{\"echo\":" + new String(in.readAllBytes(), StandardCharsets.UTF_8)
                + ",\"function\":\"" + context.getFunctionName() + "\"}").getBytes(StandardCharsets.UTF_8));
    };

    private static final RequestStreamHandler FAILING = (in, out, context) -> {
        throw new IllegalStateException("the engine said no", new IOException("disk on fire"));
    };

    @Test
    void invokesTheHandlerNamedByAnEncodedAliasArn() throws Exception {
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(Map.of("echo", ECHO))) {
            HttpResponse<String> r = invoke(endpoint, LocalLambdaEndpoint.functionArn("echo") + ":live", "{\"a\":[1,2]}");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Amz-Executed-Version")).contains("$LATEST");
            assertThat(r.headers().firstValue("X-Amz-Function-Error")).isEmpty();
            assertThat(Json.mapper().readTree(r.body())).isEqualTo(Json.mapper().readTree("{\"echo\":{\"a\":[1,2]},\"function\":\"echo\"}"));
            assertThat(endpoint.invocations("echo")).isEqualTo(1);
        }
    }

    @Test
    void handlerExceptionIsAnUnhandledFunctionErrorNamedByItsClass() throws Exception {
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(Map.of("fails", FAILING))) {
            HttpResponse<String> r = invoke(endpoint, "fails", "{}");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
            JsonNode body = Json.mapper().readTree(r.body());
            assertThat(body.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(body.path("errorMessage").asText()).isEqualTo("the engine said no");
            assertThat(body.path("stackTrace").isArray()).isTrue();
            assertThat(body.path("cause").path("errorType").asText()).isEqualTo("java.io.IOException");
        }
    }

    @Test
    void unknownFunctionIsResourceNotFound() throws Exception {
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(Map.of("echo", ECHO))) {
            HttpResponse<String> r = invoke(endpoint, "arn:aws:lambda:us-east-1:123456789012:function:nope", "{}");

            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("X-Amzn-ErrorType")).contains("ResourceNotFoundException");
            assertThat(Json.mapper().readTree(r.body()).path("message").asText()).contains("Function not found").contains("nope");
        }
    }

    @Test
    void injectedServiceFaultsAnswerBeforeTheHandlerRuns() throws Exception {
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(Map.of("echo", ECHO))) {
            endpoint.failNext("echo", 1, LambdaServiceFault.TOO_MANY_REQUESTS);
            endpoint.failNext("echo", 1, LambdaServiceFault.SERVICE);

            HttpResponse<String> first = invoke(endpoint, "echo", "1");
            HttpResponse<String> second = invoke(endpoint, "echo:live", "2");
            HttpResponse<String> third = invoke(endpoint, "123456789012:function:echo", "3");

            assertThat(first.statusCode()).isEqualTo(429);
            assertThat(first.headers().firstValue("X-Amzn-ErrorType")).contains("TooManyRequestsException");
            assertThat(second.statusCode()).isEqualTo(500);
            assertThat(second.headers().firstValue("X-Amzn-ErrorType")).contains("ServiceException");
            assertThat(third.statusCode()).isEqualTo(200);
            assertThat(endpoint.invocations("echo")).isEqualTo(3);
        }
    }

    @Test
    void invocationsRunConcurrently() throws Exception {
        int n = 4;
        CountDownLatch allInside = new CountDownLatch(n);
        RequestStreamHandler waitsForTheOthers = (in, out, context) -> {
            allInside.countDown();
            try {
                if (!allInside.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("invocations were serialised");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write("true".getBytes(StandardCharsets.UTF_8));
        };
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(Map.of("wait", waitsForTheOthers))) {
            List<CompletableFuture<HttpResponse<String>>> calls = java.util.stream.IntStream.range(0, n)
                    .mapToObj(i -> HTTP.sendAsync(request(endpoint, "wait", "{}"), HttpResponse.BodyHandlers.ofString())).toList();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> r = call.get(20, TimeUnit.SECONDS);
                assertThat(r.headers().firstValue("X-Amz-Function-Error")).isEmpty();
                assertThat(r.body()).isEqualTo("true");
            }
        }
    }

    @Test
    void functionNameAcceptsEveryFormLambdaAccepts() {
        assertThat(LocalLambdaEndpoint.functionName("hit-breaks-plan")).isEqualTo("hit-breaks-plan");
        assertThat(LocalLambdaEndpoint.functionName("hit-breaks-plan:live")).isEqualTo("hit-breaks-plan");
        assertThat(LocalLambdaEndpoint.functionName("123456789012:function:hit-breaks-plan")).isEqualTo("hit-breaks-plan");
        assertThat(LocalLambdaEndpoint.functionName("arn:aws:lambda:eu-west-1:123456789012:function:hit-breaks-plan:$LATEST"))
                .isEqualTo("hit-breaks-plan");
        assertThat(LocalLambdaEndpoint.percentDecode("arn%3Aaws%3Alambda+x%2")).isEqualTo("arn:aws:lambda+x%2");
    }

    private static HttpResponse<String> invoke(LocalLambdaEndpoint endpoint, String function, String payload)
            throws IOException, InterruptedException {
        return HTTP.send(request(endpoint, function, payload), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(LocalLambdaEndpoint endpoint, String function, String payload) {
        URI uri = endpoint.endpoint().resolve("/2015-03-31/functions/" + URLEncoder.encode(function, StandardCharsets.UTF_8) + "/invocations");
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("X-Amz-Invocation-Type", "RequestResponse")
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
    }
}
