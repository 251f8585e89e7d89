package dev.awshitbreaks.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * <strong>A STUB of an API moto lacks</strong>: Lambda provisioned concurrency
 * (ListProvisionedConcurrencyConfigs, GetProvisionedConcurrencyConfig, PutProvisionedConcurrencyConfig,
 * DeleteProvisionedConcurrencyConfig), which moto 5.2.5 answers with HTTP 404. It serves their documented
 * REST shape on loopback and forwards every other request, unchanged, to a real moto server, so
 * CreateFunction, ListFunctions, ListTags, GetFunction and the rest are moto's own.
 *
 * <ul>
 *   <li>{@code GET /2019-09-30/functions/{name}/provisioned-concurrency?List=ALL[&Marker&MaxItems]}</li>
 *   <li>{@code GET|PUT|DELETE /2019-09-30/functions/{name}/provisioned-concurrency?Qualifier=X}</li>
 * </ul>
 * The function and its qualifier are checked against moto (GetFunction) on every call: an unknown one is
 * {@code ResourceNotFoundException} (404), as in AWS; a function moto no longer has loses its
 * configurations, as AWS deletes them with the function. {@code $LATEST} and an unqualified PUT are
 * {@code InvalidParameterValueException} (400). A PUT is READY at once unless {@link #setStatus} says
 * otherwise. State is in memory, per region (from the request's SigV4 credential scope); {@link #reset}
 * clears it. Test scope only.
 */
public final class ProvisionedConcurrencyStub implements AutoCloseable {
    private static final Pattern PATH = Pattern.compile("^/2019-09-30/functions/([^/]+)/provisioned-concurrency/?$");
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/([^/]+)/");
    private static final Pattern FUNCTION_ARN = Pattern.compile("\"FunctionArn\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern COUNT = Pattern.compile("\"ProvisionedConcurrentExecutions\"\\s*:\\s*(-?\\d+)");

    /** One configuration: the qualified ARN, the requested count and its status. */
    private record Config(String functionArn, int requested, String status, Instant lastModified) {
    }

    private final URI moto;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** region -> function name -> qualifier -> config. */
    private final Map<String, Map<String, Map<String, Config>>> state = new HashMap<>();

    private ProvisionedConcurrencyStub(URI moto) throws IOException {
        this.moto = moto;
        this.server = LoopbackForwarding.start("provisioned-concurrency-stub", 0, this::handle);
    }

    /** Starts the stub in front of the moto server at {@code moto}. */
    public static ProvisionedConcurrencyStub start(URI moto) {
        try {
            return new ProvisionedConcurrencyStub(moto);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the provisioned-concurrency stub: " + e.getMessage(), e);
        }
    }

    /** The endpoint to give the SDK instead of moto's. */
    public URI endpoint() {
        return LoopbackForwarding.endpoint(server);
    }

    /** Forgets every configuration (moto is reset separately). */
    public synchronized void reset() {
        state.clear();
    }

    /** Sets the status of an existing configuration (READY, IN_PROGRESS, FAILED), to test waiting. */
    public synchronized void setStatus(String region, String functionName, String qualifier, String status) {
        Map<String, Config> byQualifier = state.getOrDefault(region, Map.of()).get(functionName);
        Config c = byQualifier == null ? null : byQualifier.get(qualifier);
        if (c == null) {
            throw new IllegalArgumentException("no configuration for " + functionName + ":" + qualifier + " in " + region);
        }
        byQualifier.put(qualifier, new Config(c.functionArn(), c.requested(), status, Instant.now()));
    }

    @Override
    public void close() {
        LoopbackForwarding.stop(server);
    }

    // ---------------------------------------------------------------- dispatch

    private void handle(HttpExchange ex) throws IOException {
        try {
            Matcher m = PATH.matcher(ex.getRequestURI().getRawPath());
            if (m.matches()) {
                provisionedConcurrency(ex, functionName(decode(m.group(1))));
            } else {
                forward(ex);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(ex, 500, "ServiceException", e.toString());
        } finally {
            ex.close();
        }
    }

    private void provisionedConcurrency(HttpExchange ex, String function) throws IOException, InterruptedException {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String qualifier = query.get("Qualifier");
        String region = region(ex);
        byte[] body = ex.getRequestBody().readAllBytes();

        if ("GET".equals(method) && qualifier == null) {
            String arn = functionArn(ex, function, null);
            if (arn == null) {
                forget(region, function);
                send(ex, 404, "ResourceNotFoundException", "Function not found: " + function);
                return;
            }
            list(ex, region, function, query);
            return;
        }
        if (qualifier == null || qualifier.isEmpty()) {
            send(ex, 400, "InvalidParameterValueException", "The Qualifier parameter is required");
            return;
        }
        if ("$LATEST".equals(qualifier)) {
            send(ex, 400, "InvalidParameterValueException",
                    "Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
            return;
        }
        String base = functionArn(ex, function, null);
        if (base == null) {
            forget(region, function);
            send(ex, 404, "ResourceNotFoundException", "Function not found: " + function);
            return;
        }
        String arn = functionArn(ex, function, qualifier);
        if (arn == null) {
            send(ex, 404, "ResourceNotFoundException", "Function not found: " + unqualified(base) + ":" + qualifier);
            return;
        }
        switch (method) {
            case "GET" -> {
                Config c = get(region, function, qualifier);
                if (c == null) {
                    send(ex, 404, "ProvisionedConcurrencyConfigNotFoundException",
                            "No Provisioned Concurrency Config found for this function");
                } else {
                    sendJson(ex, 200, configJson(c, false));
                }
            }
            case "PUT" -> {
                Matcher cm = COUNT.matcher(new String(body, StandardCharsets.UTF_8));
                int n = cm.find() ? Integer.parseInt(cm.group(1)) : 0;
                if (n < 1) {
                    send(ex, 400, "InvalidParameterValueException", "ProvisionedConcurrentExecutions must be at least 1");
                    return;
                }
                Config c = new Config(arn, n, "READY", Instant.now());
                put(region, function, qualifier, c);
                sendJson(ex, 202, configJson(c, false));
            }
            case "DELETE" -> {
                if (remove(region, function, qualifier) == null) {
                    send(ex, 404, "ResourceNotFoundException",
                            "No Provisioned Concurrency Config found for function " + unqualified(base) + ":" + qualifier);
                } else {
                    ex.sendResponseHeaders(204, -1);
                }
            }
            default -> send(ex, 405, "InvalidParameterValueException", "method " + method + " not allowed");
        }
    }

    private void list(HttpExchange ex, String region, String function, Map<String, String> query) throws IOException {
        List<Config> all;
        synchronized (this) {
            all = new ArrayList<>(state.getOrDefault(region, Map.of()).getOrDefault(function, Map.of()).values());
        }
        int from = query.containsKey("Marker") ? Integer.parseInt(query.get("Marker")) : 0;
        int max = query.containsKey("MaxItems") ? Math.max(1, Math.min(50, Integer.parseInt(query.get("MaxItems")))) : 50;
        int to = Math.min(all.size(), from + max);
        StringBuilder sb = new StringBuilder("{\"ProvisionedConcurrencyConfigs\":[");
        for (int i = from; i < to; i++) {
            sb.append(i > from ? "," : "").append(configJson(all.get(i), true));
        }
        sb.append(']');
        if (to < all.size()) {
            sb.append(",\"NextMarker\":\"").append(to).append('"');
        }
        sendJson(ex, 200, sb.append('}').toString());
    }

    // ---------------------------------------------------------------- state

    private synchronized Config get(String region, String function, String qualifier) {
        return state.getOrDefault(region, Map.of()).getOrDefault(function, Map.of()).get(qualifier);
    }

    private synchronized void put(String region, String function, String qualifier, Config c) {
        state.computeIfAbsent(region, r -> new HashMap<>()).computeIfAbsent(function, f -> new TreeMap<>()).put(qualifier, c);
    }

    private synchronized Config remove(String region, String function, String qualifier) {
        Map<String, Config> byQualifier = state.getOrDefault(region, Map.of()).get(function);
        return byQualifier == null ? null : byQualifier.remove(qualifier);
    }

    private synchronized void forget(String region, String function) {
        Map<String, Map<String, Config>> byFunction = state.get(region);
        if (byFunction != null) {
            byFunction.remove(function);
        }
    }

    // ---------------------------------------------------------------- moto

    /** The function's ARN as moto has it (qualified when asked), or null when moto does not know it. */
    private String functionArn(HttpExchange ex, String function, String qualifier) throws IOException, InterruptedException {
        String path = "/2015-03-31/functions/" + encode(function)
                + (qualifier == null ? "" : "?Qualifier=" + encode(qualifier));
        HttpRequest.Builder b = HttpRequest.newBuilder(moto.resolve(path)).GET().timeout(Duration.ofSeconds(20));
        LoopbackForwarding.copyRequestHeaders(ex, b);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("moto GetFunction answered " + r.statusCode() + ": " + r.body());
        }
        Matcher m = FUNCTION_ARN.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("moto GetFunction answered without a FunctionArn: " + r.body());
        }
        String base = unqualified(m.group(1));
        return qualifier == null ? base : base + ":" + qualifier;
    }

    private void forward(HttpExchange ex) throws IOException, InterruptedException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        LoopbackForwarding.relay(ex, LoopbackForwarding.forward(http, moto, ex, body, Duration.ofSeconds(60)));
    }

    // ---------------------------------------------------------------- helpers

    private static String configJson(Config c, boolean withArn) {
        return "{" + (withArn ? "\"FunctionArn\":\"" + c.functionArn() + "\"," : "")
                + "\"RequestedProvisionedConcurrentExecutions\":" + c.requested()
                + ",\"AvailableProvisionedConcurrentExecutions\":" + ("READY".equals(c.status()) ? c.requested() : 0)
                + ",\"AllocatedProvisionedConcurrentExecutions\":" + ("READY".equals(c.status()) ? c.requested() : 0)
                + ",\"Status\":\"" + c.status() + "\""
                + ",\"LastModified\":\"" + c.lastModified() + "\"}";
    }

    private static void sendJson(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** A Lambda REST-JSON error: the code in {@code x-amzn-ErrorType}, the message in the body. */
    private static void send(HttpExchange ex, int status, String code, String message) throws IOException {
        ex.getResponseHeaders().set("x-amzn-ErrorType", code);
        String json = "{\"Type\":\"User\",\"__type\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        sendJson(ex, status, json);
    }

    /** The region of the request's SigV4 credential scope. */
    private static String region(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Matcher m = auth == null ? null : SCOPE.matcher(auth);
        if (m == null || !m.find()) {
            throw new IllegalStateException("request without a SigV4 Authorization header");
        }
        return m.group(1);
    }

    /** A function name from a name, a partial ARN or an ARN, without any qualifier. */
    private static String functionName(String nameOrArn) {
        String s = nameOrArn;
        int i = s.indexOf("function:");
        if (i >= 0) {
            s = s.substring(i + "function:".length());
        }
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    private static String unqualified(String arn) {
        String[] parts = arn.split(":");
        return parts.length > 7 ? String.join(":", java.util.Arrays.copyOf(parts, 7)) : arn;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
