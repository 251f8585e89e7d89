package dev.awshitbreaks.cost;

import dev.awshitbreaks.aws.AwsClients;
import java.util.Locale;
import java.util.Map;

/** The price books the product uses. */
public final class PriceBooks {
    /** {@code off} (or {@code false}, {@code 0}) prices from the bundled table alone, with no Pricing API call. */
    public static final String PRICING_API_ENV = "HITBREAKS_PRICING_API";
    /** The Pricing API endpoint's region: us-east-1 (default), ap-south-1 or eu-central-1. */
    public static final String PRICING_REGION_ENV = "HITBREAKS_PRICING_REGION";

    private PriceBooks() {
    }

    /** The bundled table only: no network. */
    public static PriceBook bundled() {
        return BundledPriceBook.load();
    }

    /**
     * The Pricing API, unless {@value #PRICING_API_ENV} turns it off, before the bundled table. With an
     * endpoint override (moto, LocalStack) the call goes to that endpoint, like every other call: moto has
     * no Pricing API and answers an error, so the table answers after one failed call.
     */
    public static PriceBook forEnvironment(AwsClients clients, Map<String, String> env) {
        if (!pricingApiEnabled(env)) {
            return bundled();
        }
        String region = env.getOrDefault(PRICING_REGION_ENV, "us-east-1").trim();
        if (!PricingApiPriceBook.ENDPOINT_REGIONS.contains(region)) {
            throw new dev.awshitbreaks.core.InvalidRequestException("invalid " + PRICING_REGION_ENV + " '" + region
                    + "': the Pricing API has endpoints in " + String.join(", ", PricingApiPriceBook.ENDPOINT_REGIONS));
        }
        return new PricingApiPriceBook(clients.httpClient(), clients.credentialsProvider(),
                clients.settings().endpoint().orElse(null), region).orElse(bundled());
    }

    public static boolean pricingApiEnabled(Map<String, String> env) {
        String v = env.get(PRICING_API_ENV);
        if (v == null) {
            return true;
        }
        return !switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "off", "false", "0", "no", "disabled" -> true;
            default -> false;
        };
    }
}
