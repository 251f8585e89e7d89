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
 *
 * <p>{@link #forFunction} makes a proxy that also appends each call, tagged with a Lambda function's name, to
 * {@code target/iam-calls/<function>-<pid>.tsv} under the working directory (a module's, under Surefire): the
 * calls that function's code made, which {@code scripts/iam-coverage} checks against the function's role in
 * {@code template.yaml} (docs/tooling.md, "IAM policies checked against the calls"). One line per call, tab
 * separated: function, signing service and region (from the Authorization header's credential scope), method,
 * path and query, operation, and the body of a JSON or form request (the resource names are read from it).
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
    /** The function whose calls go to {@link #IAM_CALLS} too, or null. */
    private final String function;

    /** Where {@link #forFunction} proxies append their calls, relative to the working directory. */
    public static final java.nio.file.Path IAM_CALLS = java.nio.file.Path.of("target", "iam-calls");
    private static final Object IAM_CALLS_LOCK = new Object();
    private static final int MAX_RECORDED_BODY = 4_000;

    private RecordingProxy(URI target) throws IOException {
        this(target, null);
    }

    private RecordingProxy(URI target, String function) throws IOException {
        this.target = target;
        this.function = function;
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

    /**
     * Records and forwards to {@code target}, and appends every call to {@link #IAM_CALLS} as made by the Lambda
     * function {@code function} (its name in template.yaml without "Function": Plan, Target, Readiness, Summarize,
     * Trigger, Restop). Give each function's SDK clients their own such proxy as endpoint.
     */
    public static RecordingProxy forFunction(String function, URI target) {
        if (!function.matches("[A-Z][A-Za-z]+")) {
            throw new IllegalArgumentException("a function name like Plan or Target, not '" + function + "'");
        }
        try {
            return new RecordingProxy(target, function);
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
            if (function != null) {
                appendIamCall(ex, body, call);
            }
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

    private void appendIamCall(HttpExchange ex, byte[] body, Call call) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String service = "?";
        String region = "?";
        if (auth != null && auth.contains("Credential=")) {
            // Credential=AKID/20261203/us-east-1/dynamodb/aws4_request
            String[] scope = auth.substring(auth.indexOf("Credential=") + 11).split("[,\\s]")[0].split("/");
            if (scope.length >= 5) {
                region = scope[2];
                service = scope[3];
            }
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        // the body names the resources of JSON and query protocol calls; S3's bodies are object contents
        boolean readable = !"s3".equals(service) && (ex.getRequestHeaders().getFirst("X-Amz-Target") != null
                || type != null && (type.startsWith("application/x-www-form-urlencoded") || type.contains("json")));
        String text = readable ? new String(body, StandardCharsets.UTF_8) : "";
        if (text.length() > MAX_RECORDED_BODY) {
            text = text.substring(0, MAX_RECORDED_BODY);
        }
        String query = ex.getRequestURI().getRawQuery();
        String line = String.join("\t", function, service, region, call.method(),
                call.path() + (query == null ? "" : "?" + query), call.operation(), text.replaceAll("[\\t\\r\\n]", " ")) + "\n";
        synchronized (IAM_CALLS_LOCK) {
            java.nio.file.Files.createDirectories(IAM_CALLS);
            java.nio.file.Files.writeString(IAM_CALLS.resolve(function + "-" + ProcessHandle.current().pid() + ".tsv"), line,
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
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
