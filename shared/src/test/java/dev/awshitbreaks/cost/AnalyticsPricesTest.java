package dev.awshitbreaks.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.cost.CostEstimator.Estimate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The analytics still-billing estimates from a row's cost basis ({@link AnalyticsBasis}), through the engine's
 * estimator and the bundled table: instance-hours plus storage GB-months over 730 hours, and unknown with the reason
 * whenever a figure or a price is missing, never 0.
 */
class AnalyticsPricesTest {
    private final CostEstimator estimator = new CostEstimator(PriceBooks.bundled());

    private Estimate estimate(String kind, Map<String, Object> basis) {
        Map<String, Object> b = new LinkedHashMap<>(basis);
        b.put(CostBasis.STILL_BILLING_KIND, kind);
        return estimator.estimate(ServiceKind.STILL_BILLING, "us-east-1", kind, b);
    }

    @Test
    void instancesAndStorageAddUpPerHour() {
        Estimate e = estimate("opensearch", Map.of(AnalyticsBasis.INSTANCES,
                List.of(AnalyticsBasis.instances("t3.medium.search", 3)), AnalyticsBasis.STORAGE_GIB, 730,
                AnalyticsBasis.STORAGE_TYPE, "gp2"));
        assertThat(e.hourly()).as("3 x 0.073 + 730 GiB x 0.135 / 730").isEqualByComparingTo("0.354");
        assertThat(e.source()).isEqualTo(BundledPriceBook.load().source());
        assertThat(estimate("msk", Map.of(AnalyticsBasis.INSTANCES, List.of(AnalyticsBasis.instances("kafka.m7g.large", 3))))
                .hourly()).as("no storage listed: brokers only").isEqualByComparingTo("0.612");
    }

    @Test
    void aMissingCountTypeOrPriceIsUnknownWithTheReasonNeverZero() {
        assertThat(estimate("sagemaker-endpoint", Map.of(AnalyticsBasis.INSTANCES,
                List.of(AnalyticsBasis.instances("ml.m5.large", null)))).source())
                .isEqualTo("unknown: the SageMaker real-time inference instance type or count was not listed");
        assertThat(estimate("sagemaker-endpoint", Map.of(AnalyticsBasis.INSTANCES,
                List.of(AnalyticsBasis.instances("ml.p5.48xlarge", 1)))).source())
                .isEqualTo("unknown: no on-demand price known for SageMaker real-time inference instance ml.p5.48xlarge in us-east-1");
        assertThat(estimate("opensearch", Map.of(AnalyticsBasis.INSTANCES, List.of(AnalyticsBasis.instances("t3.small.search", 1)),
                AnalyticsBasis.STORAGE_GIB, 10, AnalyticsBasis.STORAGE_TYPE, "io1")).source())
                .isEqualTo("unknown: no price known for OpenSearch EBS storage (io1) per GB-month in us-east-1");
        assertThat(estimate("msk", Map.of()).source()).isEqualTo("unknown: no instance types and counts were listed");
        assertThat(estimate("msk", Map.of(AnalyticsBasis.USAGE_BASED, "per use")).source()).isEqualTo("unknown: usage-based: per use");
        assertThat(estimate("emr", Map.of()).hourly()).isNull();
    }

    @Test
    void aDomainWithGp3IopsAboveTheBaselineIsUnknown() throws Exception {
        JsonNode domain = Json.mapper().readTree("""
                {"DomainName":"logs","ClusterConfig":{"InstanceType":"t3.small.search","InstanceCount":2},
                 "EBSOptions":{"EBSEnabled":true,"VolumeType":"gp3","VolumeSize":100,"Iops":6000,"Throughput":125}}""");
        var row = dev.awshitbreaks.services.stillbilling.AnalyticsTestAccess.openSearchDomain("us-east-1", domain);
        Estimate e = estimator.estimate(ServiceKind.STILL_BILLING, "us-east-1", row.type(), row.costBasis());
        assertThat(row.type()).isEqualTo("opensearch 2 x t3.small.search, 200 GiB gp3");
        assertThat(e.hourly()).isNull();
        assertThat(e.source()).startsWith("unknown: gp3 IOPS or throughput provisioned above the baseline");
    }
}
