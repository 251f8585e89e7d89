package dev.awshitbreaks.cost;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The price table shipped inside the jar ({@code prices.csv} beside this class): on-demand Linux prices
 * of common EC2 types, RDS classes and engines, Aurora classes, Fargate and Lambda provisioned-concurrency
 * rates in common regions, as published on the date in its {@code # taken:} line. Every answer's source
 * is {@code bundled-table:<that date>}. Anything not in the table is unknown.
 */
public final class BundledPriceBook implements PriceBook {
    public static final String RESOURCE = "prices.csv";
    private static volatile BundledPriceBook instance;

    private final Map<String, BigDecimal> prices;
    private final Map<PriceQuery, BigDecimal> entries;
    private final String taken;

    BundledPriceBook(Map<PriceQuery, BigDecimal> entries, String taken) {
        Map<String, BigDecimal> byKey = new HashMap<>();
        entries.forEach((q, usd) -> byKey.put(key(q), usd));
        this.prices = Map.copyOf(byKey);
        this.entries = Map.copyOf(entries);
        this.taken = taken;
    }

    /** The table in the jar, read once per JVM. */
    public static BundledPriceBook load() {
        BundledPriceBook b = instance;
        if (b == null) {
            synchronized (BundledPriceBook.class) {
                if (instance == null) {
                    try (InputStream in = BundledPriceBook.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("the bundled price table " + RESOURCE + " is missing from the jar");
                        }
                        instance = parse(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                b = instance;
            }
        }
        return b;
    }

    static BundledPriceBook parse(InputStream in) throws IOException {
        Map<PriceQuery, BigDecimal> prices = new HashMap<>();
        String taken = null;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        boolean header = true;
        while ((line = r.readLine()) != null) {
            n++;
            String t = line.trim();
            if (t.startsWith("# taken:")) {
                taken = t.substring("# taken:".length()).trim();
                continue;
            }
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false; // product,region,type,engine,deployment,usd
                continue;
            }
            String[] f = t.split(",", -1);
            if (f.length != 6) {
                throw new IllegalStateException(RESOURCE + " line " + n + ": expected 6 fields: " + line);
            }
            PriceQuery q = query(f[0], f[1], f[2], f[3], f[4]);
            if (q == null) {
                throw new IllegalStateException(RESOURCE + " line " + n + ": unknown product or deployment: " + line);
            }
            if (prices.put(q, new BigDecimal(f[5])) != null) {
                throw new IllegalStateException(RESOURCE + " line " + n + ": a second price for " + q.describe());
            }
        }
        if (taken == null) {
            throw new IllegalStateException(RESOURCE + " has no '# taken: <date>' line");
        }
        return new BundledPriceBook(prices, taken);
    }

    private static PriceQuery query(String product, String region, String type, String engine, String deployment) {
        String t = type.isBlank() ? null : type.trim();
        String e = engine.isBlank() ? null : engine.trim();
        for (PriceQuery.Product p : PriceQuery.Product.values()) {
            if (product(p).equals(product.trim())) {
                boolean multiAz = "multi-az".equals(deployment.trim());
                if (p == PriceQuery.Product.RDS_INSTANCE && !multiAz && !"single-az".equals(deployment.trim())) {
                    return null;
                }
                return new PriceQuery(p, region.trim(), t, e, multiAz);
            }
        }
        return null;
    }

    /** Every price in the table, by what it prices. */
    public Map<PriceQuery, BigDecimal> entries() {
        return entries;
    }

    /** The date the table's prices were taken, as its source names it. */
    public String taken() {
        return taken;
    }

    public String source() {
        return "bundled-table:" + taken;
    }

    public int size() {
        return prices.size();
    }

    @Override
    public Optional<Price> price(PriceQuery q) {
        BigDecimal usd = prices.get(key(q));
        return usd == null ? Optional.empty() : Optional.of(new Price(usd, source()));
    }

    static String key(PriceQuery q) {
        return key(product(q.product()), q.region(), q.type(), q.engine(),
                q.product() == PriceQuery.Product.RDS_INSTANCE ? (q.multiAz() ? "multi-az" : "single-az") : "");
    }

    static String product(PriceQuery.Product p) {
        return switch (p) {
            case EC2_INSTANCE -> "ec2";
            case RDS_INSTANCE -> "rds";
            case AURORA_INSTANCE -> "aurora";
            case FARGATE_VCPU_HOUR -> "fargate-vcpu-hour";
            case FARGATE_GB_HOUR -> "fargate-gb-hour";
            case LAMBDA_PROVISIONED_GB_SECOND -> "lambda-pc-gb-second";
            case REDSHIFT_NODE -> "redshift";
            case SAGEMAKER_NOTEBOOK_INSTANCE -> "sagemaker-notebook";
            case EBS_GB_MONTH -> "ebs-gb-month";
            case EBS_IOPS_MONTH -> "ebs-iops-month";
            case EBS_THROUGHPUT_MONTH -> "ebs-throughput-month";
            case PUBLIC_IPV4_HOUR -> "public-ipv4-hour";
            case NAT_GATEWAY_HOUR -> "nat-gateway-hour";
            case LOAD_BALANCER_HOUR -> "load-balancer-hour";
            case EKS_CLUSTER_HOUR -> "eks-cluster-hour";
            case ELASTICACHE_NODE -> "elasticache-node";
            case OPENSEARCH_INSTANCE -> "opensearch-instance";
            case OPENSEARCH_STORAGE_GB_MONTH -> "opensearch-storage-gb-month";
            case MSK_BROKER -> "msk-broker";
            case MSK_STORAGE_GB_MONTH -> "msk-storage-gb-month";
            case SAGEMAKER_HOSTING_INSTANCE -> "sagemaker-hosting";
            case VPC_ENDPOINT_AZ_HOUR -> "vpc-endpoint-az-hour";
            case KINESIS_SHARD_HOUR -> "kinesis-shard-hour";
            case RDS_STORAGE_GB_MONTH -> "rds-storage-gb-month";
            case EMR_INSTANCE_FEE -> "emr-fee";
        };
    }

    static String key(String product, String region, String type, String engine, String deployment) {
        return String.join("|", norm(product), norm(region), norm(type), norm(engine), norm(deployment));
    }

    private static String norm(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }
}
