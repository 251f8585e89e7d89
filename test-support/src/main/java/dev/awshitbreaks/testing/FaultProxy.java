package dev.awshitbreaks.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTP proxy on loopback, between the AWS SDK and moto (or any plain-HTTP AWS endpoint):
 * point the SDK's endpoint override at {@link #endpoint()} and every call passes through here. Test scope only.
 *
 * <p><strong>What it knows about a call</strong> ({@link Call}): the region and signing service from the SigV4
 * {@code Authorization} credential scope, and the operation from {@code X-Amz-Target} (JSON protocols:
 * DynamoDB, ECS, Application Auto Scaling), the {@code Action=} form parameter (query protocols: EC2, RDS, Auto
 * Scaling, STS, SNS, IAM) or the REST method and path (S3, Lambda; see {@link #restOperation}).
 *
 * <p><strong>Faults</strong>, drawn for each call from one {@link Random} seeded by {@link Builder#seed} (the
 * draws are reproducible for a given order of calls; concurrent callers may interleave differently between runs):
 * <ul>
 *   <li>throttling ({@link Builder#throttle}): answered without reaching upstream with the error the service
 *       really sends and the SDK classifies as a throttle: JSON protocols HTTP 400 {@code ThrottlingException}
 *       ({@code __type} and {@code x-amzn-ErrorType}), Lambda 429 {@code TooManyRequestsException}, query
 *       protocols 400 {@code <ErrorResponse><Error><Code>Throttling}, EC2 503 {@code RequestLimitExceeded}, S3
 *       503 {@code SlowDown};</li>
 *   <li>server errors ({@link Builder#serverError}): HTTP 500 {@code InternalFailure} / {@code InternalError} in
 *       the protocol's shape, without reaching upstream;</li>
 *   <li>dropped connections ({@link Builder#drop}): the connection is closed with no response; half of the
 *       drops happen <em>after</em> upstream has applied the call (the answer is lost), half before;</li>
 *   <li>latency ({@link Builder#latency}) added to every call;</li>
 *   <li>rate limits ({@link Builder#rateLimit}): token buckets per (region, service, operation) with a
 *       capacity, a refill rate and a cost per call (for example EC2's StopInstances resource bucket, one
 *       token per instance id); an empty bucket answers the throttling error.</li>
 * </ul>
 * Faults apply only to calls matching {@link Builder#faultsOn} (default: every call). Rates can be changed
 * while running ({@link #setFaults}).
 *
 * <p><strong>Observing</strong>: {@link #counts()} (calls by {@code service:operation}), {@link #faults()}
 * (throttled, serverError, dropped, rateLimited, forwarded), {@link #calls()} (every call, in arrival order).
 *
 * <p><strong>Canned answers</strong> ({@link #respondInstead}): the next n matching calls get a given answer
 * instead of reaching upstream.
 *
 * <p><strong>Holding a call</strong> ({@link #holdNth}): the k-th call matching a predicate (for example
 * {@link #RESOURCE_CHANGING}) is held, before or after it reached upstream, until {@link Hold#release()} or
 * {@link #close()}; the test waits with {@link Hold#awaitHeld} and can then kill the process that made it.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    private static final Set<String> JSON_SERVICES = Set.of("dynamodb", "ecs", "application-autoscaling", "states",
            "logs", "events", "kms", "secretsmanager", "sagemaker", "elasticmapreduce");
    private static final Set<String> STATE_SERVICES = Set.of("dynamodb", "s3", "sts");

    /**
     * A call that changes a resource the brake pauses: a Stop/Start/Update/Register/Suspend/Resume/Put/Delete
     * operation on EC2, RDS, ECS, Application Auto Scaling, Auto Scaling, Lambda or EKS, or a Pause/Resume/Stop/Start on
     * Redshift or SageMaker (never the snapshot store).
     */
    public static final Predicate<Call> RESOURCE_CHANGING = c -> !STATE_SERVICES.contains(c.service())
            && (Set.of("ec2", "rds", "ecs", "application-autoscaling", "autoscaling", "lambda", "eks").contains(c.service())
                    && c.operation().matches("(Stop|Start|Update|Register|Suspend|Resume|Put|Delete)[A-Za-z]*")
                    || Set.of("redshift", "sagemaker").contains(c.service())
                    && c.operation().matches("(Pause|Resume|Stop|Start)[A-Za-z]*"));

    /**
     * One call as the proxy saw it. {@code form} holds the query-protocol parameters (empty for others); {@code body}
     * the request body as text.
     */
    public record Call(long sequence, String service, String region, String operation, String method, String path,
            Map<String, String> form, String body) {
        /** How many form parameters start with {@code prefix} (e.g. {@code InstanceId.} for EC2 ids). */
        public int countParams(String prefix) {
            return (int) form.keySet().stream().filter(k -> k.startsWith(prefix)).count();
        }
    }

    /** Fault rates, each a probability in [0, 1]. */
    public record Faults(double throttle, double serverError, double drop) {
        public static final Faults NONE = new Faults(0, 0, 0);

        public Faults {
            for (double p : new double[] {throttle, serverError, drop}) {
                if (p < 0 || p > 1) {
                    throw new IllegalArgumentException("a fault probability must be in [0, 1]: " + p);
                }
            }
            if (throttle + serverError + drop > 1) {
                throw new IllegalArgumentException("fault probabilities add up to more than 1");
            }
        }
    }

    /** Where a held call waits: before it reaches upstream, or after upstream applied it (answer withheld). */
    public enum HoldPoint { BEFORE_FORWARD, AFTER_FORWARD }

    /** A call held by {@link #holdNth}. */
    public static final class Hold {
        private final int n;
        private final Predicate<Call> matches;
        private final HoldPoint point;
        private final AtomicInteger seen = new AtomicInteger();
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile Call call;

        private Hold(int n, Predicate<Call> matches, HoldPoint point) {
            this.n = n;
            this.matches = matches;
            this.point = point;
        }

        /** Waits until the n-th matching call is held; false if it did not come in time. */
        public boolean awaitHeld(Duration timeout) throws InterruptedException {
            return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The held call, once held. */
        public Call call() {
            return call;
        }

        /** How many matching calls arrived so far (including the held one). */
        public int matchingCalls() {
            return seen.get();
        }

        /** Lets the held call go on (its answer is sent if the caller still listens). */
        public void release() {
            released.countDown();
        }
    }

    /** A canned answer given instead of forwarding ({@link #respondInstead}). */
    public record Answer(int status, String contentType, String body) {
    }

    private record Replacement(Predicate<Call> which, AtomicInteger remaining, java.util.function.Function<Call, Answer> answer) {
    }

    private record Bucket(String service, String operation, double capacity, double refillPerSecond,
            ToIntFunction<Call> cost) {
    }

    private static final class BucketState {
        double tokens;
        long lastNanos;
    }

    private final java.util.function.Function<Call, URI> route;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random;
    private final long seed;
    private final Predicate<Call> faultsOn;
    private final Duration latency;
    private final List<Bucket> buckets;
    private final Map<String, BucketState> bucketStates = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> faultCounts = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Hold> holds = new CopyOnWriteArrayList<>();
    private final List<Replacement> replacements = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile Faults faults;

    private FaultProxy(Builder b) throws IOException {
        this.route = b.route;
        this.seed = b.seed;
        this.random = new Random(b.seed);
        this.faults = b.faults;
        this.faultsOn = b.faultsOn;
        this.latency = b.latency;
        this.buckets = List.copyOf(b.buckets);
        this.server = LoopbackForwarding.start("fault-proxy", 256, this::handle);
    }

    /** A proxy in front of {@code upstream} (moto's endpoint, or a stub's that forwards to moto). */
    public static Builder builder(URI upstream) {
        return new Builder(upstream);
    }

    /** Configures and starts a {@link FaultProxy}. */
    public static final class Builder {
        private final URI upstream;
        private long seed = 1;
        private Faults faults = Faults.NONE;
        private Predicate<Call> faultsOn = c -> true;
        private Duration latency = Duration.ZERO;
        private final List<Bucket> buckets = new java.util.ArrayList<>();
        private java.util.function.Function<Call, URI> route;

        private Builder(URI upstream) {
            this.upstream = Objects.requireNonNull(upstream);
            this.route = c -> this.upstream;
        }

        /**
         * Where each call goes (default: the one upstream). The account benchmark gives every region its own
         * emulator this way, as real regional endpoints are separate servers.
         */
        public Builder route(java.util.function.Function<Call, URI> route) {
            this.route = Objects.requireNonNull(route);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder throttle(double p) {
            faults = new Faults(p, faults.serverError(), faults.drop());
            return this;
        }

        public Builder serverError(double p) {
            faults = new Faults(faults.throttle(), p, faults.drop());
            return this;
        }

        public Builder drop(double p) {
            faults = new Faults(faults.throttle(), faults.serverError(), p);
            return this;
        }

        /** Only calls matching this get random faults and latency (rate limits and holds apply regardless). */
        public Builder faultsOn(Predicate<Call> which) {
            this.faultsOn = Objects.requireNonNull(which);
            return this;
        }

        public Builder latency(Duration perCall) {
            this.latency = Objects.requireNonNull(perCall);
            return this;
        }

        /**
         * A token bucket for {@code service}'s {@code operation} ({@code "*"} for every operation), one per region:
         * it starts full with {@code capacity} tokens and refills {@code refillPerSecond}; each call costs
         * {@code cost} tokens (at least 1 is needed in the bucket; a call costing more than remains is throttled).
         * Several buckets may cover one call: it passes only if every one has the tokens.
         */
        public Builder rateLimit(String service, String operation, double capacity, double refillPerSecond,
                ToIntFunction<Call> cost) {
            buckets.add(new Bucket(service, operation, capacity, refillPerSecond, cost));
            return this;
        }

        public FaultProxy start() {
            try {
                return new FaultProxy(this);
            } catch (IOException e) {
                throw new IllegalStateException("could not start the fault proxy: " + e.getMessage(), e);
            }
        }
    }

    /** The endpoint to give the SDK. */
    public URI endpoint() {
        return LoopbackForwarding.endpoint(server);
    }

    public long seed() {
        return seed;
    }

    /** Changes the fault rates from now on (for example none while seeding, then the faulty network). */
    public void setFaults(Faults faults) {
        this.faults = Objects.requireNonNull(faults);
    }

    /** Holds the n-th (1-based) call matching {@code which}, counted from now, at {@code point}. */
    public Hold holdNth(int n, Predicate<Call> which, HoldPoint point) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
        Hold h = new Hold(n, which, point);
        holds.add(h);
        return h;
    }

    /**
     * Answers the next {@code times} calls matching {@code which} with {@code answer} instead of forwarding them: for
     * answers moto never gives, such as DynamoDB BatchWriteItem leaving items unprocessed.
     */
    public void respondInstead(Predicate<Call> which, int times, java.util.function.Function<Call, Answer> answer) {
        replacements.add(new Replacement(which, new AtomicInteger(times), answer));
    }

    /** Calls by {@code service:operation}, sorted. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Injected faults by kind: throttled, serverError, dropped (before/after forwarding), rateLimited; and forwarded. */
    public Map<String, Long> faults() {
        Map<String, Long> out = new TreeMap<>();
        faultCounts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Every call so far, in arrival order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Forgets counts, calls, bucket levels, holds and canned answers (fault rates stay). */
    public void resetCounts() {
        counts.clear();
        faultCounts.clear();
        calls.clear();
        bucketStates.clear();
        holds.forEach(Hold::release);
        holds.clear();
        replacements.clear();
    }

    @Override
    public void close() {
        holds.forEach(Hold::release);
        LoopbackForwarding.stop(server);
    }

    // ---------------------------------------------------------------- handling

    /** Thrown from the handler to make the server close the connection without an answer. */
    private static final class Drop extends RuntimeException {
        Drop() {
            super("dropped by the fault proxy", null, false, false);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Call call = describe(ex, body);
            calls.add(call);
            counts.computeIfAbsent(call.service() + ":" + call.operation(), k -> new AtomicLong()).incrementAndGet();

            Hold hold = holdFor(call);
            if (hold != null && hold.point == HoldPoint.BEFORE_FORWARD) {
                waitHeld(hold, call);
            }
            for (Replacement r : replacements) {
                if (r.which().test(call) && r.remaining().getAndDecrement() > 0) {
                    Answer a = r.answer().apply(call);
                    count("replaced");
                    ex.getResponseHeaders().set("Content-Type", a.contentType());
                    send(ex, a.status(), a.body());
                    return;
                }
            }
            if (!buckets.isEmpty() && !takeTokens(call)) {
                count("rateLimited");
                throttle(ex, call);
                return;
            }
            boolean faulty = faultsOn.test(call);
            if (faulty && !latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            double draw;
            boolean dropAfter;
            synchronized (random) {
                draw = random.nextDouble();
                dropAfter = random.nextBoolean();
            }
            Faults f = faults;
            if (faulty && hold == null) {
                if (draw < f.throttle()) {
                    count("throttled");
                    throttle(ex, call);
                    return;
                }
                if (draw < f.throttle() + f.serverError()) {
                    count("serverError");
                    serverError(ex, call);
                    return;
                }
                if (draw < f.throttle() + f.serverError() + f.drop() && !dropAfter) {
                    count("droppedBeforeForward");
                    throw new Drop();
                }
            }
            HttpResponse<byte[]> r = LoopbackForwarding.forward(http, route.apply(call), ex, body, Duration.ofSeconds(120));
            count("forwarded");
            if (hold != null && hold.point == HoldPoint.AFTER_FORWARD) {
                waitHeld(hold, call);
            }
            if (faulty && hold == null && draw >= f.throttle() + f.serverError()
                    && draw < f.throttle() + f.serverError() + f.drop()) {
                count("droppedAfterForward");
                throw new Drop();
            }
            LoopbackForwarding.relay(ex, r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Drop();
        } finally {
            ex.close();
        }
    }

    private Hold holdFor(Call call) {
        for (Hold h : holds) {
            if (h.matches.test(call) && h.seen.incrementAndGet() == h.n) {
                return h;
            }
        }
        return null;
    }

    private static void waitHeld(Hold h, Call call) throws InterruptedException {
        h.call = call;
        h.held.countDown();
        h.released.await();
    }

    private void count(String kind) {
        faultCounts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    private boolean takeTokens(Call call) {
        List<Bucket> applicable = buckets.stream().filter(b -> b.service().equals(call.service())
                && (b.operation().equals("*") || b.operation().equals(call.operation()))).toList();
        if (applicable.isEmpty()) {
            return true;
        }
        synchronized (bucketStates) {
            long now = System.nanoTime();
            List<BucketState> states = new java.util.ArrayList<>();
            for (Bucket b : applicable) {
                BucketState s = bucketStates.computeIfAbsent(call.region() + "/" + b.service() + "/" + b.operation() + "/"
                        + System.identityHashCode(b), k -> {
                            BucketState fresh = new BucketState();
                            fresh.tokens = b.capacity();
                            fresh.lastNanos = now;
                            return fresh;
                        });
                s.tokens = Math.min(b.capacity(), s.tokens + (now - s.lastNanos) / 1e9 * b.refillPerSecond());
                s.lastNanos = now;
                if (s.tokens < Math.max(1, b.cost().applyAsInt(call))) {
                    return false;
                }
                states.add(s);
            }
            for (int i = 0; i < applicable.size(); i++) {
                states.get(i).tokens -= Math.max(1, applicable.get(i).cost().applyAsInt(call));
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- error shapes

    private static void throttle(HttpExchange ex, Call call) throws IOException {
        switch (protocol(call)) {
            case JSON -> json(ex, 400, "ThrottlingException", "Rate exceeded");
            case REST_JSON -> json(ex, 429, "TooManyRequestsException", "Rate exceeded");
            case EC2 -> xml(ex, 503, ec2Error("RequestLimitExceeded", "Request limit exceeded."));
            case S3 -> xml(ex, 503, s3Error("SlowDown", "Please reduce your request rate."));
            case QUERY -> xml(ex, 400, queryError("Sender", "Throttling", "Rate exceeded"));
        }
    }

    private static void serverError(HttpExchange ex, Call call) throws IOException {
        switch (protocol(call)) {
            case JSON, REST_JSON -> json(ex, 500, "InternalFailure", "injected by the fault proxy");
            case EC2 -> xml(ex, 500, ec2Error("InternalError", "injected by the fault proxy"));
            case S3 -> xml(ex, 500, s3Error("InternalError", "injected by the fault proxy"));
            case QUERY -> xml(ex, 500, queryError("Receiver", "InternalFailure", "injected by the fault proxy"));
        }
    }

    private enum Protocol { JSON, REST_JSON, EC2, S3, QUERY }

    private static Protocol protocol(Call call) {
        return switch (call.service()) {
            case "ec2" -> Protocol.EC2;
            case "s3" -> Protocol.S3;
            case "lambda", "es", "kafka" -> Protocol.REST_JSON; // es: OpenSearch Service, kafka: MSK
            default -> JSON_SERVICES.contains(call.service()) ? Protocol.JSON : Protocol.QUERY;
        };
    }

    private static String ec2Error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code + "</Code><Message>"
                + message + "</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>";
    }

    private static String s3Error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>fault-proxy</RequestId></Error>";
    }

    private static String queryError(String type, String code, String message) {
        return "<ErrorResponse><Error><Type>" + type + "</Type><Code>" + code + "</Code><Message>" + message
                + "</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>";
    }

    private static void json(HttpExchange ex, int status, String code, String message) throws IOException {
        ex.getResponseHeaders().set("x-amzn-ErrorType", code);
        ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        send(ex, status, "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }

    private static void xml(HttpExchange ex, int status, String body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/xml");
        send(ex, status, body);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    // ---------------------------------------------------------------- classifying calls

    private Call describe(HttpExchange ex, byte[] body) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String region = "unknown";
        String service = "unknown";
        Matcher m = auth == null ? null : SCOPE.matcher(auth);
        if (m != null && m.find()) {
            region = m.group(1);
            service = m.group(2);
        }
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = ex.getRequestURI().getRawPath();
        Map<String, String> form = Map.of();
        String operation;
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (target != null) {
            operation = target.substring(target.lastIndexOf('.') + 1);
        } else if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            form = form(new String(body, StandardCharsets.UTF_8));
            operation = form.getOrDefault("Action", method + " " + path);
        } else {
            operation = restOperation(service, method, path, ex.getRequestURI().getRawQuery());
        }
        return new Call(sequence.incrementAndGet(), service, region, operation, method, path, form,
                new String(body, StandardCharsets.UTF_8));
    }

    /**
     * The operation of a REST call, for the REST APIs the brake uses: S3 (path-style), Lambda, EKS and API Gateway (an
     * HTTP or WebSocket API's call marked {@code (v2)}, e.g. {@code GetStages (v2)}); anything else
     * is {@code "<METHOD> <path>"}.
     */
    public static String restOperation(String service, String method, String path, String query) {
        String q = query == null ? "" : query;
        if (service.equals("s3")) {
            if (path.equals("/") || path.isEmpty()) {
                return "ListBuckets";
            }
            String[] parts = path.replaceFirst("^/", "").split("/", 2);
            boolean object = parts.length == 2 && !parts[1].isEmpty();
            if (object) {
                return switch (method) {
                    case "GET" -> "GetObject";
                    case "PUT" -> "PutObject";
                    case "HEAD" -> "HeadObject";
                    case "DELETE" -> "DeleteObject";
                    default -> method + "Object";
                };
            }
            String sub = q.isEmpty() ? "" : q.split("[=&]", 2)[0];
            String bucketPart = switch (sub) {
                case "" -> "Bucket";
                case "list-type", "prefix", "delimiter", "max-keys" -> "Objects";
                case "versioning" -> "BucketVersioning";
                case "encryption" -> "BucketEncryption";
                case "publicAccessBlock" -> "PublicAccessBlock";
                case "policy" -> "BucketPolicy";
                case "versions" -> "ObjectVersions";
                default -> "Bucket:" + sub;
            };
            if (bucketPart.equals("Objects") || bucketPart.equals("ObjectVersions")) {
                return "List" + bucketPart;
            }
            return switch (method) {
                case "GET" -> "Get" + bucketPart;
                case "PUT" -> (bucketPart.equals("Bucket") ? "Create" : "Put") + bucketPart;
                case "HEAD" -> "Head" + bucketPart;
                case "DELETE" -> "Delete" + bucketPart;
                default -> method + bucketPart;
            };
        }
        if (service.equals("lambda")) {
            if (path.contains("/provisioned-concurrency")) {
                return switch (method) {
                    case "GET" -> q.contains("List=ALL") ? "ListProvisionedConcurrencyConfigs" : "GetProvisionedConcurrencyConfig";
                    case "PUT" -> "PutProvisionedConcurrencyConfig";
                    case "DELETE" -> "DeleteProvisionedConcurrencyConfig";
                    default -> method + " provisioned-concurrency";
                };
            }
            if (path.matches("/\\d{4}-\\d{2}-\\d{2}/functions/?")) {
                return method.equals("GET") ? "ListFunctions" : "CreateFunction";
            }
            if (path.endsWith("/configuration")) {
                return method.equals("GET") ? "GetFunctionConfiguration" : "UpdateFunctionConfiguration";
            }
            if (path.endsWith("/concurrency")) {
                return method.equals("GET") ? "GetFunctionConcurrency" : method.equals("PUT") ? "PutFunctionConcurrency"
                        : "DeleteFunctionConcurrency";
            }
            if (path.contains("/tags/")) {
                return method.equals("GET") ? "ListTags" : method.equals("POST") ? "TagResource" : "UntagResource";
            }
            if (path.matches("/\\d{4}-\\d{2}-\\d{2}/event-source-mappings/?")) {
                return method.equals("GET") ? "ListEventSourceMappings" : "CreateEventSourceMapping";
            }
            if (path.matches("/\\d{4}-\\d{2}-\\d{2}/event-source-mappings/[^/]+/?")) {
                return switch (method) {
                    case "GET" -> "GetEventSourceMapping";
                    case "PUT" -> "UpdateEventSourceMapping";
                    case "DELETE" -> "DeleteEventSourceMapping";
                    default -> method + " event-source-mapping";
                };
            }
            if (path.endsWith("/invocations")) {
                return "Invoke";
            }
            if (path.contains("/aliases")) {
                return method.equals("GET") ? "ListAliases" : method.equals("POST") ? "CreateAlias" : method + "Alias";
            }
            if (path.contains("/versions")) {
                return method.equals("GET") ? "ListVersionsByFunction" : "PublishVersion";
            }
            if (path.matches("/\\d{4}-\\d{2}-\\d{2}/functions/[^/]+/?")) {
                return method.equals("GET") ? "GetFunction" : method.equals("DELETE") ? "DeleteFunction" : method + "Function";
            }
        }
        if (service.equals("eks")) {
            if (path.matches("/clusters/?")) {
                return method.equals("GET") ? "ListClusters" : "CreateCluster";
            }
            if (path.matches("/clusters/[^/]+/node-groups/?")) {
                return method.equals("GET") ? "ListNodegroups" : "CreateNodegroup";
            }
            if (path.matches("/clusters/[^/]+/node-groups/[^/]+/update-config/?") && method.equals("POST")) {
                return "UpdateNodegroupConfig";
            }
            if (path.matches("/clusters/[^/]+/node-groups/[^/]+/?")) {
                return method.equals("GET") ? "DescribeNodegroup" : method.equals("DELETE") ? "DeleteNodegroup" : method + " node group";
            }
        }
        if (service.equals("apigateway")) {
            // REST APIs (/restapis/...) and HTTP/WebSocket APIs (/v2/apis/...) sign as the same service: v2's are marked
            boolean v2 = path.startsWith("/v2/");
            String p = v2 ? path.substring(3) : path;
            String suffix = v2 ? " (v2)" : "";
            String apis = v2 ? "apis" : "restapis";
            String named = null;
            if (p.matches("/" + apis + "/?")) {
                named = method.equals("GET") ? (v2 ? "GetApis" : "GetRestApis") : (v2 ? "CreateApi" : "CreateRestApi");
            } else if (p.matches("/" + apis + "/[^/]+/stages/?")) {
                named = method.equals("GET") ? "GetStages" : "CreateStage";
            } else if (p.matches("/" + apis + "/[^/]+/stages/[^/]+/?")) {
                named = switch (method) {
                    case "GET" -> "GetStage";
                    case "PATCH" -> "UpdateStage";
                    case "DELETE" -> "DeleteStage";
                    default -> method + "Stage";
                };
            } else if (p.matches("/" + apis + "/[^/]+/?")) {
                named = method.equals("GET") ? (v2 ? "GetApi" : "GetRestApi") : method + (v2 ? "Api" : "RestApi");
            } else if (!v2 && p.matches("/account/?")) {
                named = method.equals("GET") ? "GetAccount" : "UpdateAccount";
            }
            if (named != null) {
                return named + suffix;
            }
        }
        return method + " " + path;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }
}
