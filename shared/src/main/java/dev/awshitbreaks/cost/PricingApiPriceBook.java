package dev.awshitbreaks.cost;

import dev.awshitbreaks.aws.SignedJsonCall;
import dev.awshitbreaks.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * On-demand prices from the AWS Pricing API ({@code pricing:GetProducts}, a SigV4-signed JSON call; the
 * SDK's pricing module is not available to this build, so this is the one call made by hand over the
 * product's one HTTP client). EC2 (Linux, shared tenancy, no pre-installed software) and RDS/Aurora
 * (MySQL, PostgreSQL, MariaDB and the Aurora engines, by deployment) are asked; Fargate and Lambda rates
 * are left to the bundled table.
 *
 * <p>Answers are cached per JVM and endpoint, known and unknown alike. The first failure of a call
 * (unreachable, refused, throttled, an error status, an unreadable answer) turns the API off for that
 * endpoint for the rest of the JVM: a failing endpoint costs one attempt per JVM, not one per resource.
 */
public final class PricingApiPriceBook implements PriceBook {
    public static final String SOURCE = "pricing-api";
    /** Regions with a Pricing API endpoint. */
    public static final List<String> ENDPOINT_REGIONS = List.of("us-east-1", "ap-south-1", "eu-central-1");
    private static final int MAX_PAGES = 3;

    /** Per endpoint, for the whole JVM: the answers, and why it was turned off (null while it works). */
    private static final class EndpointState {
        final Map<PriceQuery, Optional<Price>> answers = new ConcurrentHashMap<>();
        volatile String off;
        int calls;
    }

    private static final Map<String, EndpointState> STATES = new ConcurrentHashMap<>();

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String region;
    private final EndpointState state;

    /**
     * @param endpointOverride where to send the call (moto, LocalStack, a stub), or null for AWS
     * @param region one of {@link #ENDPOINT_REGIONS}
     */
    public PricingApiPriceBook(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpointOverride, String region) {
        if (!ENDPOINT_REGIONS.contains(region)) {
            throw new IllegalArgumentException("the Pricing API has no endpoint in '" + region + "'; use one of " + ENDPOINT_REGIONS);
        }
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpointOverride != null ? endpointOverride : URI.create("https://api.pricing." + region + ".amazonaws.com");
        this.state = STATES.computeIfAbsent(endpoint.toString(), k -> new EndpointState());
    }

    /** Why this endpoint is off for this JVM, if it is. */
    public Optional<String> off() {
        return Optional.ofNullable(state.off);
    }

    /** How many GetProducts calls this JVM has made to this endpoint. */
    public int calls() {
        synchronized (state) {
            return state.calls;
        }
    }

    /** Forgets every endpoint's answers and failures (tests). */
    public static void resetForTests() {
        STATES.clear();
    }

    @Override
    public Optional<Price> price(PriceQuery q) {
        Map<String, String> filters = filters(q);
        if (filters == null) {
            return Optional.empty();
        }
        Optional<Price> known = state.answers.get(q);
        if (known != null) {
            return known;
        }
        synchronized (state) { // one call at a time per endpoint: a failure is seen before anyone tries again
            known = state.answers.get(q);
            if (known != null) {
                return known;
            }
            if (state.off != null) {
                return Optional.empty();
            }
            try {
                Optional<Price> answer = ask(q, filters);
                state.answers.put(q, answer);
                return answer;
            } catch (RuntimeException e) {
                state.off = e.getClass().getSimpleName() + ": " + e.getMessage();
                return Optional.empty();
            }
        }
    }

    /** The GetProducts filters for a query, or null when the API is not asked for it. */
    static Map<String, String> filters(PriceQuery q) {
        Map<String, String> f = new LinkedHashMap<>();
        switch (q.product()) {
            case EC2_INSTANCE -> {
                if (q.type() == null) {
                    return null;
                }
                f.put("ServiceCode", "AmazonEC2");
                f.put("regionCode", q.region());
                f.put("instanceType", q.type());
                f.put("operatingSystem", "Linux");
                f.put("tenancy", "Shared");
                f.put("preInstalledSw", "NA");
                f.put("capacitystatus", "Used");
            }
            case RDS_INSTANCE, AURORA_INSTANCE -> {
                String engine = databaseEngine(q.engine());
                if (q.type() == null || engine == null) {
                    return null;
                }
                f.put("ServiceCode", "AmazonRDS");
                f.put("regionCode", q.region());
                f.put("instanceType", q.type());
                f.put("databaseEngine", engine);
                f.put("deploymentOption", q.multiAz() ? "Multi-AZ" : "Single-AZ");
            }
            default -> {
                return null;
            }
        }
        return f;
    }

    /** The Pricing API's databaseEngine for an RDS engine name; null for engines priced with licences. */
    static String databaseEngine(String rdsEngine) {
        if (rdsEngine == null) {
            return null;
        }
        return switch (rdsEngine.toLowerCase(Locale.ROOT)) {
            case "mysql" -> "MySQL";
            case "postgres" -> "PostgreSQL";
            case "mariadb" -> "MariaDB";
            case "aurora", "aurora-mysql" -> "Aurora MySQL";
            case "aurora-postgresql" -> "Aurora PostgreSQL";
            default -> null;
        };
    }

    private Optional<Price> ask(PriceQuery q, Map<String, String> filters) {
        TreeSet<BigDecimal> prices = new TreeSet<>();
        String token = null;
        int pages = 0;
        do {
            String body = call(requestBody(filters, token));
            prices.addAll(GetProductsParser.hourlyPrices(body));
            token = GetProductsParser.nextToken(body);
        } while (token != null && ++pages < MAX_PAGES);
        return prices.size() == 1 ? Optional.of(new Price(prices.first(), SOURCE)) : Optional.empty();
    }

    static String requestBody(Map<String, String> filters, String nextToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ServiceCode", filters.get("ServiceCode"));
        List<Map<String, String>> list = new ArrayList<>();
        filters.forEach((k, v) -> {
            if (!k.equals("ServiceCode")) {
                list.add(Map.of("Type", "TERM_MATCH", "Field", k, "Value", v));
            }
        });
        body.put("Filters", list);
        body.put("FormatVersion", "aws_v1");
        body.put("MaxResults", 100);
        if (nextToken != null) {
            body.put("NextToken", nextToken);
        }
        return Json.write(body);
    }

    private String call(String json) {
        state.calls++;
        try {
            SignedJsonCall.Answer answer = SignedJsonCall.post(http, credentials, endpoint, "pricing", region,
                    "AWSPriceListService.GetProducts", json);
            String body = answer.body();
            int status = answer.status();
            if (status != 200) {
                throw new IllegalStateException("GetProducts answered HTTP " + status + " from " + endpoint + ": "
                        + body.substring(0, Math.min(200, body.length())));
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("GetProducts could not reach " + endpoint + ": " + e.getMessage(), e);
        }
    }
}
