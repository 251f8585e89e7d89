package dev.awshitbreaks.cost;

import dev.awshitbreaks.cost.CostEstimator.Estimate;
import dev.awshitbreaks.services.stillbilling.StillBillingKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Hourly estimates of EBS volumes, public IPv4 addresses, NAT gateways, interface VPC endpoints, EKS control planes,
 * database storage and Kinesis provisioned shards. A per-month price (GB-month, IOPS-month, MiB/s-month) is per 730
 * hours: hourly = monthly price x quantity / 730.
 */
final class NetworkStoragePrices {
    private static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);
    /** gp3 volumes include 3,000 IOPS and 125 MiB/s; only what is provisioned above is billed (EBS pricing). */
    private static final BigDecimal GP3_FREE_IOPS = BigDecimal.valueOf(3000);
    private static final BigDecimal GP3_FREE_THROUGHPUT = BigDecimal.valueOf(125);
    /** io2's IOPS price is tiered; the table holds the first tier (up to 32,000 IOPS). */
    private static final BigDecimal IO2_FIRST_TIER_IOPS = BigDecimal.valueOf(32000);

    private NetworkStoragePrices() {
    }

    static Estimate estimate(PriceBook book, StillBillingKind kind, String region, String type, Map<String, Object> basis) {
        return switch (kind) {
            case NAT_GATEWAY -> flat(book, PriceQuery.rate(PriceQuery.Product.NAT_GATEWAY_HOUR, region), "NAT gateway");
            case PUBLIC_IPV4 -> flat(book, PriceQuery.rate(PriceQuery.Product.PUBLIC_IPV4_HOUR, region), "public IPv4 address");
            case EKS_CONTROL_PLANE -> flat(book, PriceQuery.typed(PriceQuery.Product.EKS_CLUSTER_HOUR, region, "standard"),
                    "EKS cluster (standard support)");
            case EBS_VOLUME -> ebsVolume(book, region, basis);
            case VPC_ENDPOINT -> vpcEndpoint(book, region, basis);
            case DB_STORAGE -> databaseStorage(book, region, basis);
            case KINESIS_SHARDS -> kinesis(book, region, basis);
            default -> Estimate.unknown("no price for " + kind.label() + " yet");
        };
    }

    /** One hourly rate, as it is. */
    static Estimate flat(PriceBook book, PriceQuery q, String what) {
        return book.price(q).map(p -> CostEstimator.sum(List.of(p), BigDecimal.ONE))
                .orElseGet(() -> Estimate.unknown("no price known for a " + what + " in " + q.region()));
    }

    /** Size x the type's GB-month price, plus provisioned IOPS (io1, io2; gp3 above 3,000) and gp3 throughput above 125 MiB/s. */
    private static Estimate ebsVolume(PriceBook book, String region, Map<String, Object> b) {
        String type = CostEstimator.text(b.get(NetworkStorageBasis.STORAGE_TYPE), null);
        BigDecimal size = CostEstimator.decimal(b.get(NetworkStorageBasis.SIZE_GIB));
        if (type == null || size == null) {
            return Estimate.unknown("the volume's type or size not known");
        }
        Monthly m = new Monthly(book, region);
        m.add(PriceQuery.typed(PriceQuery.Product.EBS_GB_MONTH, region, type), size, "EBS " + type + " storage");
        BigDecimal iops = CostEstimator.decimal(b.get(NetworkStorageBasis.IOPS));
        BigDecimal throughput = CostEstimator.decimal(b.get(NetworkStorageBasis.THROUGHPUT_MIBPS));
        switch (type) {
            case "io1" -> m.add(PriceQuery.typed(PriceQuery.Product.EBS_IOPS_MONTH, region, "io1"), iops, "EBS io1 IOPS");
            case "io2" -> {
                if (iops != null && iops.compareTo(IO2_FIRST_TIER_IOPS) > 0) {
                    return Estimate.unknown("io2 IOPS above 32,000 are billed at lower tiers, which the table does not hold");
                }
                m.add(PriceQuery.typed(PriceQuery.Product.EBS_IOPS_MONTH, region, "io2"), iops, "EBS io2 IOPS");
            }
            case "gp3" -> {
                BigDecimal extraIops = above(iops, GP3_FREE_IOPS);
                BigDecimal extraThroughput = above(throughput, GP3_FREE_THROUGHPUT);
                if (extraIops.signum() > 0) {
                    m.add(PriceQuery.typed(PriceQuery.Product.EBS_IOPS_MONTH, region, "gp3"), extraIops, "EBS gp3 IOPS");
                }
                if (extraThroughput.signum() > 0) {
                    m.add(PriceQuery.rate(PriceQuery.Product.EBS_THROUGHPUT_MONTH, region), extraThroughput, "EBS gp3 throughput");
                }
            }
            default -> {
                // gp2, st1, sc1, standard: storage alone (magnetic's I/O requests are usage-based)
            }
        }
        return m.hourly();
    }

    /** The endpoint's type's rate per Availability Zone x the zones it is in. */
    private static Estimate vpcEndpoint(PriceBook book, String region, Map<String, Object> b) {
        String type = CostEstimator.text(b.get(NetworkStorageBasis.ENDPOINT_TYPE), null);
        BigDecimal zones = CostEstimator.decimal(b.get(NetworkStorageBasis.AVAILABILITY_ZONES));
        if (type == null || zones == null) {
            return Estimate.unknown("the endpoint's type or Availability Zones not known");
        }
        String priced = "Interface".equals(type) ? "interface" : "GatewayLoadBalancer".equals(type) ? "gateway-load-balancer" : null;
        if (priced == null) {
            return Estimate.unknown("no price for a " + type + " VPC endpoint");
        }
        PriceQuery q = PriceQuery.typed(PriceQuery.Product.VPC_ENDPOINT_AZ_HOUR, region, priced);
        return book.price(q).map(p -> CostEstimator.sum(List.of(p), zones))
                .orElseGet(() -> Estimate.unknown("no price known for a " + type + " VPC endpoint in " + region));
    }

    /**
     * An RDS instance's storage: size x the storage type's GB-month price, plus io1/io2 provisioned IOPS; twice for
     * Multi-AZ (RDS pricing lists Multi-AZ storage and IOPS at twice the Single-AZ price). gp3 includes a baseline of
     * IOPS and throughput; above it the estimate is unknown. A DB cluster's storage is unknown: Aurora bills the GB it
     * uses, which the API does not give.
     */
    private static Estimate databaseStorage(PriceBook book, String region, Map<String, Object> b) {
        String type = CostEstimator.text(b.get(NetworkStorageBasis.STORAGE_TYPE), null);
        String engine = CostEstimator.text(b.get(NetworkStorageBasis.ENGINE), "");
        if (Boolean.TRUE.equals(b.get(NetworkStorageBasis.DB_CLUSTER))) {
            return Estimate.unknown(engine.startsWith("aurora")
                    ? "Aurora storage is billed per GB-month used (CloudWatch VolumeBytesUsed), which DescribeDBClusters does not give"
                    : engine + " cluster storage: not in the table (its size is not priced per instance)");
        }
        BigDecimal size = CostEstimator.decimal(b.get(NetworkStorageBasis.SIZE_GIB));
        if (type == null || size == null) {
            return Estimate.unknown("the database's storage type or size not known");
        }
        BigDecimal copies = Boolean.TRUE.equals(b.get(NetworkStorageBasis.MULTI_AZ)) ? BigDecimal.valueOf(2) : BigDecimal.ONE;
        BigDecimal iops = CostEstimator.decimal(b.get(NetworkStorageBasis.IOPS));
        Monthly m = new Monthly(book, region);
        m.add(PriceQuery.typed(PriceQuery.Product.RDS_STORAGE_GB_MONTH, region, type), size.multiply(copies), "RDS " + type + " storage");
        switch (type) {
            case "io1", "io2" -> m.add(PriceQuery.typed(PriceQuery.Product.RDS_IOPS_MONTH, region, type),
                    iops == null ? null : iops.multiply(copies), "RDS " + type + " IOPS");
            case "gp3" -> {
                String over = gp3OverBaseline(engine, size, iops, CostEstimator.decimal(b.get(NetworkStorageBasis.THROUGHPUT_MIBPS)));
                if (over != null) {
                    return Estimate.unknown(over);
                }
            }
            default -> {
                // gp2, standard (magnetic: its I/O requests are usage-based)
            }
        }
        return m.hourly();
    }

    /**
     * Why an RDS gp3 volume's IOPS or throughput is above what its storage price includes (null when it is not): 3,000
     * IOPS and 125 MiB/s, or, for MySQL, MariaDB and PostgreSQL of 400 GiB and more, 12,000 IOPS and 500 MiB/s.
     */
    private static String gp3OverBaseline(String engine, BigDecimal size, BigDecimal iops, BigDecimal throughput) {
        boolean large = size.compareTo(BigDecimal.valueOf(400)) >= 0
                && List.of("mysql", "mariadb", "postgres").contains(engine.toLowerCase(Locale.ROOT));
        BigDecimal freeIops = BigDecimal.valueOf(large ? 12000 : 3000);
        BigDecimal freeThroughput = BigDecimal.valueOf(large ? 500 : 125);
        if (above(iops, freeIops).signum() > 0 || above(throughput, freeThroughput).signum() > 0) {
            return "gp3 IOPS or throughput above the " + freeIops + " IOPS and " + freeThroughput
                    + " MiB/s its storage includes are billed separately, which the table does not hold";
        }
        return null;
    }

    /** A provisioned stream: its open shards x the shard-hour rate; an on-demand stream is usage-based. */
    private static Estimate kinesis(PriceBook book, String region, Map<String, Object> b) {
        String mode = CostEstimator.text(b.get(NetworkStorageBasis.STREAM_MODE), "PROVISIONED");
        if (!"PROVISIONED".equals(mode)) {
            return Estimate.unknown("on-demand stream: billed per stream-hour and per GB written and read, which the"
                    + " table does not hold");
        }
        BigDecimal shards = CostEstimator.decimal(b.get(NetworkStorageBasis.OPEN_SHARDS));
        if (shards == null) {
            return Estimate.unknown("the stream's open shard count not known");
        }
        PriceQuery q = PriceQuery.rate(PriceQuery.Product.KINESIS_SHARD_HOUR, region);
        return book.price(q).map(p -> CostEstimator.sum(List.of(p), shards))
                .orElseGet(() -> Estimate.unknown("no price known for a Kinesis shard-hour in " + region));
    }

    private static BigDecimal above(BigDecimal value, BigDecimal included) {
        return value == null || value.compareTo(included) <= 0 ? BigDecimal.ZERO : value.subtract(included);
    }

    /** Monthly prices x quantities, added up, then per hour; unknown at the first missing price or quantity. */
    private static final class Monthly {
        private final PriceBook book;
        private final String region;
        private final List<Price> prices = new ArrayList<>();
        private BigDecimal total = BigDecimal.ZERO;
        private String missing;

        Monthly(PriceBook book, String region) {
            this.book = book;
            this.region = region;
        }

        void add(PriceQuery q, BigDecimal quantity, String what) {
            if (missing != null) {
                return;
            }
            if (quantity == null) {
                missing = what + ": the quantity provisioned not known";
                return;
            }
            Optional<Price> p = book.price(q);
            if (p.isEmpty()) {
                missing = "no price known for " + what + " in " + region;
                return;
            }
            prices.add(p.get());
            total = total.add(p.get().usd().multiply(quantity));
        }

        Estimate hourly() {
            if (missing != null) {
                return Estimate.unknown(missing);
            }
            TreeSet<String> sources = new TreeSet<>();
            prices.forEach(p -> sources.add(p.source()));
            return new Estimate(CostEstimator.round(total.divide(HOURS_PER_MONTH, 12, RoundingMode.HALF_UP)),
                    String.join("+", sources));
        }
    }
}
