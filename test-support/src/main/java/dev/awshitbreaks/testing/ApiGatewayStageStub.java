package dev.awshitbreaks.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * <strong>A STUB of what moto 5.2.5 lacks or drops</strong> of API Gateway stage throttling, in AWS's documented REST
 * shape, forwarding every other request, unchanged, to a real moto server (CreateRestApi, CreateDeployment,
 * CreateStage, GetRestApis, GetAccount, CreateApi, GetApis, CreateStage v2 and the rest are moto's own):
 * <ul>
 *   <li><b>REST stages' method settings</b> ({@code methodSettings} of GetStage and GetStages, and UpdateStage's
 *       operations on {@code /{resourcePath}/{httpMethod}/...}): moto holds {@code replace}, but creates a new
 *       method setting with throttling 1000/2000 instead of AWS's 10000/5000 and silently drops
 *       {@code remove /{resourcePath}/{httpMethod}} (it removes only {@code /accessLogSettings}). The stub holds
 *       every stage's method settings itself: {@code replace} of metrics/enabled, logging/loglevel,
 *       logging/dataTrace, throttling/burstLimit, throttling/rateLimit, caching/enabled, caching/ttlInSeconds,
 *       caching/dataEncrypted, caching/requireAuthorizationForCacheControl,
 *       caching/unauthorizedCacheControlHeaderStrategy (a new key gets {@link #REST_DEFAULTS}), and {@code remove}
 *       of a whole key (400 when there is none); other operations of the same UpdateStage go to moto.</li>
 *   <li><b>HTTP and WebSocket stages' UpdateStage</b> ({@code PATCH /v2/apis/{apiId}/stages/{stageName}}), which
 *       moto does not implement at all: the stub holds DefaultRouteSettings and RouteSettings, each field given
 *       replacing that field (a route's settings per route key), and shows them in GetStage and GetStages. Other
 *       UpdateStage fields are refused (400), as the stub does not hold them.</li>
 * </ul>
 * The stage is checked against moto (GetStage) on every UpdateStage: an unknown one is moto's own 404. State is in
 * memory, per region (the request's SigV4 credential scope), forgotten when moto's stage or API is deleted through
 * the stub; {@link #reset} clears it. Test scope only.
 */
public final class ApiGatewayStageStub implements AutoCloseable {
    private static final Pattern REST_STAGE = Pattern.compile("^/restapis/([^/]+)/stages/([^/]+)/?$");
    private static final Pattern REST_STAGES = Pattern.compile("^/restapis/([^/]+)/stages/?$");
    private static final Pattern REST_API = Pattern.compile("^/restapis/([^/]+)/?$");
    private static final Pattern V2_STAGE = Pattern.compile("^/v2/apis/([^/]+)/stages/([^/]+)/?$");
    private static final Pattern V2_STAGES = Pattern.compile("^/v2/apis/([^/]+)/stages/?$");
    private static final Pattern V2_API = Pattern.compile("^/v2/apis/([^/]+)/?$");
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/([^/]+)/");
    /** Stage-level patch paths (first segment) that are not method settings: moto's. */
    private static final Set<String> STAGE_FIELDS = Set.of("deploymentId", "description", "cacheClusterEnabled",
            "cacheClusterSize", "clientCertificateId", "accessLogSettings", "variables", "tracingEnabled", "canarySettings",
            "documentationVersion", "webAclArn");
    /** The method-setting patch sub-paths AWS documents, and the MethodSetting field each sets. */
    private static final Map<String, String> SETTING_FIELDS = Map.of(
            "metrics/enabled", "metricsEnabled",
            "logging/loglevel", "loggingLevel",
            "logging/dataTrace", "dataTraceEnabled",
            "throttling/burstLimit", "throttlingBurstLimit",
            "throttling/rateLimit", "throttlingRateLimit",
            "caching/enabled", "cachingEnabled",
            "caching/ttlInSeconds", "cacheTtlInSeconds",
            "caching/dataEncrypted", "cacheDataEncrypted",
            "caching/requireAuthorizationForCacheControl", "requireAuthorizationForCacheControl",
            "caching/unauthorizedCacheControlHeaderStrategy", "unauthorizedCacheControlHeaderStrategy");
    /** A new method setting as AWS fills it: the default account-level throttle, everything else off. */
    public static final String REST_DEFAULTS = "{\"metricsEnabled\":false,\"loggingLevel\":\"OFF\",\"dataTraceEnabled\":false,"
            + "\"throttlingBurstLimit\":5000,\"throttlingRateLimit\":10000.0,\"cachingEnabled\":false,\"cacheTtlInSeconds\":300,"
            + "\"cacheDataEncrypted\":false,\"requireAuthorizationForCacheControl\":true,"
            + "\"unauthorizedCacheControlHeaderStrategy\":\"SUCCEED_WITH_RESPONSE_HEADER\"}";
    private static final Set<String> V2_FIELDS = Set.of("defaultRouteSettings", "routeSettings");

    private final ObjectMapper json = new ObjectMapper();
    private final URI moto;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** region/apiId/stageName -> REST methodSettings object. */
    private final Map<String, ObjectNode> methodSettings = new HashMap<>();
    /** region/apiId/stageName -> v2 {defaultRouteSettings, routeSettings}. */
    private final Map<String, ObjectNode> routeSettings = new HashMap<>();

    private ApiGatewayStageStub(URI moto) throws IOException {
        this.moto = moto;
        this.server = LoopbackForwarding.start("apigateway-stage-stub", 0, this::handle);
    }

    /** Starts the stub in front of {@code moto} (a moto server, or another stub forwarding to one). */
    public static ApiGatewayStageStub start(URI moto) {
        try {
            return new ApiGatewayStageStub(moto);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the API Gateway stage stub: " + e.getMessage(), e);
        }
    }

    /** The endpoint to give the SDK instead of moto's. */
    public URI endpoint() {
        return LoopbackForwarding.endpoint(server);
    }

    /** Forgets every stage's settings (moto is reset separately). */
    public synchronized void reset() {
        methodSettings.clear();
        routeSettings.clear();
    }

    @Override
    public void close() {
        LoopbackForwarding.stop(server);
    }

    // ---------------------------------------------------------------- dispatch

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            byte[] body = ex.getRequestBody().readAllBytes();
            Matcher m;
            if ((m = REST_STAGE.matcher(path)).matches()) {
                String key = key(ex, m.group(1), decode(m.group(2)));
                switch (method) {
                    case "PATCH" -> restUpdate(ex, key, body);
                    case "GET" -> relayWith(ex, forward(ex, body), n -> overlayRest(key, n));
                    case "DELETE" -> forgetOnSuccess(ex, body, key);
                    default -> relay(ex, forward(ex, body));
                }
            } else if ((m = REST_STAGES.matcher(path)).matches() && "GET".equals(method)) {
                String api = key(ex, m.group(1), "");
                relayWith(ex, forward(ex, body), n -> eachItem(n, "item", s -> overlayRest(api + s.path("stageName").asText(), s)));
            } else if ((m = V2_STAGE.matcher(path)).matches()) {
                String key = key(ex, m.group(1), decode(m.group(2)));
                switch (method) {
                    case "PATCH" -> v2Update(ex, key, body);
                    case "GET" -> relayWith(ex, forward(ex, body), n -> overlayV2(key, n));
                    case "DELETE" -> forgetOnSuccess(ex, body, key);
                    default -> relay(ex, forward(ex, body));
                }
            } else if ((m = V2_STAGES.matcher(path)).matches() && "GET".equals(method)) {
                String api = key(ex, m.group(1), "");
                relayWith(ex, forward(ex, body), n -> eachItem(n, "items", s -> overlayV2(api + s.path("stageName").asText(), s)));
            } else if (((m = REST_API.matcher(path)).matches() || (m = V2_API.matcher(path)).matches()) && "DELETE".equals(method)) {
                forgetOnSuccess(ex, body, key(ex, m.group(1), ""));
            } else {
                relay(ex, forward(ex, body));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(ex, 500, "ServiceException", e.toString());
        } finally {
            ex.close();
        }
    }

    // ---------------------------------------------------------------- REST

    private void restUpdate(HttpExchange ex, String key, byte[] body) throws IOException, InterruptedException {
        HttpResponse<byte[]> stage = get(ex);
        if (stage.statusCode() != 200) {
            relay(ex, stage);
            return;
        }
        JsonNode request = json.readTree(body);
        ArrayNode toMoto = json.createArrayNode();
        ObjectNode settings;
        synchronized (this) {
            settings = methodSettings.getOrDefault(key, json.createObjectNode()).deepCopy();
        }
        for (JsonNode op : request.path("patchOperations")) {
            String path = op.path("path").asText();
            String[] parts = path.startsWith("/") ? path.substring(1).split("/", 3) : new String[0];
            if (parts.length < 2 || STAGE_FIELDS.contains(parts[0])) {
                toMoto.add(op);
                continue;
            }
            String settingKey = parts[0] + "/" + parts[1];
            String verb = op.path("op").asText();
            if (parts.length == 2 && "remove".equals(verb)) {
                if (settings.remove(settingKey) == null) {
                    send(ex, 400, "BadRequestException", "Cannot remove method setting " + settingKey
                            + " because there is no method setting for this method ");
                    return;
                }
                continue;
            }
            String field = parts.length == 3 ? SETTING_FIELDS.get(parts[2]) : null;
            if (field == null || !"replace".equals(verb)) {
                send(ex, 400, "BadRequestException", "Invalid method setting path: " + path);
                return;
            }
            ObjectNode setting = settings.has(settingKey) ? (ObjectNode) settings.get(settingKey)
                    : (ObjectNode) json.readTree(REST_DEFAULTS);
            String value = op.path("value").asText();
            try {
                switch (field) {
                    case "throttlingBurstLimit", "cacheTtlInSeconds" -> setting.put(field, Integer.parseInt(value));
                    case "throttlingRateLimit" -> setting.put(field, Double.parseDouble(value));
                    case "loggingLevel", "unauthorizedCacheControlHeaderStrategy" -> setting.put(field, value);
                    default -> setting.put(field, Boolean.parseBoolean(value));
                }
            } catch (NumberFormatException e) {
                send(ex, 400, "BadRequestException", "Invalid value for " + path + ": " + value);
                return;
            }
            settings.set(settingKey, setting);
        }
        HttpResponse<byte[]> after = stage;
        if (!toMoto.isEmpty()) {
            ObjectNode rest = json.createObjectNode();
            rest.set("patchOperations", toMoto);
            after = forward(ex, json.writeValueAsBytes(rest));
            if (after.statusCode() != 200) {
                relay(ex, after);
                return;
            }
        }
        synchronized (this) {
            methodSettings.put(key, settings);
        }
        relayWith(ex, after, n -> overlayRest(key, n));
    }

    private synchronized void overlayRest(String key, JsonNode stage) {
        if (stage instanceof ObjectNode o) {
            o.set("methodSettings", methodSettings.getOrDefault(key, json.createObjectNode()).deepCopy());
        }
    }

    // ---------------------------------------------------------------- HTTP and WebSocket

    private void v2Update(HttpExchange ex, String key, byte[] body) throws IOException, InterruptedException {
        HttpResponse<byte[]> stage = get(ex);
        if (stage.statusCode() != 200) {
            relay(ex, stage);
            return;
        }
        JsonNode request = json.readTree(body);
        for (Iterator<String> it = request.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!V2_FIELDS.contains(f)) {
                send(ex, 400, "BadRequestException", "the API Gateway stage stub holds only defaultRouteSettings and "
                        + "routeSettings; UpdateStage field " + f + " is not stubbed");
                return;
            }
        }
        ObjectNode held;
        synchronized (this) {
            held = routeSettings.get(key);
        }
        if (held == null) {
            JsonNode seen = json.readTree(stage.body());
            held = json.createObjectNode();
            held.set("defaultRouteSettings", seen.path("defaultRouteSettings").isObject()
                    ? seen.get("defaultRouteSettings").deepCopy() : json.createObjectNode());
            held.set("routeSettings", seen.path("routeSettings").isObject()
                    ? seen.get("routeSettings").deepCopy() : json.createObjectNode());
        } else {
            held = held.deepCopy();
        }
        if (request.path("defaultRouteSettings").isObject()) {
            ((ObjectNode) held.get("defaultRouteSettings")).setAll((ObjectNode) request.get("defaultRouteSettings"));
        }
        if (request.path("routeSettings").isObject()) {
            ObjectNode routes = (ObjectNode) held.get("routeSettings");
            for (Iterator<Map.Entry<String, JsonNode>> it = request.get("routeSettings").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                ObjectNode was = routes.path(e.getKey()).isObject() ? (ObjectNode) routes.get(e.getKey()) : json.createObjectNode();
                if (e.getValue().isObject()) {
                    was.setAll((ObjectNode) e.getValue());
                }
                routes.set(e.getKey(), was);
            }
        }
        synchronized (this) {
            routeSettings.put(key, held);
        }
        relayWith(ex, stage, n -> overlayV2(key, n));
    }

    private synchronized void overlayV2(String key, JsonNode stage) {
        ObjectNode held = routeSettings.get(key);
        if (held != null && stage instanceof ObjectNode o) {
            o.set("defaultRouteSettings", held.get("defaultRouteSettings").deepCopy());
            o.set("routeSettings", held.get("routeSettings").deepCopy());
        }
    }

    // ---------------------------------------------------------------- moto

    private HttpResponse<byte[]> forward(HttpExchange ex, byte[] body) throws IOException, InterruptedException {
        return LoopbackForwarding.forward(http, moto, ex, body, Duration.ofSeconds(60));
    }

    /** moto's GetStage for the stage of this request. */
    private HttpResponse<byte[]> get(HttpExchange ex) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(moto.toString() + ex.getRequestURI().getRawPath()))
                .GET().timeout(Duration.ofSeconds(20));
        LoopbackForwarding.copyRequestHeaders(ex, b);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void forgetOnSuccess(HttpExchange ex, byte[] body, String keyPrefix) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = forward(ex, body);
        if (r.statusCode() / 100 == 2) {
            synchronized (this) {
                methodSettings.keySet().removeIf(k -> k.equals(keyPrefix) || (keyPrefix.endsWith("/") && k.startsWith(keyPrefix)));
                routeSettings.keySet().removeIf(k -> k.equals(keyPrefix) || (keyPrefix.endsWith("/") && k.startsWith(keyPrefix)));
            }
        }
        relay(ex, r);
    }

    // ---------------------------------------------------------------- helpers

    private interface Overlay {
        void apply(JsonNode node);
    }

    /** Relays moto's answer, its JSON body changed by {@code overlay} when it is a 200. */
    private void relayWith(HttpExchange ex, HttpResponse<byte[]> r, Overlay overlay) throws IOException {
        if (r.statusCode() != 200) {
            relay(ex, r);
            return;
        }
        JsonNode n = json.readTree(r.body());
        overlay.apply(n);
        sendJson(ex, 200, json.writeValueAsBytes(n));
    }

    private static void eachItem(JsonNode list, String field, Overlay each) {
        for (JsonNode s : list.path(field)) {
            each.apply(s);
        }
    }

    private static void relay(HttpExchange ex, HttpResponse<byte[]> r) throws IOException {
        LoopbackForwarding.relay(ex, r);
    }

    private static void sendJson(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** An API Gateway REST-JSON error: the code in {@code x-amzn-ErrorType}, the message in the body. */
    private void send(HttpExchange ex, int status, String code, String message) throws IOException {
        ex.getResponseHeaders().set("x-amzn-ErrorType", code);
        ObjectNode body = json.createObjectNode();
        body.put("message", message);
        sendJson(ex, status, json.writeValueAsBytes(body));
    }

    /** region/apiId/stageName (or region/apiId/ for a whole API). */
    private static String key(HttpExchange ex, String apiId, String stageName) {
        return region(ex) + "/" + apiId + "/" + stageName;
    }

    private static String region(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Matcher m = auth == null ? null : SCOPE.matcher(auth);
        if (m == null || !m.find()) {
            throw new IllegalStateException("request without a SigV4 Authorization header");
        }
        return m.group(1);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The stub's held settings of every stage, for a test's own look (region/apiId/stageName -> JSON). */
    public synchronized Map<String, String> held() {
        Map<String, String> out = new TreeMap<>();
        methodSettings.forEach((k, v) -> out.put(k, v.toString()));
        routeSettings.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }
}
