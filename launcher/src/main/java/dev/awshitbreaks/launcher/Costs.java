package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The interactive summary of a list of resources: counts by service, taken from that same list (design
 * property 2), and the estimated cost from each resource's own estimate. A resource without an estimate is
 * counted as unknown, never as $0.
 */
final class Costs {
    static final int HOURS_PER_MONTH = 730;

    private Costs() {
    }

    /** The resource's estimated hourly cost (the engine's estimate), or null when unknown. */
    static Double hourly(ResourceResult r) {
        return r.hourlyCost();
    }

    static String label(ServiceKind s, int n) {
        String one = switch (s) {
            case EC2 -> "EC2 instance";
            case RDS -> "RDS database";
            case AURORA -> "Aurora/Neptune/DocumentDB cluster";
            case ECS -> "ECS service";
            case AUTOSCALING -> "Auto Scaling group";
            case LAMBDA -> "Lambda provisioned concurrency config";
            case EKS -> "EKS managed node group";
            case REDSHIFT -> "Redshift cluster";
            case SAGEMAKER_NOTEBOOKS -> "SageMaker notebook instance";
            case WARM_POOLS -> "Auto Scaling warm pool";
            case SPOT_FLEET -> "Spot Fleet request";
            case LAMBDA_THROTTLE -> "throttled Lambda function";
            case LAMBDA_EVENT_SOURCES -> "Lambda event source mapping";
            case APIGATEWAY -> "API Gateway stage";
            case STILL_BILLING -> "still-billing resource";
        };
        return n + " " + one + (n == 1 ? "" : one.endsWith("s") ? "es" : "s");
    }

    /** One line per service, with the types and the estimated hourly cost of that group. */
    static List<String> byService(List<ResourceResult> rows) {
        Map<ServiceKind, List<ResourceResult>> groups = new EnumMap<>(ServiceKind.class);
        rows.forEach(r -> groups.computeIfAbsent(r.service(), k -> new ArrayList<>()).add(r));
        List<String> lines = new ArrayList<>();
        groups.forEach((service, list) -> {
            Map<String, Integer> types = new TreeMap<>();
            list.forEach(r -> types.merge(r.type() == null ? "?" : r.type(), 1, Integer::sum));
            List<String> t = new ArrayList<>();
            types.forEach((k, v) -> t.add(v == 1 ? k : v + " x " + k));
            lines.add(String.format(Locale.ROOT, "%-42s %-36s %s", label(service, list.size()), String.join(", ", t), cost(list, "/hour")));
        });
        return lines;
    }

    /** {@code $1.2345/hour} for the known part, and how many are unknown; {@code unknown} when none is known. */
    static String cost(List<ResourceResult> list, String per) {
        double sum = 0;
        int known = 0;
        for (ResourceResult r : list) {
            Double h = hourly(r);
            if (h != null) {
                sum += h;
                known++;
            }
        }
        int unknown = list.size() - known;
        if (known == 0) {
            return "cost unknown";
        }
        return money(sum) + per + (unknown == 0 ? "" : " + " + unknown + " unknown");
    }

    /** The total: hourly and monthly (730 hours), and how many resources have no estimate. */
    static String total(List<ResourceResult> list) {
        double sum = 0;
        int unknown = 0;
        for (ResourceResult r : list) {
            Double h = hourly(r);
            if (h == null) {
                unknown++;
            } else {
                sum += h;
            }
        }
        if (unknown == list.size()) {
            return "unknown (no price estimate for " + (list.size() == 1 ? "it" : "any of the " + list.size()) + ")";
        }
        return money(sum) + "/hour, " + money(sum * HOURS_PER_MONTH) + "/month"
                + (unknown == 0 ? "" : " (plus " + unknown + " resource" + (unknown == 1 ? "" : "s") + " of unknown cost)");
    }

    static String money(double v) {
        return v < 1 ? String.format(Locale.ROOT, "$%.4f", v) : String.format(Locale.ROOT, "$%,.2f", v);
    }
}
