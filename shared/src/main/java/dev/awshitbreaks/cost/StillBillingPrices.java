package dev.awshitbreaks.cost;

import dev.awshitbreaks.cost.CostEstimator.Estimate;
import dev.awshitbreaks.services.stillbilling.StillBillingKind;
import java.util.Map;

/**
 * The hourly estimate of a still-billing row, by its kind ({@link CostBasis#STILL_BILLING_KIND}): what it costs per
 * hour while it exists, which a pause does not stop. A GB-month price is divided by 730 hours (design property 11's
 * month). Unknown, with the reason, when a price or a figure it needs is not known: never 0.
 */
final class StillBillingPrices {
    private StillBillingPrices() {
    }

    static Estimate estimate(PriceBook book, String region, String type, Map<String, Object> basis) {
        Object id = basis.get(CostBasis.STILL_BILLING_KIND);
        StillBillingKind kind = id == null ? null : StillBillingKind.fromId(id.toString()).orElse(null);
        if (kind == null) {
            return Estimate.unknown("still-billing kind not known: " + id);
        }
        return switch (kind) {
            case EBS_VOLUME, PUBLIC_IPV4, NAT_GATEWAY, VPC_ENDPOINT, EKS_CONTROL_PLANE, KINESIS_SHARDS, DB_STORAGE ->
                    NetworkStoragePrices.estimate(book, kind, region, type, basis);
            case LOAD_BALANCER, ELASTICACHE -> QueryApiPrices.estimate(book, kind, region, type, basis);
            case OPENSEARCH, MSK, SAGEMAKER_ENDPOINT, EMR -> AnalyticsPrices.estimate(book, kind, region, type, basis);
        };
    }
}
