package dev.awshitbreaks.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.cost.CostEstimator.Estimate;
import dev.awshitbreaks.services.stillbilling.StillBillingKind;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bundled prices of EBS volumes, public IPv4 addresses, interface VPC endpoints, EKS control planes, Kinesis shards
 * and RDS storage against the prices AWS publishes, and the hourly estimates made from them (a per-month price is per
 * 730 hours). AWS's pricing pages render their figures by script; where a figure is not in the text AWS serves, a
 * third-party copy of the same page's table is cited beside it.
 */
class NetworkStoragePricesTest {
    private static final List<String> US = List.of("us-east-1", "us-east-2", "us-west-2");
    private final BundledPriceBook table = BundledPriceBook.load();
    private final CostEstimator estimator = new CostEstimator(table);

    @Test
    void ebsPricesAreThePublishedOnes() {
        // https://aws.amazon.com/ebs/pricing/ : per GB-month, US East (N. Virginia), US East (Ohio), US West (Oregon):
        // gp3 0.08, gp2 0.10, io1 and io2 0.125, st1 0.045, sc1 0.015; IOPS-month: gp3 above 3,000 0.005, io1 0.065, io2
        // up to 32,000 0.065; gp3 throughput above 125 MB/s 0.04 per MB/s-month. EU (Ireland): gp3 0.088, gp2 0.11,
        // io1/io2 0.138, st1 0.05, sc1 0.0168; IOPS gp3 0.0055, io1/io2 0.072. EU (Frankfurt): gp3 0.0952, gp2 0.119,
        // io1/io2 0.149, st1 0.054, sc1 0.018; IOPS gp3 0.006, io1/io2 0.078. The same figures per region in a
        // third-party copy of that page's table: VolumePricingHelper.swift ("AWS Console" iOS app, "//
        // https://aws.amazon.com/ebs/pricing/"), whose eu-west-1 io2 GB entry (0.072) is its IOPS price misplaced.
        for (String r : US) {
            assertRow(PriceQuery.Product.EBS_GB_MONTH, r, Map.of("gp3", "0.08", "gp2", "0.10", "io1", "0.125", "io2", "0.125",
                    "st1", "0.045", "sc1", "0.015"));
            assertRow(PriceQuery.Product.EBS_IOPS_MONTH, r, Map.of("gp3", "0.005", "io1", "0.065", "io2", "0.065"));
            assertThat(price(PriceQuery.rate(PriceQuery.Product.EBS_THROUGHPUT_MONTH, r))).isEqualByComparingTo("0.04");
        }
        assertRow(PriceQuery.Product.EBS_GB_MONTH, "eu-west-1", Map.of("gp3", "0.088", "gp2", "0.11", "io1", "0.138",
                "io2", "0.138", "st1", "0.05", "sc1", "0.0168"));
        assertRow(PriceQuery.Product.EBS_IOPS_MONTH, "eu-west-1", Map.of("gp3", "0.0055", "io1", "0.072", "io2", "0.072"));
        assertRow(PriceQuery.Product.EBS_GB_MONTH, "eu-central-1", Map.of("gp3", "0.0952", "gp2", "0.119", "io1", "0.149",
                "io2", "0.149", "st1", "0.054", "sc1", "0.018"));
        assertRow(PriceQuery.Product.EBS_IOPS_MONTH, "eu-central-1", Map.of("gp3", "0.006", "io1", "0.078", "io2", "0.078"));
    }

    @Test
    void publicIpv4EndpointEksKinesisAndRdsStoragePricesAreThePublishedOnes() {
        for (String r : List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1")) {
            // https://aws.amazon.com/vpc/pricing/ , Public IPv4 Address: "$0.005 per IP per hour for all public IPv4
            // addresses", in use or idle, every Region (since February 1, 2024)
            assertThat(price(PriceQuery.rate(PriceQuery.Product.PUBLIC_IPV4_HOUR, r))).isEqualByComparingTo("0.005");
            // https://aws.amazon.com/eks/pricing/ : "$0.10 per hour for each Amazon EKS cluster ... in standard support"
            // ($0.60 in extended support), in every commercial Region
            assertThat(price(PriceQuery.typed(PriceQuery.Product.EKS_CLUSTER_HOUR, r, "standard"))).isEqualByComparingTo("0.10");
        }
        // https://aws.amazon.com/privatelink/pricing/ , Interface Endpoint: price per VPC endpoint per AZ per hour: US
        // Regions USD 0.01, EU (Ireland) 0.011, EU (Frankfurt) 0.012. Third-party copies: 0.011 for eu-west-1
        // ("vpc_endpoint_hour": {"us-east-1": 0.01, "eu-west-1": 0.011}) and INTERFACE_ENDPOINT_HOURLY = 0.012 in a
        // Frankfurt estimate beside its NAT_HOURLY = 0.052 (the NAT row this table has for eu-central-1).
        for (String r : US) {
            assertThat(price(PriceQuery.typed(PriceQuery.Product.VPC_ENDPOINT_AZ_HOUR, r, "interface"))).isEqualByComparingTo("0.01");
        }
        assertThat(price(PriceQuery.typed(PriceQuery.Product.VPC_ENDPOINT_AZ_HOUR, "eu-west-1", "interface"))).isEqualByComparingTo("0.011");
        assertThat(price(PriceQuery.typed(PriceQuery.Product.VPC_ENDPOINT_AZ_HOUR, "eu-central-1", "interface"))).isEqualByComparingTo("0.012");
        // https://aws.amazon.com/kinesis/data-streams/pricing/ , Provisioned Mode, US East (N. Virginia): "Shard Hour
        // (1MB/second ingress, 2MB/second egress) $0.015" (third-party: "cost_per_shard_hour": 0.015)
        for (String r : US) {
            assertThat(price(PriceQuery.rate(PriceQuery.Product.KINESIS_SHARD_HOUR, r))).isEqualByComparingTo("0.015");
        }
        // https://aws.amazon.com/rds/mysql/pricing/ , Storage, Single-AZ: General Purpose (gp2 and gp3) USD 0.115 per
        // GB-month, Provisioned IOPS (io1) 0.125 per GB-month and 0.10 per IOPS-month (US East); EU (Ireland) gp2 and gp3
        // 0.127 (third-party: "rds_storage_gp2": 0.115 for us-east-1, 0.127 for eu-west-1, and a fallback table
        // {"gp2": 0.127, "gp3": 0.127, "io1": 0.138, "io2": 0.138} for eu-west-1)
        for (String r : US) {
            assertRow(PriceQuery.Product.RDS_STORAGE_GB_MONTH, r, Map.of("gp2", "0.115", "gp3", "0.115", "io1", "0.125"));
            assertThat(price(PriceQuery.typed(PriceQuery.Product.RDS_IOPS_MONTH, r, "io1"))).isEqualByComparingTo("0.10");
        }
        assertRow(PriceQuery.Product.RDS_STORAGE_GB_MONTH, "eu-west-1", Map.of("gp2", "0.127", "gp3", "0.127"));
    }

    @Test
    void anEbsVolumeIsItsStoragePlusItsProvisionedIopsAndThroughputPer730Hours() {
        // gp3 100 GiB, 3,000 IOPS and 125 MiB/s (the included baseline): 100 x 0.08 / 730
        assertThat(hourly(StillBillingKind.EBS_VOLUME, "us-east-1", ebs("gp3", 100, 3000, 125))).isEqualByComparingTo("0.010959");
        // gp3 1,000 GiB, 6,000 IOPS, 250 MiB/s: (1000 x 0.08 + 3000 x 0.005 + 125 x 0.04) / 730 = 100 / 730
        assertThat(hourly(StillBillingKind.EBS_VOLUME, "us-east-1", ebs("gp3", 1000, 6000, 250))).isEqualByComparingTo("0.136986");
        // io1 500 GiB 10,000 IOPS in eu-central-1: (500 x 0.149 + 10000 x 0.078) / 730
        assertThat(hourly(StillBillingKind.EBS_VOLUME, "eu-central-1", ebs("io1", 500, 10000, null))).isEqualByComparingTo("1.170548");
        Estimate io2Tiered = estimate(StillBillingKind.EBS_VOLUME, "us-east-1", ebs("io2", 500, 40000, null));
        assertThat(io2Tiered.hourly()).isNull();
        assertThat(io2Tiered.source()).startsWith("unknown: ").contains("32,000");
        Estimate magnetic = estimate(StillBillingKind.EBS_VOLUME, "us-east-1", ebs("standard", 8, null, null));
        assertThat(magnetic.hourly()).as("not in the table: unknown, never 0").isNull();
        assertThat(magnetic.source()).contains("standard").contains("us-east-1");
        assertThat(estimate(StillBillingKind.EBS_VOLUME, "ap-south-1", ebs("gp3", 8, 3000, 125)).hourly()).isNull();
    }

    @Test
    void databaseStorageIsBilledTwiceForMultiAzAndAuroraIsUnknownWithTheReason() {
        Map<String, Object> single = db("gp2", 100, null, false);
        Map<String, Object> multi = db("gp2", 100, null, true);
        // 100 x 0.115 / 730 and twice that (RDS User Guide, Multi-AZ DB instances: "Storage costs: Charged per GB-month
        // for the storage provisioned for both the primary and standby")
        assertThat(hourly(StillBillingKind.DB_STORAGE, "us-east-1", single)).isEqualByComparingTo("0.015753");
        assertThat(hourly(StillBillingKind.DB_STORAGE, "us-east-1", multi)).isEqualByComparingTo("0.031507");
        // io1 200 GiB 2,000 IOPS Multi-AZ: 2 x (200 x 0.125 + 2000 x 0.10) / 730
        assertThat(hourly(StillBillingKind.DB_STORAGE, "us-east-1", db("io1", 200, 2000, true))).isEqualByComparingTo("0.616438");
        Map<String, Object> aurora = new LinkedHashMap<>(Map.of(NetworkStorageBasis.STORAGE_TYPE, "aurora",
                NetworkStorageBasis.ENGINE, "aurora-postgresql", NetworkStorageBasis.DB_CLUSTER, true));
        Estimate a = estimate(StillBillingKind.DB_STORAGE, "us-east-1", aurora);
        assertThat(a.hourly()).isNull();
        assertThat(a.source()).contains("per GB-month used").contains("VolumeBytesUsed");
        Map<String, Object> fastGp3 = db("gp3", 100, 6000, false);
        assertThat(estimate(StillBillingKind.DB_STORAGE, "us-east-1", fastGp3).source()).contains("above the 3000 IOPS");
        Map<String, Object> largeGp3 = db("gp3", 400, 12000, false);
        assertThat(hourly(StillBillingKind.DB_STORAGE, "us-east-1", largeGp3)).as("12,000 IOPS are included from 400 GiB")
                .isEqualByComparingTo("0.063014");
    }

    @Test
    void endpointsAreBilledPerZoneShardsPerShardAndEksAtStandardSupport() {
        assertThat(hourly(StillBillingKind.VPC_ENDPOINT, "eu-west-1", Map.of(NetworkStorageBasis.ENDPOINT_TYPE, "Interface",
                NetworkStorageBasis.AVAILABILITY_ZONES, 3))).isEqualByComparingTo("0.033");
        Estimate gwlbe = estimate(StillBillingKind.VPC_ENDPOINT, "us-east-1", Map.of(NetworkStorageBasis.ENDPOINT_TYPE,
                "GatewayLoadBalancer", NetworkStorageBasis.AVAILABILITY_ZONES, 1));
        assertThat(gwlbe.hourly()).isNull();
        assertThat(hourly(StillBillingKind.KINESIS_SHARDS, "us-east-1", Map.of(NetworkStorageBasis.STREAM_MODE, "PROVISIONED",
                NetworkStorageBasis.OPEN_SHARDS, 4))).isEqualByComparingTo("0.06");
        Estimate onDemand = estimate(StillBillingKind.KINESIS_SHARDS, "us-east-1", Map.of(NetworkStorageBasis.STREAM_MODE, "ON_DEMAND"));
        assertThat(onDemand.hourly()).isNull();
        assertThat(onDemand.source()).contains("on-demand");
        assertThat(hourly(StillBillingKind.EKS_CONTROL_PLANE, "eu-central-1", Map.of())).isEqualByComparingTo("0.10");
        assertThat(hourly(StillBillingKind.PUBLIC_IPV4, "us-west-2", Map.of())).isEqualByComparingTo("0.005");
    }

    private static Map<String, Object> ebs(String type, int size, Integer iops, Integer throughput) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put(NetworkStorageBasis.STORAGE_TYPE, type);
        b.put(NetworkStorageBasis.SIZE_GIB, size);
        if (iops != null) {
            b.put(NetworkStorageBasis.IOPS, iops);
        }
        if (throughput != null) {
            b.put(NetworkStorageBasis.THROUGHPUT_MIBPS, throughput);
        }
        return b;
    }

    private static Map<String, Object> db(String type, int size, Integer iops, boolean multiAz) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put(NetworkStorageBasis.STORAGE_TYPE, type);
        b.put(NetworkStorageBasis.SIZE_GIB, size);
        b.put(NetworkStorageBasis.ENGINE, "postgres");
        b.put(NetworkStorageBasis.MULTI_AZ, multiAz);
        if (iops != null) {
            b.put(NetworkStorageBasis.IOPS, iops);
        }
        return b;
    }

    private Estimate estimate(StillBillingKind kind, String region, Map<String, Object> basis) {
        Map<String, Object> b = new LinkedHashMap<>(basis);
        b.put(CostBasis.STILL_BILLING_KIND, kind.id());
        return estimator.estimate(ServiceKind.STILL_BILLING, region, kind.id(), b);
    }

    private BigDecimal hourly(StillBillingKind kind, String region, Map<String, Object> basis) {
        Estimate e = estimate(kind, region, basis);
        assertThat(e.hourly()).as("%s in %s: %s", kind, region, e.source()).isNotNull();
        assertThat(e.source()).isEqualTo(table.source());
        return e.hourly();
    }

    private void assertRow(PriceQuery.Product product, String region, Map<String, String> byType) {
        byType.forEach((type, usd) -> assertThat(price(PriceQuery.typed(product, region, type)))
                .as("%s %s in %s", product, type, region).isEqualByComparingTo(usd));
    }

    private BigDecimal price(PriceQuery q) {
        return table.price(q).map(Price::usd).orElseThrow(() -> new AssertionError("the table has no " + q.describe()));
    }
}
