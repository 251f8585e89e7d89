package dev.awshitbreaks.cost;

import dev.awshitbreaks.cost.CostEstimator.Estimate;
import dev.awshitbreaks.services.stillbilling.StillBillingKind;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Hourly estimates of EBS volumes, public IPv4 addresses, NAT gateways, interface VPC endpoints, EKS control planes,
 * database storage and Kinesis provisioned shards.
 */
final class NetworkStoragePrices {
    private NetworkStoragePrices() {
    }

    static Estimate estimate(PriceBook book, StillBillingKind kind, String region, String type, Map<String, Object> basis) {
        return switch (kind) {
            case NAT_GATEWAY -> flat(book, PriceQuery.rate(PriceQuery.Product.NAT_GATEWAY_HOUR, region), "NAT gateway");
            default -> Estimate.unknown("no price for " + kind.label() + " yet");
        };
    }

    /** One hourly rate, as it is. */
    static Estimate flat(PriceBook book, PriceQuery q, String what) {
        return book.price(q).map(p -> CostEstimator.sum(List.of(p), BigDecimal.ONE))
                .orElseGet(() -> Estimate.unknown("no price known for a " + what + " in " + q.region()));
    }
}
