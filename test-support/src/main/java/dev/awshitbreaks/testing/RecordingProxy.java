package dev.awshitbreaks.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A loopback endpoint in front of moto that records every AWS call the SDK makes through it (service and
 * operation, read from the request itself) and forwards it unchanged, so a test can assert which calls a
 * piece of code made, or that it made none. {@link #unanswering()} forwards nothing: every call is recorded
 * and answered HTTP 503, for code that must not call AWS at all.
 *
 * <p>The operation is the {@code X-Amz-Target} header's (JSON protocols: DynamoDB, Step Functions, ECS,
 * Application Auto Scaling), the form's {@code Action} (query protocols: EC2, RDS, STS, Auto Scaling, SNS), or
 * the method and path (REST: S3, Lambda). A call is <em>mutating</em> unless its operation reads
 * (Describe, List, Get, Query, Scan, BatchGet, Head) or it is a REST GET or HEAD. Test scope only.
 */
public final class RecordingProxy implements AutoCloseable {
    private static final List<String> READS = List.of("Describe", "List", "Get", "Query", "Scan", "BatchGet", "Head");

    /** One recorded call. */
    public record Call(String method, String path, String operation, boolean mutating) {
        @Override
        public String toString() {
            return operation + (mutating ? " (mutating)" : "") + " " + method + " " + path;
        }
    }

    private final URI target;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Call> calls = new ArrayList<>();
    private final java.util.Set<String> secrets = new java.util.LinkedHashSet<>();

    private RecordingProxy(URI target) throws IOException {
        this.target = target;
        this.server = LoopbackForwarding.start("recording-proxy", 0, this::handle);
    }

    /** Records and forwards to {@code target} (a moto server). */
    public static RecordingProxy forwardingTo(URI target) {
        try {
            return new RecordingProxy(target);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the recording proxy: " + e.getMessage(), e);
        }
    }

    /** Records every call and answers each with HTTP 503: for code that must make no AWS call at all. */
    public static RecordingProxy unanswering() {
        return forwardingTo(null);
    }

    public URI endpoint() {
        return LoopbackForwarding.endpoint(server);
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Call> mutatingCalls() {
        return calls.stream().filter(Call::mutating).toList();
    }

    public synchronized void clear() {
        calls.clear();
    }

    /** Every request signature ({@code Signature=} of the Authorization header) and session token seen so far. */
    public synchronized java.util.Set<String> signaturesAndTokens() {
        return java.util.Set.copyOf(secrets);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Call call = classify(ex, body);
            synchronized (this) {
                calls.add(call);
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth != null && auth.contains("Signature=")) {
                    secrets.add(auth.substring(auth.indexOf("Signature=") + 10).split("[,\\s]")[0]);
                }
                String token = ex.getRequestHeaders().getFirst("X-Amz-Security-Token");
                if (token != null) {
                    secrets.add(token);
                }
            }
            if (target == null) {
                byte[] b = "<Error><Code>ServiceUnavailable</Code><Message>recording proxy: no AWS call was expected</Message></Error>"
                        .getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(503, b.length);
                ex.getResponseBody().write(b);
                return;
            }
            LoopbackForwarding.relay(ex, LoopbackForwarding.forward(http, target, ex, body, Duration.ofSeconds(60)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Call classify(HttpExchange ex, byte[] body) {
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = ex.getRequestURI().getRawPath();
        String amzTarget = ex.getRequestHeaders().getFirst("X-Amz-Target");
        String operation = null;
        if (amzTarget != null) {
            operation = amzTarget.substring(amzTarget.lastIndexOf('.') + 1);
        } else {
            String form = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
                form = form + "&" + new String(body, StandardCharsets.UTF_8);
            }
            for (String pair : form.split("&")) {
                if (pair.startsWith("Action=")) {
                    operation = URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
                }
            }
        }
        boolean mutating;
        if (operation != null) {
            String op = operation;
            mutating = READS.stream().noneMatch(op::startsWith);
        } else {
            operation = method + " " + path;
            mutating = !method.equals("GET") && !method.equals("HEAD");
        }
        return new Call(method, path, operation, mutating);
    }

    @Override
    public void close() {
        LoopbackForwarding.stop(server);
    }
}
