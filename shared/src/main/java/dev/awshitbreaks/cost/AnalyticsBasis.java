package dev.awshitbreaks.cost;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys of the cost basis the analytics still-billing listers record (OpenSearch domains, MSK clusters, SageMaker
 * endpoints, EMR clusters) and {@link AnalyticsPrices} prices by. Only what the listing calls returned.
 */
public final class AnalyticsBasis {
    /**
     * The instances that bill by the hour, a list of {@code {"type": <instance or broker type>, "count": <n>}} (data
     * nodes, dedicated masters, warm and coordinator nodes; brokers; endpoint instances); a null count is unknown.
     */
    public static final String INSTANCES = "instances";
    /** Provisioned storage billed per GB-month, in GiB, over every node or broker (absent when none). */
    public static final String STORAGE_GIB = "storageGib";
    /** OpenSearch: the EBS volume type of that storage (gp3, gp2, ...). */
    public static final String STORAGE_TYPE = "storageType";
    /** Why the resource has no hourly figure at all (serverless: billed by use), when it has none. */
    public static final String USAGE_BASED = "usageBased";
    /** Why a figure the estimate needs is not known (provisioned IOPS, the EMR fee), when one is not. */
    public static final String NOT_PRICED = "notPriced";
    /** In each {@link #INSTANCES} entry: the type. */
    public static final String TYPE = "type";
    /** In each {@link #INSTANCES} entry: how many. */
    public static final String COUNT = "count";

    private AnalyticsBasis() {
    }

    /** One {@link #INSTANCES} entry. */
    public static Map<String, Object> instances(String type, Integer count) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(TYPE, type);
        m.put(COUNT, count);
        return m;
    }
}
