package dev.awshitbreaks.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.awshitbreaks.core.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Invoke REST API on loopback, dispatching to Java handlers in this JVM:
 * {@code POST /2015-03-31/functions/{name or ARN}/invocations}, the body being the payload. It answers as
 * Lambda does for the Java runtime: 200 with the handler's output; when the handler throws, 200 with
 * {@code X-Amz-Function-Error: Unhandled} and {@code {"errorMessage","errorType","stackTrace"}} (errorType
 * is the exception's class name); an unknown function is a 404 {@code ResourceNotFoundException}.
 *
 * <p>For tests it can answer the next invocations of a function with a Lambda service error
 * ({@link #failNext}), as Lambda does when throttled or faulty, before the handler runs; or after it ran
 * ({@link #failAfterNext}), as when its answer is lost.
 */
public final class LocalLambdaEndpoint implements AutoCloseable {
    /** The account and region of the local ARNs. */
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";

    private static final Pattern INVOKE_PATH = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations/?");
    private static final long FUNCTION_TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(15);

    private final Map<String, RequestStreamHandler> handlers;
    private final Map<String, Deque<LambdaServiceFault>> faults = new HashMap<>();
    private final Map<String, Deque<LambdaServiceFault>> faultsAfter = new HashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;
    private final PrintStream log;

    private LocalLambdaEndpoint(Map<String, RequestStreamHandler> handlers, HttpServer server, ExecutorService executor,
            PrintStream log) {
        this.handlers = handlers;
        this.server = server;
        this.executor = executor;
        this.log = log;
    }

    /** Starts an endpoint on a free loopback port, serving the handlers by function name. */
    public static LocalLambdaEndpoint start(Map<String, ? extends RequestStreamHandler> handlers) {
        return start(handlers, System.err);
    }

    /** As {@link #start(Map)}, with the handlers' log lines ({@code context.getLogger()}) going to {@code log}. */
    public static LocalLambdaEndpoint start(Map<String, ? extends RequestStreamHandler> handlers, PrintStream log) {
        Map<String, RequestStreamHandler> copy = Map.copyOf(handlers);
        copy.keySet().forEach(LocalLambdaEndpoint::requireFunctionName);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            AtomicInteger threads = new AtomicInteger();
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "local-lambda-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            LocalLambdaEndpoint endpoint = new LocalLambdaEndpoint(copy, server, executor, log);
            server.createContext("/", endpoint::handle);
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the local Lambda endpoint: " + e.getMessage(), e);
        }
    }

    /** The endpoint URL, for {@code AWS_ENDPOINT_URL_LAMBDA}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The ARN under which a function is served here. */
    public static String functionArn(String functionName) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + requireFunctionName(functionName);
    }

    /** Answers the next {@code times} invocations of the function with the given Lambda service error. */
    public void failNext(String functionName, int times, LambdaServiceFault fault) {
        Objects.requireNonNull(fault, "fault");
        synchronized (faults) {
            Deque<LambdaServiceFault> queue = faults.computeIfAbsent(functionName, n -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.add(fault);
            }
        }
    }

    /**
     * Runs the next {@code times} invocations of the function to the end (their side effects happen) but answers them
     * with the given Lambda service error instead of their output: as when a function's answer is lost, or it did its
     * work and then timed out. The state machine's Retry then invokes it again.
     */
    public void failAfterNext(String functionName, int times, LambdaServiceFault fault) {
        Objects.requireNonNull(fault, "fault");
        synchronized (faults) {
            Deque<LambdaServiceFault> queue = faultsAfter.computeIfAbsent(functionName, n -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.add(fault);
            }
        }
    }

    /** How many Invoke requests reached the function, including those answered with an injected fault. */
    public int invocations(String functionName) {
        AtomicInteger n = requests.get(functionName);
        return n == null ? 0 : n.get();
    }

    /**
     * The function a {@code FunctionName} designates: a name, {@code name:qualifier}, a partial ARN
     * ({@code 123456789012:function:name}) or a full ARN, with or without a version or alias qualifier.
     */
    static String functionName(String nameOrArn) {
        String s = nameOrArn;
        int function = s.indexOf("function:");
        if (function >= 0) {
            s = s.substring(function + "function:".length());
        }
        int qualifier = s.indexOf(':');
        return qualifier >= 0 ? s.substring(0, qualifier) : s;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher m = INVOKE_PATH.matcher(exchange.getRequestURI().getRawPath());
            if (!m.matches()) {
                sendError(exchange, 404, "UnknownOperationException", "User", "Unknown operation " + exchange.getRequestURI().getPath());
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                sendError(exchange, 405, "UnknownOperationException", "User", "Invoke needs POST, not " + exchange.getRequestMethod());
                return;
            }
            String requested = percentDecode(m.group(1));
            String name = functionName(requested);
            byte[] payload = exchange.getRequestBody().readAllBytes();
            RequestStreamHandler handler = handlers.get(name);
            if (handler == null) {
                sendError(exchange, 404, "ResourceNotFoundException", "User", "Function not found: " + functionArn(name));
                return;
            }
            requests.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            LambdaServiceFault fault = nextFault(name);
            if (fault != null) {
                sendError(exchange, fault.httpStatus(), fault.errorCode(), fault.type(), fault.message());
                return;
            }
            String invocationType = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            if ("DryRun".equals(invocationType)) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            if (invocationType != null && !"RequestResponse".equals(invocationType)) {
                sendError(exchange, 400, "InvalidParameterValueException", "User",
                        "this local endpoint supports the RequestResponse and DryRun invocation types, not " + invocationType);
                return;
            }
            invoke(exchange, name, handler, payload);
        } catch (RuntimeException | Error e) {
            log.println("local Lambda endpoint: " + e);
            throw e;
        }
    }

    private void invoke(HttpExchange exchange, String name, RequestStreamHandler handler, byte[] payload) throws IOException {
        String requestId = UUID.randomUUID().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Throwable failure = null;
        try (InputStream in = new ByteArrayInputStream(payload)) {
            handler.handleRequest(in, out, new LocalContext(name, functionArn(name), requestId, FUNCTION_TIMEOUT_MILLIS, log));
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            failure = e;
        }
        LambdaServiceFault after;
        synchronized (faults) {
            Deque<LambdaServiceFault> queue = faultsAfter.get(name);
            after = queue == null ? null : queue.poll();
        }
        if (after != null) {
            sendError(exchange, after.httpStatus(), after.errorCode(), after.type(), after.message());
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
        exchange.getResponseHeaders().set("X-Amzn-RequestId", requestId);
        byte[] body;
        if (failure != null) {
            exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
            body = Json.write(errorDocument(failure)).getBytes(StandardCharsets.UTF_8);
        } else {
            body = out.toByteArray();
        }
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    /** The Java runtime's error document: message, class name, stack frames, and the cause's, nested. */
    static ObjectNode errorDocument(Throwable t) {
        ObjectNode doc = Json.mapper().createObjectNode();
        if (t.getMessage() != null) {
            doc.put("errorMessage", t.getMessage());
        }
        doc.put("errorType", t.getClass().getName());
        var frames = doc.putArray("stackTrace");
        for (StackTraceElement frame : t.getStackTrace()) {
            frames.add(frame.toString());
        }
        if (t.getCause() != null && t.getCause() != t) {
            doc.set("cause", errorDocument(t.getCause()));
        }
        return doc;
    }

    private LambdaServiceFault nextFault(String name) {
        synchronized (faults) {
            Deque<LambdaServiceFault> queue = faults.get(name);
            return queue == null ? null : queue.poll();
        }
    }

    private static void sendError(HttpExchange exchange, int status, String code, String type, String message) throws IOException {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("Type", type);
        doc.put("message", message);
        byte[] body = Json.write(doc).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Amzn-ErrorType", code);
        exchange.getResponseHeaders().set("X-Amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    /** Decodes %XX escapes (UTF-8); unlike URLDecoder, leaves '+' alone, as a URI path does. */
    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static String requireFunctionName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("not a Lambda function name: " + name);
        }
        return name;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A Lambda service error, answered before the function runs. */
    public enum LambdaServiceFault {
        /** HTTP 429, as when the function's concurrency is exhausted. */
        TOO_MANY_REQUESTS(429, "TooManyRequestsException", "User", "Rate Exceeded."),
        /** HTTP 500, an internal Lambda failure. */
        SERVICE(500, "ServiceException", "Service", "An internal error occurred in the Lambda service.");

        private final int httpStatus;
        private final String errorCode;
        private final String type;
        private final String message;

        LambdaServiceFault(int httpStatus, String errorCode, String type, String message) {
            this.httpStatus = httpStatus;
            this.errorCode = errorCode;
            this.type = type;
            this.message = message;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public String errorCode() {
            return errorCode;
        }

        public String type() {
            return type;
        }

        public String message() {
            return message;
        }
    }
}
