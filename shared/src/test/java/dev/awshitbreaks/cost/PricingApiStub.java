package dev.awshitbreaks.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.awshitbreaks.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * <strong>A STUB of an API moto lacks</strong>: the AWS Pricing API's GetProducts (moto 5.2.5 has no Pricing
 * API). It serves the documented JSON 1.1 shape on loopback ({@code POST /}, header
 * {@code X-Amz-Target: AWSPriceListService.GetProducts}) and answers with real GetProducts response
 * documents from {@code src/test/resources/pricing/}, chosen by the request's TERM_MATCH filters
 * (regionCode, instanceType, databaseEngine, deploymentOption); a product it has no document for gets an
 * empty {@code PriceList}, as AWS answers. {@link #failing} answers every call HTTP 500. Every request is
 * kept for the test to inspect.
 */
final class PricingApiStub implements AutoCloseable {
    /** One request as received: its headers (lower-case names) and its JSON body. */
    record Received(Map<String, String> headers, JsonNode body) {
        String filter(String field) {
            for (JsonNode f : body.path("Filters")) {
                if (f.path("Field").asText().equals(field)) {
                    return f.path("Value").asText();
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final boolean failing;
    final List<Received> received = new CopyOnWriteArrayList<>();

    private PricingApiStub(boolean failing) {
        this.failing = failing;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    static PricingApiStub serving() {
        return new PricingApiStub(false);
    }

    static PricingApiStub failing() {
        return new PricingApiStub(true);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] in = ex.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            JsonNode body = in.length == 0 ? Json.mapper().createObjectNode() : Json.mapper().readTree(in);
            Received r = new Received(headers, body);
            received.add(r);
            if (failing) {
                send(ex, 500, "{\"__type\":\"InternalFailure\",\"message\":\"stub: failing on purpose\"}");
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())
                    || !"AWSPriceListService.GetProducts".equals(headers.get("x-amz-target"))) {
                send(ex, 400, "{\"__type\":\"UnknownOperationException\"}");
                return;
            }
            String file = file(r);
            String answer;
            try (InputStream doc = file == null ? null : PricingApiStub.class.getResourceAsStream("/pricing/" + file)) {
                answer = doc == null ? "{\"FormatVersion\":\"aws_v1\",\"NextToken\":null,\"PriceList\":[]}"
                        : new String(doc.readAllBytes(), StandardCharsets.UTF_8);
            }
            send(ex, 200, answer);
        }
    }

    /** The document that answers a request, by the names the files have. */
    private static String file(Received r) {
        String region = r.filter("regionCode");
        String type = r.filter("instanceType");
        if (region == null || type == null) {
            return null;
        }
        String service = r.body().path("ServiceCode").asText();
        if (service.equals("AmazonEC2")) {
            return "ec2-" + type + "-" + region + ".json";
        }
        if (service.equals("AmazonRDS") && r.filter("databaseEngine") != null && r.filter("deploymentOption") != null) {
            return "rds-" + type + "-" + r.filter("databaseEngine").toLowerCase(Locale.ROOT).replace(' ', '-') + "-"
                    + r.filter("deploymentOption").toLowerCase(Locale.ROOT) + "-" + region + ".json";
        }
        return null;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
