package dev.awshitbreaks.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The one HTTP client, able to send PATCH: the SDK's url-connection client rests on {@code HttpURLConnection}, which
 * refuses that method ("Invalid HTTP method: PATCH", aws-sdk-java-v2 issue 3046), and API Gateway's UpdateStage is a
 * PATCH. A PATCH request, already signed by the SDK, goes out unchanged through the JDK's own {@code java.net.http}
 * client (HTTP/1.1, the system proxy, the same timeouts); every other request goes to the shared client. Used only by
 * the API Gateway clients; closing it leaves the shared client open (its owner closes it).
 */
final class PatchCapableHttpClient implements SdkHttpClient {
    /** Headers the JDK client sets itself from the URI and body (the same values the SDK signed). */
    private static final Set<String> SET_BY_JDK = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final SdkHttpClient delegate;
    private final HttpClient jdk;
    private final Duration readTimeout;

    PatchCapableHttpClient(SdkHttpClient delegate, Duration connectTimeout, Duration readTimeout) {
        this.delegate = delegate;
        this.readTimeout = readTimeout;
        this.jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .proxy(ProxySelector.getDefault() == null ? HttpClient.Builder.NO_PROXY : ProxySelector.getDefault())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        if (request.httpRequest().method() != SdkHttpMethod.PATCH) {
            return delegate.prepareRequest(request);
        }
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                return patch(request);
            }

            @Override
            public void abort() {
                // a PATCH is bounded by its read timeout
            }
        };
    }

    private HttpExecuteResponse patch(HttpExecuteRequest request) throws IOException {
        SdkHttpRequest r = request.httpRequest();
        byte[] body;
        if (request.contentStreamProvider().isPresent()) {
            try (InputStream in = request.contentStreamProvider().get().newStream()) {
                body = in.readAllBytes();
            }
        } else {
            body = new byte[0];
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(r.getUri()).timeout(readTimeout)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body));
        r.headers().forEach((name, values) -> {
            if (!SET_BY_JDK.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = jdk.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted sending PATCH " + r.getUri());
        }
        SdkHttpFullResponse.Builder out = SdkHttpFullResponse.builder().statusCode(response.statusCode());
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                out.putHeader(name, values);
            }
        });
        return HttpExecuteResponse.builder().response(out.build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(response.body()))).build();
    }

    @Override
    public String clientName() {
        return "UrlConnectionWithJdkPatch";
    }

    @Override
    public void close() {
        // the shared client is closed by its owner; the JDK client holds no resources to release here
    }
}
