package dev.awshitbreaks.services.stillbilling;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.QueryApi;
import dev.awshitbreaks.cost.CostBasis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.w3c.dom.Element;

/**
 * The listers of load balancers (application, network, gateway, classic) and ElastiCache (node-based and serverless),
 * through the Query protocol by hand-signed calls ({@link QueryApi}): one describe call per page, every page, the
 * largest page each API allows. Nothing is changed.
 */
public final class QueryApiListers {
    /** DescribeLoadBalancers' largest PageSize, v2 and classic alike (API references: 1-400). */
    public static final int LOAD_BALANCER_PAGE = 400;
    /** DescribeCacheClusters' largest MaxRecords (API reference: 20-100). */
    public static final int CACHE_CLUSTER_PAGE = 100;
    /** DescribeServerlessCaches' largest MaxResults (API reference: default and maximum 50). */
    public static final int SERVERLESS_CACHE_PAGE = 50;

    private QueryApiListers() {
    }

    static List<StillBillingLister> all(AwsClients clients) {
        return List.of(loadBalancers(clients, LOAD_BALANCER_PAGE), classicLoadBalancers(clients, LOAD_BALANCER_PAGE),
                cacheClusters(clients, CACHE_CLUSTER_PAGE), serverlessCaches(clients, SERVERLESS_CACHE_PAGE));
    }

    /**
     * Application, network and gateway load balancers that are provisioning, active or active_impaired (Elastic Load
     * Balancing bills each hour or partial hour a load balancer runs, plus its capacity units); a failed one is left
     * out. One DescribeLoadBalancers (2015-12-01) call per page of {@code pageSize}.
     */
    public static StillBillingLister loadBalancers(AwsClients clients, int pageSize) {
        return StillBillingLister.of("application, network and gateway load balancers", region -> {
            List<StillBilling> out = new ArrayList<>();
            pages(region, m -> clients.elasticLoadBalancingV2(region).call("DescribeLoadBalancers", page("PageSize", pageSize, "Marker", m)),
                    "DescribeLoadBalancers", "NextMarker", result -> {
                        for (Element lb : QueryApi.children(QueryApi.child(result, "LoadBalancers"), "member")) {
                            String state = QueryApi.text(lb, "State", "Code");
                            if ("failed".equals(state)) {
                                continue;
                            }
                            String type = lower(QueryApi.text(lb, "Type"), "application");
                            String scheme = QueryApi.text(lb, "Scheme");
                            String vpc = QueryApi.text(lb, "VpcId");
                            String arn = QueryApi.text(lb, "LoadBalancerArn");
                            String name = QueryApi.text(lb, "LoadBalancerName");
                            out.add(new StillBilling(StillBillingKind.LOAD_BALANCER, region, arn == null ? name : arn, name,
                                    detail(type, scheme, vpc), Map.of(CostBasis.LOAD_BALANCER_TYPE, type),
                                    loadBalancerHint(type, name)));
                        }
                    });
            return out;
        });
    }

    /** Classic Load Balancers (every one listed bills by the hour). One DescribeLoadBalancers (2012-06-01) call per page. */
    public static StillBillingLister classicLoadBalancers(AwsClients clients, int pageSize) {
        return StillBillingLister.of("Classic Load Balancers", region -> {
            List<StillBilling> out = new ArrayList<>();
            pages(region, m -> clients.classicElasticLoadBalancing(region).call("DescribeLoadBalancers", page("PageSize", pageSize, "Marker", m)),
                    "DescribeLoadBalancers", "NextMarker", result -> {
                        for (Element lb : QueryApi.children(QueryApi.child(result, "LoadBalancerDescriptions"), "member")) {
                            String name = QueryApi.text(lb, "LoadBalancerName");
                            out.add(new StillBilling(StillBillingKind.LOAD_BALANCER, region, name, name,
                                    detail("classic", QueryApi.text(lb, "Scheme"), QueryApi.text(lb, "VPCId")),
                                    Map.of(CostBasis.LOAD_BALANCER_TYPE, "classic"), loadBalancerHint("classic", name)));
                        }
                    });
            return out;
        });
    }

    /**
     * Node-based ElastiCache clusters in any state but deleting or deleted (ElastiCache bills every node-hour from launch
     * to termination), a replication group's nodes included (each is a cache cluster of its own). One
     * DescribeCacheClusters call per page of {@code pageSize} (20-100).
     */
    public static StillBillingLister cacheClusters(AwsClients clients, int pageSize) {
        return StillBillingLister.of("ElastiCache clusters", region -> {
            List<StillBilling> out = new ArrayList<>();
            pages(region, m -> clients.elastiCache(region).call("DescribeCacheClusters", page("MaxRecords", pageSize, "Marker", m)),
                    "DescribeCacheClusters", "Marker", result -> {
                        for (Element c : QueryApi.children(QueryApi.child(result, "CacheClusters"), "CacheCluster")) {
                            String status = QueryApi.text(c, "CacheClusterStatus");
                            if ("deleting".equals(status) || "deleted".equals(status)) {
                                continue;
                            }
                            String id = QueryApi.text(c, "CacheClusterId");
                            String nodeType = QueryApi.text(c, "CacheNodeType");
                            String engine = lower(QueryApi.text(c, "Engine"), null);
                            String nodes = QueryApi.text(c, "NumCacheNodes");
                            String group = QueryApi.text(c, "ReplicationGroupId");
                            Map<String, Object> basis = new LinkedHashMap<>();
                            putIfKnown(basis, CostBasis.NODE_TYPE, nodeType);
                            putIfKnown(basis, CostBasis.NUMBER_OF_NODES, nodes);
                            putIfKnown(basis, CostBasis.ENGINE, engine);
                            String detail = (engine == null ? "" : engine + " ") + (nodeType == null ? "node type unknown" : nodeType)
                                    + " x " + (nodes == null ? "?" : nodes) + (group == null ? "" : " in " + group);
                            out.add(new StillBilling(StillBillingKind.ELASTICACHE, region, id, id, detail, basis,
                                    cacheClusterHint(engine, group)));
                        }
                    });
            return out;
        });
    }

    /**
     * ElastiCache Serverless caches that are creating, available or modifying (deleting and create-failed ones are left
     * out): billed by data stored and ECPUs used, so priced unknown with the reason. One DescribeServerlessCaches call per
     * page of {@code pageSize} (at most 50).
     */
    public static StillBillingLister serverlessCaches(AwsClients clients, int pageSize) {
        return StillBillingLister.of("ElastiCache serverless caches", region -> {
            List<StillBilling> out = new ArrayList<>();
            pages(region, t -> clients.elastiCache(region).call("DescribeServerlessCaches", page("MaxResults", pageSize, "NextToken", t)),
                    "DescribeServerlessCaches", "NextToken", result -> {
                        for (Element c : QueryApi.children(QueryApi.child(result, "ServerlessCaches"), "member")) {
                            String status = QueryApi.text(c, "Status");
                            if ("deleting".equals(status) || "create-failed".equals(status)) {
                                continue;
                            }
                            String name = QueryApi.text(c, "ServerlessCacheName");
                            String engine = lower(QueryApi.text(c, "Engine"), null);
                            Map<String, Object> basis = new LinkedHashMap<>();
                            basis.put(CostBasis.SERVERLESS, true);
                            putIfKnown(basis, CostBasis.ENGINE, engine);
                            out.add(new StillBilling(StillBillingKind.ELASTICACHE, region, name, name,
                                    "serverless" + (engine == null ? "" : " " + engine), basis,
                                    "bills per GB-hour of data stored (at least " + ("valkey".equals(engine) ? "100 MB" : "1 GB")
                                            + " even when idle) and per ECPU used; if nothing needs it while paused, create a"
                                            + " snapshot and delete it, and restore the snapshot before resuming"));
                        }
                    });
            return out;
        });
    }

    private static String loadBalancerHint(String type, String name) {
        String usage = switch (type) {
            case "classic" -> "plus per GB processed";
            case "network" -> "plus NLCUs (usage-based, not in this estimate)";
            case "gateway" -> "plus GLCUs (usage-based, not in this estimate)";
            default -> "plus LCUs (usage-based, not in this estimate)";
        };
        return "bills per hour while it exists, " + usage + "; if nothing needs to reach " + name + " while paused,"
                + " note its listeners, rules and targets, delete it, and create it again (DNS records included) before resuming";
    }

    private static String cacheClusterHint(String engine, String group) {
        if ("memcached".equals(engine)) {
            return "bills per node-hour while it exists; Memcached keeps nothing to restore: if nothing needs it while paused,"
                    + " delete it and create it again before resuming";
        }
        String what = group == null ? "the cluster" : "replication group " + group;
        return "bills per node-hour while it exists; if nothing needs it while paused, delete " + what
                + " with a final snapshot and restore it before resuming";
    }

    private static String detail(String type, String scheme, String vpc) {
        return type + (scheme == null ? "" : " " + scheme) + (vpc == null ? "" : " in " + vpc);
    }

    private static String lower(String s, String fallback) {
        return s == null ? fallback : s.toLowerCase(Locale.ROOT);
    }

    private static void putIfKnown(Map<String, Object> basis, String key, String value) {
        if (value != null) {
            basis.put(key, value);
        }
    }

    /** A page's parameters: its size, and the marker of the page before (none on the first). */
    private static Map<String, String> page(String sizeName, int size, String markerName, String marker) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(sizeName, Integer.toString(size));
        if (marker != null) {
            p.put(markerName, marker);
        }
        return p;
    }

    /** Calls for every page, one call each, until the answer names no next page; a marker seen twice is an error. */
    private static void pages(String region, Function<String, org.w3c.dom.Document> call, String action, String next,
            java.util.function.Consumer<Element> onPage) {
        Set<String> seen = new HashSet<>();
        String marker = null;
        do {
            Element result = QueryApi.result(call.apply(marker), action);
            onPage.accept(result);
            marker = QueryApi.text(result, next);
            if (marker != null && !seen.add(marker)) {
                throw new IllegalStateException(action + " in " + region + " answered the same " + next + " twice");
            }
        } while (marker != null);
    }

}
