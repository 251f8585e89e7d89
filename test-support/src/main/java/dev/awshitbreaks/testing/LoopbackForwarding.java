package dev.awshitbreaks.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the loopback servers in front of moto share ({@link FaultProxy}, {@link RecordingProxy},
 * {@link ProvisionedConcurrencyStub}): starting an HTTP server on 127.0.0.1 with daemon threads, forwarding a
 * request unchanged to the upstream endpoint, and relaying its answer.
 */
final class LoopbackForwarding {
    /** Hop-by-hop and framing headers: the HTTP client and server set their own. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private LoopbackForwarding() {
    }

    /** An HTTP server on a free loopback port, its handler run on daemon threads named {@code threadName}. */
    static HttpServer start(String threadName, int backlog, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), backlog);
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return server;
    }

    /** Stops a server {@link #start}ed here, and its threads. */
    static void stop(HttpServer server) {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    static URI endpoint(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Sends the exchange's request (method, path, query, headers, {@code body}) to {@code upstream}. */
    static HttpResponse<byte[]> forward(HttpClient http, URI upstream, HttpExchange ex, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        URI target = URI.create(upstream.toString() + ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout)
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        copyRequestHeaders(ex, b);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static void copyRequestHeaders(HttpExchange ex, HttpRequest.Builder b) {
        ex.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
    }

    /** Answers the exchange with the upstream's status, headers and body. */
    static void relay(HttpExchange ex, HttpResponse<byte[]> r) throws IOException {
        r.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                ex.getResponseHeaders().put(name, values);
            }
        });
        byte[] out = r.body();
        boolean head = "HEAD".equalsIgnoreCase(ex.getRequestMethod());
        if (head) {
            r.headers().firstValue("content-length").ifPresent(v -> ex.getResponseHeaders().set("Content-Length", v));
        }
        ex.sendResponseHeaders(r.statusCode(), head || out.length == 0 ? -1 : out.length);
        if (!head && out.length > 0) {
            ex.getResponseBody().write(out);
        }
    }
}
