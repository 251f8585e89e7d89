package dev.awshitbreaks.cost;

import dev.awshitbreaks.cost.CostEstimator.Estimate;
import dev.awshitbreaks.services.stillbilling.StillBillingKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Hourly estimates of OpenSearch domains, MSK clusters, SageMaker endpoints and EMR clusters ({@link AnalyticsBasis}):
 * each instance type's hourly price times its count, plus provisioned storage's GB-month price times its GiB over 730
 * hours. Unknown, with the reason, when the resource is billed by use (serverless), when a price or a count is not
 * known, and for EMR (its instances are EC2 instances the ec2 kind reports; the EMR fee on top needs their types,
 * which ListClusters does not give).
 */
final class AnalyticsPrices {
    /** Hours in the month a GB-month price is for (design property 11's month). */
    static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);

    private AnalyticsPrices() {
    }

    static Estimate estimate(PriceBook book, StillBillingKind kind, String region, String type, Map<String, Object> basis) {
        Object usage = basis.get(AnalyticsBasis.USAGE_BASED);
        if (usage != null) {
            return Estimate.unknown("usage-based: " + usage);
        }
        Object notPriced = basis.get(AnalyticsBasis.NOT_PRICED);
        if (notPriced != null) {
            return Estimate.unknown(notPriced.toString());
        }
        return switch (kind) {
            case OPENSEARCH -> priced(book, region, basis, PriceQuery.Product.OPENSEARCH_INSTANCE, "OpenSearch instance",
                    storage(region, PriceQuery.Product.OPENSEARCH_STORAGE_GB_MONTH,
                            CostEstimator.text(basis.get(AnalyticsBasis.STORAGE_TYPE), null), "OpenSearch EBS storage"));
            case MSK -> priced(book, region, basis, PriceQuery.Product.MSK_BROKER, "MSK broker",
                    storage(region, PriceQuery.Product.MSK_STORAGE_GB_MONTH, null, "MSK broker storage"));
            case SAGEMAKER_ENDPOINT -> priced(book, region, basis, PriceQuery.Product.SAGEMAKER_HOSTING_INSTANCE,
                    "SageMaker real-time inference instance", null);
            case EMR -> Estimate.unknown("EMR's instances are EC2 instances, reported under ec2; the EMR fee on top "
                    + "needs their types, which ListClusters does not give");
            default -> Estimate.unknown("no price for " + kind.label() + " here");
        };
    }

    /** What one GB-month of storage is looked up as, and what it is called in a reason. */
    private record Storage(PriceQuery query, String what) {
    }

    private static Storage storage(String region, PriceQuery.Product product, String volumeType, String what) {
        return new Storage(product == PriceQuery.Product.MSK_STORAGE_GB_MONTH ? PriceQuery.rate(product, region)
                : PriceQuery.typed(product, region, volumeType), what + (volumeType == null ? "" : " (" + volumeType + ")"));
    }

    private static Estimate priced(PriceBook book, String region, Map<String, Object> basis, PriceQuery.Product product,
            String what, Storage storage) {
        List<Map<?, ?>> instances = entries(basis.get(AnalyticsBasis.INSTANCES));
        if (instances.isEmpty()) {
            return Estimate.unknown("no instance types and counts were listed");
        }
        BigDecimal total = BigDecimal.ZERO;
        TreeSet<String> sources = new TreeSet<>();
        for (Map<?, ?> entry : instances) {
            String type = CostEstimator.text(entry.get(AnalyticsBasis.TYPE), null);
            BigDecimal count = CostEstimator.decimal(entry.get(AnalyticsBasis.COUNT));
            if (type == null || count == null) {
                return Estimate.unknown("the " + what + " type or count was not listed");
            }
            Optional<Price> p = book.price(PriceQuery.typed(product, region, type));
            if (p.isEmpty()) {
                return Estimate.unknown("no on-demand price known for " + what + " " + type + " in " + region);
            }
            total = total.add(p.get().usd().multiply(count));
            sources.add(p.get().source());
        }
        BigDecimal gib = CostEstimator.decimal(basis.get(AnalyticsBasis.STORAGE_GIB));
        if (storage != null && gib != null && gib.signum() > 0) {
            if (storage.query().product() == PriceQuery.Product.OPENSEARCH_STORAGE_GB_MONTH && storage.query().type() == null) {
                return Estimate.unknown("the OpenSearch EBS volume type was not listed");
            }
            Optional<Price> p = book.price(storage.query());
            if (p.isEmpty()) {
                return Estimate.unknown("no price known for " + storage.what() + " per GB-month in " + region);
            }
            total = total.add(p.get().usd().multiply(gib).divide(HOURS_PER_MONTH, 12, java.math.RoundingMode.HALF_UP));
            sources.add(p.get().source());
        }
        return new Estimate(CostEstimator.round(total), String.join("+", sources));
    }

    private static List<Map<?, ?>> entries(Object v) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                if (o instanceof Map<?, ?> m) {
                    out.add(m);
                }
            }
        }
        return out;
    }
}
