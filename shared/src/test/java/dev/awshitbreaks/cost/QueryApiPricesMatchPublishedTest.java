package dev.awshitbreaks.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.stillbilling.StillBillingKind;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The bundled still-billing rows of load balancers and ElastiCache nodes against the prices AWS publishes. AWS's own
 * pricing pages (https://aws.amazon.com/elasticloadbalancing/pricing/, https://aws.amazon.com/elasticache/pricing/)
 * render their tables by script, so the figures are cited from third-party pages that reproduce them, named at each
 * assertion; every bundled row of these products is asserted here, none left unchecked.
 */
class QueryApiPricesMatchPublishedTest {
    private final BundledPriceBook table = BundledPriceBook.load();

    @Test
    void loadBalancerHourlyRatesAreThePublishedOnes() {
        // https://aws.amazon.com/elasticloadbalancing/pricing/ (by script); reproduced for US East (N. Virginia) by
        // https://awsnegotiations.com/elastic-load-balancer-cost.html : "Application LB (ALB) | $0.0225 / hour",
        // "Network LB (NLB) | $0.0225 / hour", "Gateway LB (GWLB) | $0.0125 / hour", "Classic LB (CLB) | $0.025 / hour"
        assertThat(lb("us-east-1", "application")).isEqualByComparingTo("0.0225");
        assertThat(lb("us-east-1", "network")).isEqualByComparingTo("0.0225");
        assertThat(lb("us-east-1", "gateway")).isEqualByComparingTo("0.0125");
        assertThat(lb("us-east-1", "classic")).isEqualByComparingTo("0.025");
        // reproduced by https://cal53.calculator.city/aws-alb-cost-calculator/ : "| Europe (Ireland) | $0.0252 |"
        // (Application Load Balancer, per hour)
        assertThat(lb("eu-west-1", "application")).isEqualByComparingTo("0.0252");
    }

    @Test
    void elastiCacheNodeRatesAreThePublishedOnDemandOnes() {
        // https://aws.amazon.com/elasticache/pricing/ (by script: on-demand nodes, per node-hour); reproduced by
        // https://dragonflydb.io/finops/elasticache/cache.t3.micro : "US West (Oregon) | $0.017", "US East (N. Virginia)
        // | $0.017" and https://dragonflydb.io/finops/elasticache/cache.t3.medium : "US West (Oregon) | $0.068",
        // "US East (N. Virginia) | $0.068" (ON DEMAND)
        assertThat(node("us-east-1", "cache.t3.micro")).isEqualByComparingTo("0.017");
        assertThat(node("us-west-2", "cache.t3.micro")).isEqualByComparingTo("0.017");
        assertThat(node("us-east-1", "cache.t3.medium")).isEqualByComparingTo("0.068");
        assertThat(node("us-west-2", "cache.t3.medium")).isEqualByComparingTo("0.068");
    }

    /** Every bundled row of these two products is one asserted above: a row added without a citation fails here. */
    @Test
    void noLoadBalancerOrElastiCacheRowIsUnchecked() {
        Set<String> rows = new TreeSet<>();
        table.entries().keySet().stream()
                .filter(q -> q.product() == PriceQuery.Product.LOAD_BALANCER_HOUR || q.product() == PriceQuery.Product.ELASTICACHE_NODE)
                .forEach(q -> rows.add(q.product() + " " + q.region() + " " + q.type()));
        assertThat(rows).containsExactly(
                "ELASTICACHE_NODE us-east-1 cache.t3.medium", "ELASTICACHE_NODE us-east-1 cache.t3.micro",
                "ELASTICACHE_NODE us-west-2 cache.t3.medium", "ELASTICACHE_NODE us-west-2 cache.t3.micro",
                "LOAD_BALANCER_HOUR eu-west-1 application", "LOAD_BALANCER_HOUR us-east-1 application",
                "LOAD_BALANCER_HOUR us-east-1 classic", "LOAD_BALANCER_HOUR us-east-1 gateway",
                "LOAD_BALANCER_HOUR us-east-1 network");
    }

    /** A region or type without a bundled row is unknown, with the reason, never 0. */
    @Test
    void whatTheTableDoesNotHoldIsUnknownWithTheReason() {
        CostEstimator estimator = new CostEstimator(table);
        var lb = estimator.estimate(ServiceKind.STILL_BILLING, "ap-south-1", "load-balancer network",
                Map.of(CostBasis.STILL_BILLING_KIND, StillBillingKind.LOAD_BALANCER.id(), CostBasis.LOAD_BALANCER_TYPE, "network"));
        assertThat(lb.hourly()).isNull();
        assertThat(lb.source()).isEqualTo("unknown: no hourly price known for a network load balancer in ap-south-1");
        var valkey = estimator.estimate(ServiceKind.STILL_BILLING, "us-east-1", "elasticache valkey cache.t3.micro x 2",
                Map.of(CostBasis.STILL_BILLING_KIND, StillBillingKind.ELASTICACHE.id(), CostBasis.NODE_TYPE, "cache.t3.micro",
                        CostBasis.NUMBER_OF_NODES, "2", CostBasis.ENGINE, "valkey"));
        assertThat(valkey.hourly()).as("Valkey nodes cost less than the bundled Redis OSS/Memcached rate").isNull();
        assertThat(valkey.source()).startsWith("unknown: Valkey nodes are priced below");
        var nodes = estimator.estimate(ServiceKind.STILL_BILLING, "us-west-2", "elasticache redis cache.t3.medium x 2",
                Map.of(CostBasis.STILL_BILLING_KIND, StillBillingKind.ELASTICACHE.id(), CostBasis.NODE_TYPE, "cache.t3.medium",
                        CostBasis.NUMBER_OF_NODES, "2", CostBasis.ENGINE, "redis"));
        assertThat(nodes.hourly()).as("2 x 0.068").isEqualByComparingTo("0.136");
        var noCount = estimator.estimate(ServiceKind.STILL_BILLING, "us-west-2", "elasticache redis cache.t3.medium x ?",
                Map.of(CostBasis.STILL_BILLING_KIND, StillBillingKind.ELASTICACHE.id(), CostBasis.NODE_TYPE, "cache.t3.medium"));
        assertThat(noCount.hourly()).isNull();
        assertThat(noCount.source()).isEqualTo("unknown: the cluster's node type or number of nodes not known");
    }

    private BigDecimal lb(String region, String type) {
        return table.price(PriceQuery.typed(PriceQuery.Product.LOAD_BALANCER_HOUR, region, type)).map(Price::usd)
                .orElseThrow(() -> new AssertionError("the table has no " + type + " load balancer in " + region));
    }

    private BigDecimal node(String region, String nodeType) {
        return table.price(PriceQuery.typed(PriceQuery.Product.ELASTICACHE_NODE, region, nodeType)).map(Price::usd)
                .orElseThrow(() -> new AssertionError("the table has no ElastiCache " + nodeType + " in " + region));
    }
}
