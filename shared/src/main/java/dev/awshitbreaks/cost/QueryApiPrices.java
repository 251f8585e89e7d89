package dev.awshitbreaks.cost;

import dev.awshitbreaks.cost.CostEstimator.Estimate;
import dev.awshitbreaks.services.stillbilling.StillBillingKind;
import java.util.Map;

/** Hourly estimates of the still-billing kinds {@link StillBillingPrices} gives this class. */
final class QueryApiPrices {
    private QueryApiPrices() {
    }

    static Estimate estimate(PriceBook book, StillBillingKind kind, String region, String type, Map<String, Object> basis) {
        return Estimate.unknown("no price for " + kind.label() + " yet");
    }
}
