package dev.awshitbreaks.cost;

import dev.awshitbreaks.cost.CostEstimator.Estimate;
import dev.awshitbreaks.services.stillbilling.StillBillingKind;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Hourly estimates of load balancers and ElastiCache caches ({@link StillBillingPrices} gives this class those kinds):
 * <ul>
 *   <li>a load balancer: its type's hourly rate ({@link PriceQuery.Product#LOAD_BALANCER_HOUR}: application, network,
 *       gateway, classic); its capacity units (LCU, NLCU, GLCU) and a classic one's data processed are usage-based and
 *       not in the figure (the row's hint says so);</li>
 *   <li>a node-based ElastiCache cluster: its node type's on-demand rate ({@link PriceQuery.Product#ELASTICACHE_NODE},
 *       the Redis OSS and Memcached price) x its number of nodes; a Valkey cluster (priced lower than the others) is
 *       unknown with the reason, as is a serverless cache (billed by data stored and ECPUs, not by the hour).</li>
 * </ul>
 */
final class QueryApiPrices {
    private QueryApiPrices() {
    }

    static Estimate estimate(PriceBook book, StillBillingKind kind, String region, String type, Map<String, Object> basis) {
        return switch (kind) {
            case LOAD_BALANCER -> loadBalancer(book, region, basis);
            case ELASTICACHE -> elastiCache(book, region, basis);
            default -> Estimate.unknown("no price for " + kind.label() + " here");
        };
    }

    private static Estimate loadBalancer(PriceBook book, String region, Map<String, Object> b) {
        String lbType = CostEstimator.text(b.get(CostBasis.LOAD_BALANCER_TYPE), null);
        if (lbType == null) {
            return Estimate.unknown("the load balancer's type not known");
        }
        return book.price(PriceQuery.typed(PriceQuery.Product.LOAD_BALANCER_HOUR, region, lbType))
                .map(p -> CostEstimator.sum(List.of(p), BigDecimal.ONE))
                .orElseGet(() -> Estimate.unknown("no hourly price known for a " + lbType + " load balancer in " + region));
    }

    private static Estimate elastiCache(PriceBook book, String region, Map<String, Object> b) {
        String engine = CostEstimator.text(b.get(CostBasis.ENGINE), null);
        if (Boolean.TRUE.equals(b.get(CostBasis.SERVERLESS))) {
            return Estimate.unknown("usage-based: ElastiCache Serverless bills per GB-hour of data stored (at least "
                    + ("valkey".equals(engine) ? "100 MB" : "1 GB") + ") and per ECPU used, not by the hour");
        }
        String nodeType = CostEstimator.text(b.get(CostBasis.NODE_TYPE), null);
        BigDecimal nodes = CostEstimator.decimal(b.get(CostBasis.NUMBER_OF_NODES));
        if (nodeType == null || nodes == null) {
            return Estimate.unknown("the cluster's node type or number of nodes not known");
        }
        if ("valkey".equals(engine)) {
            return Estimate.unknown("Valkey nodes are priced below Redis OSS and Memcached ones; no Valkey price for "
                    + nodeType + " in " + region);
        }
        return book.price(PriceQuery.typed(PriceQuery.Product.ELASTICACHE_NODE, region, nodeType))
                .map(p -> CostEstimator.sum(List.of(p), nodes))
                .orElseGet(() -> Estimate.unknown("no on-demand price known for ElastiCache node type " + nodeType + " in " + region));
    }
}
