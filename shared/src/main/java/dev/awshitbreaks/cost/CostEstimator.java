package dev.awshitbreaks.cost;

import dev.awshitbreaks.core.ServiceKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The estimated hourly on-demand cost of one resource while it runs, which is what pausing it saves:
 * EC2 by instance type, RDS by class, engine and deployment, Aurora as the sum of its instances, ECS
 * Fargate tasks by vCPU and memory times the desired count, an Auto Scaling group as the sum of its
 * instances, Lambda provisioned concurrency as GB-seconds, a Redshift cluster as its node type's rate times its
 * nodes, a SageMaker notebook instance by its instance type. A figure is never invented: when one of its
 * prices is unknown, the whole estimate is unknown and says why.
 */
public final class CostEstimator {
    /** Hourly figures keep this many decimal places (a millionth of a dollar). */
    public static final int SCALE = 6;
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
    private static final BigDecimal CPU_UNITS_PER_VCPU = BigDecimal.valueOf(1024);
    private static final BigDecimal MIB_PER_GB = BigDecimal.valueOf(1024);

    private final PriceBook book;

    public CostEstimator(PriceBook book) {
        this.book = book;
    }

    /** An hourly figure in USD (null when unknown) and its source, or why it is unknown. */
    public record Estimate(BigDecimal hourly, String source) {
        public static Estimate unknown(String why) {
            return new Estimate(null, "unknown: " + why);
        }

        public Double hourlyCost() {
            return hourly == null ? null : hourly.doubleValue();
        }
    }

    public Estimate estimate(ServiceKind service, String region, String type, Map<String, Object> basis) {
        Map<String, Object> b = basis == null ? Map.of() : basis;
        return switch (service) {
            case EC2 -> instances(region, java.util.Collections.singletonList(text(b.get(CostBasis.INSTANCE_TYPE), type)), "instance type");
            case RDS -> rds(region, b);
            case AURORA -> aurora(region, b);
            case ECS -> ecs(region, b);
            case AUTOSCALING -> autoScaling(region, b);
            case LAMBDA -> lambda(region, b);
            case EKS -> eksNodegroup(region, b);
            case REDSHIFT -> redshift(region, b);
            case SAGEMAKER_NOTEBOOKS -> notebook(region, b);
            case WARM_POOLS -> warmPool(region, b);
            case SPOT_FLEET -> Estimate.unknown("Spot Fleet: Spot prices vary by pool and hour, and the fleet's instances "
                    + "may be On-Demand or Spot; see the fleet's instances in Cost Explorer");
            case LAMBDA_THROTTLE -> Estimate.unknown("usage-based: a throttled function saves what its invocations "
                    + "(requests and GB-seconds) would have cost, which depends on traffic; it has no hourly rate");
            case LAMBDA_EVENT_SOURCES -> Estimate.unknown("usage-based: a disabled event source mapping saves the "
                    + "invocations its records would have caused (and the polling of Kafka, MQ and provisioned-mode "
                    + "sources), which depends on traffic; it has no hourly rate");
            case APIGATEWAY -> Estimate.unknown("API Gateway is billed per request received, not by the hour: "
                    + "what throttling saves depends on the traffic turned away");
            case STILL_BILLING -> StillBillingPrices.estimate(book, region, type, b);
        };
    }

    private Estimate instances(String region, List<String> types, String what) {
        if (types.isEmpty() || types.stream().anyMatch(t -> t == null || t.isBlank())) {
            return Estimate.unknown(what + " not known");
        }
        List<Price> prices = new ArrayList<>();
        for (String t : types) {
            Optional<Price> p = book.price(PriceQuery.ec2(region, t));
            if (p.isEmpty()) {
                return Estimate.unknown("no on-demand price known for EC2 " + t + " in " + region);
            }
            prices.add(p.get());
        }
        return sum(prices, BigDecimal.ONE);
    }

    private Estimate rds(String region, Map<String, Object> b) {
        String cls = text(b.get(CostBasis.DB_INSTANCE_CLASS), null);
        String engine = text(b.get(CostBasis.ENGINE), null);
        if (cls == null || engine == null) {
            return Estimate.unknown("instance class or engine not known");
        }
        boolean multiAz = Boolean.TRUE.equals(b.get(CostBasis.MULTI_AZ)) || "true".equals(String.valueOf(b.get(CostBasis.MULTI_AZ)));
        PriceQuery q = PriceQuery.rds(region, cls, engine.toLowerCase(Locale.ROOT), multiAz);
        return book.price(q).map(p -> sum(List.of(p), BigDecimal.ONE))
                .orElseGet(() -> Estimate.unknown("no on-demand price known for RDS " + q.describe().substring("rds_instance ".length())));
    }

    private Estimate aurora(String region, Map<String, Object> b) {
        List<String> classes = list(b.get(CostBasis.MEMBER_CLASSES));
        String engine = text(b.get(CostBasis.ENGINE), null);
        if (engine == null || !(b.get(CostBasis.MEMBER_CLASSES) instanceof Collection<?>)) {
            return Estimate.unknown("the cluster's instances or engine not known");
        }
        if (classes.isEmpty()) {
            // known, not unknown: stopping it saves no instance hours (storage is billed either way)
            return new Estimate(BigDecimal.ZERO.setScale(SCALE), "no instances in the cluster");
        }
        List<Price> prices = new ArrayList<>();
        for (String c : classes) {
            if ("db.serverless".equals(c)) {
                return Estimate.unknown("Aurora Serverless v2 instance: billed by ACU use, not by class");
            }
            PriceQuery q = PriceQuery.aurora(region, c, engine.toLowerCase(Locale.ROOT));
            Optional<Price> p = book.price(q);
            if (p.isEmpty()) {
                return Estimate.unknown("no on-demand price known for " + engine + " " + c + " in " + region);
            }
            prices.add(p.get());
        }
        return sum(prices, BigDecimal.ONE);
    }

    private Estimate ecs(String region, Map<String, Object> b) {
        String launch = text(b.get(CostBasis.LAUNCH_TYPE), null);
        if (launch == null) {
            return Estimate.unknown("launch type not known");
        }
        if (!"FARGATE".equals(launch)) {
            return Estimate.unknown(launch + " launch type: its tasks run on instances priced as EC2 or Auto Scaling rows");
        }
        BigDecimal cpu = decimal(b.get(CostBasis.TASK_CPU));
        BigDecimal mem = decimal(b.get(CostBasis.TASK_MEMORY));
        BigDecimal desired = decimal(b.get(CostBasis.DESIRED_COUNT));
        if (cpu == null || mem == null || desired == null) {
            return Estimate.unknown("the task definition's cpu and memory, or the desired count, not known");
        }
        Optional<Price> vcpu = book.price(PriceQuery.rate(PriceQuery.Product.FARGATE_VCPU_HOUR, region));
        Optional<Price> gb = book.price(PriceQuery.rate(PriceQuery.Product.FARGATE_GB_HOUR, region));
        if (vcpu.isEmpty() || gb.isEmpty()) {
            return Estimate.unknown("no Fargate price known in " + region);
        }
        BigDecimal perTask = vcpu.get().usd().multiply(cpu.divide(CPU_UNITS_PER_VCPU))
                .add(gb.get().usd().multiply(mem.divide(MIB_PER_GB)));
        return new Estimate(round(perTask.multiply(desired)), source(List.of(vcpu.get(), gb.get())));
    }

    private Estimate autoScaling(String region, Map<String, Object> b) {
        if (!(b.get(CostBasis.INSTANCE_TYPES) instanceof Collection<?>)) {
            return Estimate.unknown("the group's instances not known");
        }
        List<String> types = list(b.get(CostBasis.INSTANCE_TYPES));
        if (types.isEmpty()) {
            return new Estimate(BigDecimal.ZERO.setScale(SCALE), "no instance of the group that the pause stops");
        }
        return instances(region, types, "an instance's type");
    }

    /** The warm pool's instances in Warmed:Running, each at its type's on-demand rate (stopped ones cost only their volumes). */
    private Estimate warmPool(String region, Map<String, Object> b) {
        if (!(b.get(CostBasis.INSTANCE_TYPES) instanceof Collection<?>)) {
            return Estimate.unknown("the warm pool's instances not known");
        }
        List<String> types = list(b.get(CostBasis.INSTANCE_TYPES));
        if (types.isEmpty()) {
            return new Estimate(BigDecimal.ZERO.setScale(SCALE), "no warm instance running in the pool");
        }
        return instances(region, types, "a warm instance's type");
    }

    private Estimate lambda(String region, Map<String, Object> b) {
        BigDecimal memory = decimal(b.get(CostBasis.MEMORY_MB));
        BigDecimal concurrency = decimal(b.get(CostBasis.CONCURRENCY));
        if (memory == null || concurrency == null) {
            return Estimate.unknown("the function's memory or the provisioned concurrency not known");
        }
        Optional<Price> rate = book.price(PriceQuery.rate(PriceQuery.Product.LAMBDA_PROVISIONED_GB_SECOND, region));
        if (rate.isEmpty()) {
            return Estimate.unknown("no provisioned-concurrency price known in " + region);
        }
        BigDecimal gb = memory.divide(MIB_PER_GB);
        return new Estimate(round(rate.get().usd().multiply(gb).multiply(concurrency).multiply(SECONDS_PER_HOUR)),
                rate.get().source());
    }

    /**
     * An EKS managed node group: its desired size x the on-demand rate of its first instance type (EKS fills On-Demand
     * capacity in the order the types are listed, so the first is what runs unless it is short of capacity). Spot and
     * Capacity Block node groups, and a type set only in the launch template, are unknown with the reason.
     */
    private Estimate eksNodegroup(String region, Map<String, Object> b) {
        BigDecimal desired = decimal(b.get(CostBasis.DESIRED_SIZE));
        String capacity = text(b.get(CostBasis.CAPACITY_TYPE), "ON_DEMAND");
        if (desired == null) {
            return Estimate.unknown("the node group's desired size not known");
        }
        if (desired.signum() == 0) {
            return new Estimate(BigDecimal.ZERO.setScale(SCALE), "no nodes desired");
        }
        if (!"ON_DEMAND".equals(capacity)) {
            return Estimate.unknown(capacity + " capacity: "
                    + ("SPOT".equals(capacity) ? "billed at the Spot price of the hour, not the on-demand rate"
                            : "not billed at the on-demand rate"));
        }
        List<String> types = list(b.get(CostBasis.NODE_INSTANCE_TYPES));
        if (types.isEmpty() || types.get(0) == null || types.get(0).isBlank()) {
            return Estimate.unknown("instance type set in the node group's launch template, not read");
        }
        Optional<Price> p = book.price(PriceQuery.ec2(region, types.get(0)));
        if (p.isEmpty()) {
            return Estimate.unknown("no on-demand price known for EC2 " + types.get(0) + " in " + region);
        }
        return sum(List.of(p.get()), desired);
    }

    /** A Redshift provisioned cluster: the node type's on-demand hourly rate times the number of nodes. */
    private Estimate redshift(String region, Map<String, Object> b) {
        String nodeType = text(b.get(CostBasis.NODE_TYPE), null);
        BigDecimal nodes = decimal(b.get(CostBasis.NUMBER_OF_NODES));
        if (nodeType == null || nodes == null) {
            return Estimate.unknown("the cluster's node type or number of nodes not known");
        }
        if (Boolean.TRUE.equals(b.get(CostBasis.MULTI_AZ))) {
            return Estimate.unknown("Multi-AZ Redshift cluster: its compute runs in two Availability Zones, which the "
                    + "per-node rate does not price");
        }
        return book.price(PriceQuery.redshiftNode(region, nodeType)).map(p -> sum(List.of(p), nodes))
                .orElseGet(() -> Estimate.unknown("no on-demand price known for Redshift node type " + nodeType + " in " + region));
    }

    /** A SageMaker notebook instance: its instance type's on-demand hourly rate (its ML storage volume is billed either way). */
    private Estimate notebook(String region, Map<String, Object> b) {
        String type = text(b.get(CostBasis.NOTEBOOK_INSTANCE_TYPE), null);
        if (type == null) {
            return Estimate.unknown("the notebook instance type not known");
        }
        return book.price(PriceQuery.sageMakerNotebook(region, type)).map(p -> sum(List.of(p), BigDecimal.ONE))
                .orElseGet(() -> Estimate.unknown("no on-demand price known for SageMaker notebook instance " + type + " in " + region));
    }

    static Estimate sum(List<Price> prices, BigDecimal times) {
        BigDecimal total = BigDecimal.ZERO;
        for (Price p : prices) {
            total = total.add(p.usd());
        }
        return new Estimate(round(total.multiply(times)), source(prices));
    }

    /** One source when every price came from the same place, else each source once, joined with '+'. */
    private static String source(List<Price> prices) {
        TreeSet<String> sources = new TreeSet<>();
        prices.forEach(p -> sources.add(p.source()));
        return String.join("+", sources);
    }

    public static BigDecimal round(BigDecimal v) {
        return v.setScale(SCALE, RoundingMode.HALF_UP);
    }

    static String text(Object v, String fallback) {
        if (v == null) {
            return fallback;
        }
        String s = v.toString().trim();
        return s.isEmpty() ? fallback : s;
    }

    private static List<String> list(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            c.forEach(x -> out.add(x == null ? null : x.toString()));
        }
        return out;
    }

    static BigDecimal decimal(Object v) {
        if (v == null) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(v.toString().trim());
            return d.signum() < 0 ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
