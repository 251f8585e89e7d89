package dev.awshitbreaks.services.stillbilling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.SageMakerApi;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.cost.AnalyticsBasis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The listers of OpenSearch domains, MSK clusters, SageMaker endpoints and EMR clusters, each through its API signed by
 * hand (no SDK module: the Lambda artifact's budget): read only, every page, an AWS error thrown. What each lists, how
 * it is priced and the calls it makes: docs/still-billing.md, "OpenSearch, MSK, SageMaker endpoints, EMR".
 */
final class AnalyticsListers {
    /** DescribeDomains takes at most 5 domain names a call (OpenSearch Service API reference). */
    static final int DOMAINS_PER_DESCRIBE = 5;
    /** ListClustersV2's page size (its maximum is 100). */
    static final int MSK_PAGE = 100;
    /** The EMR cluster states that bill: what the brief and the EMR guide call starting, running and waiting. */
    static final List<String> EMR_BILLING_STATES = List.of("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING");
    /** MSK cluster states that no longer (or never) run brokers: left out. */
    static final Set<String> MSK_NOT_BILLING = Set.of("DELETING", "FAILED");
    /** SageMaker endpoint states without instances running: left out. */
    static final Set<String> ENDPOINT_NOT_BILLING = Set.of("Deleting", "Failed");

    private AnalyticsListers() {
    }

    static List<StillBillingLister> all(AwsClients clients) {
        return List.of(openSearchDomains(clients), mskClusters(clients), sageMakerEndpoints(clients), emrClusters(clients));
    }

    // ---------------------------------------------------------------- OpenSearch Service

    /**
     * OpenSearch Service (and Elasticsearch) domains that exist and are not being deleted: ListDomainNames (one call, it
     * does not page), then DescribeDomains for their instances and storage, 5 domains a call (a describe per 5 domains,
     * on accounts that have domains).
     */
    static StillBillingLister openSearchDomains(AwsClients clients) {
        return StillBillingLister.of("OpenSearch domains", region -> {
            List<String> names = new ArrayList<>();
            clients.openSearch(region).get("/2021-01-01/domain", Map.of())
                    .path("DomainNames").forEach(d -> names.add(d.path("DomainName").asText()));
            List<StillBilling> out = new ArrayList<>();
            for (int from = 0; from < names.size(); from += DOMAINS_PER_DESCRIBE) {
                ObjectNode req = Json.mapper().createObjectNode();
                ArrayNode batch = req.putArray("DomainNames");
                names.subList(from, Math.min(names.size(), from + DOMAINS_PER_DESCRIBE)).forEach(batch::add);
                for (JsonNode d : clients.openSearch(region).post("/2021-01-01/opensearch/domain-info", req).path("DomainStatusList")) {
                    if (d.path("Deleted").asBoolean(false)) {
                        continue;
                    }
                    out.add(openSearchDomain(region, d));
                }
            }
            return out;
        });
    }

    static StillBilling openSearchDomain(String region, JsonNode d) {
        JsonNode c = d.path("ClusterConfig");
        List<Map<String, Object>> instances = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        Integer dataNodes = count(c.path("InstanceCount"));
        add(instances, shown, text(c.path("InstanceType")), dataNodes, "");
        if (c.path("DedicatedMasterEnabled").asBoolean(false)) {
            add(instances, shown, text(c.path("DedicatedMasterType")), count(c.path("DedicatedMasterCount")), " masters");
        }
        if (c.path("WarmEnabled").asBoolean(false)) {
            add(instances, shown, text(c.path("WarmType")), count(c.path("WarmCount")), " warm");
        }
        for (JsonNode n : c.path("NodeOptions")) {
            JsonNode cfg = n.path("NodeConfig");
            if (cfg.path("Enabled").asBoolean(false)) {
                add(instances, shown, text(cfg.path("Type")), count(cfg.path("Count")),
                        " " + n.path("NodeType").asText("other").toLowerCase(java.util.Locale.ROOT));
            }
        }
        Map<String, Object> basis = new LinkedHashMap<>();
        basis.put(AnalyticsBasis.INSTANCES, instances);
        JsonNode ebs = d.path("EBSOptions");
        if (ebs.path("EBSEnabled").asBoolean(false)) {
            String volumeType = text(ebs.path("VolumeType"));
            Integer perNode = count(ebs.path("VolumeSize"));
            if (perNode == null || dataNodes == null) {
                basis.put(AnalyticsBasis.NOT_PRICED, "the domain's EBS volume size or data node count was not listed");
            } else {
                basis.put(AnalyticsBasis.STORAGE_GIB, perNode * dataNodes);
                basis.put(AnalyticsBasis.STORAGE_TYPE, volumeType);
                shown.add(perNode * dataNodes + " GiB " + (volumeType == null ? "EBS" : volumeType));
            }
            int iops = ebs.path("Iops").asInt(0);
            int throughput = ebs.path("Throughput").asInt(0);
            if ("gp3".equals(volumeType) && (iops > 3000 || throughput > 125)) {
                basis.put(AnalyticsBasis.NOT_PRICED, "gp3 IOPS or throughput provisioned above the baseline (3,000 IOPS, "
                        + "125 MiB/s) is billed on top and has no price here");
            } else if (("io1".equals(volumeType) || "io2".equals(volumeType)) && iops > 0) {
                basis.put(AnalyticsBasis.NOT_PRICED, "provisioned IOPS of " + volumeType + " storage have no price here");
            }
        }
        String name = d.path("DomainName").asText();
        return new StillBilling(StillBillingKind.OPENSEARCH, region, name, name, String.join(", ", shown), basis,
                "bills per instance-hour and per GB-month of storage while the domain exists, whatever its traffic, and "
                        + "cannot be stopped: take a manual snapshot to S3 and delete the domain (restore it from the "
                        + "snapshot into a new domain before resuming), or scale it down to fewer or smaller instances");
    }

    // ---------------------------------------------------------------- Amazon MSK

    /**
     * MSK clusters (provisioned and serverless) that are not being deleted or failed: ListClustersV2, every page.
     * Provisioned: brokers of the broker type times the number of broker nodes, plus their EBS storage; serverless:
     * usage-based.
     */
    static StillBillingLister mskClusters(AwsClients clients) {
        return StillBillingLister.of("MSK clusters", region -> {
            List<StillBilling> out = new ArrayList<>();
            String token = null;
            do {
                Map<String, String> query = new LinkedHashMap<>();
                query.put("maxResults", String.valueOf(MSK_PAGE));
                query.put("nextToken", token);
                JsonNode page = clients.kafka(region).get("/api/v2/clusters", query);
                for (JsonNode c : page.path("clusterInfoList")) {
                    if (!MSK_NOT_BILLING.contains(c.path("state").asText(""))) {
                        out.add(mskCluster(region, c));
                    }
                }
                token = page.path("nextToken").asText(null);
            } while (token != null && !token.isEmpty());
            return out;
        });
    }

    static StillBilling mskCluster(String region, JsonNode c) {
        Map<String, Object> basis = new LinkedHashMap<>();
        String detail;
        if (c.has("serverless") || "SERVERLESS".equals(c.path("clusterType").asText())) {
            basis.put(AnalyticsBasis.USAGE_BASED, "MSK Serverless bills per cluster-hour, partition-hour and GB in, out "
                    + "and stored, which depend on its use");
            detail = "serverless";
        } else {
            JsonNode p = c.path("provisioned");
            JsonNode group = p.path("brokerNodeGroupInfo");
            String brokerType = text(group.path("instanceType"));
            Integer brokers = count(p.path("numberOfBrokerNodes"));
            basis.put(AnalyticsBasis.INSTANCES, List.of(AnalyticsBasis.instances(brokerType, brokers)));
            List<String> shown = new ArrayList<>();
            shown.add((brokers == null ? "?" : brokers) + " x " + (brokerType == null ? "?" : brokerType));
            JsonNode ebs = group.path("storageInfo").path("ebsStorageInfo");
            Integer perBroker = count(ebs.path("volumeSize"));
            if (perBroker != null && brokers != null) {
                basis.put(AnalyticsBasis.STORAGE_GIB, perBroker * brokers);
                shown.add(perBroker * brokers + " GiB");
            }
            if (ebs.path("provisionedThroughput").path("enabled").asBoolean(false)) {
                basis.put(AnalyticsBasis.NOT_PRICED, "provisioned storage throughput is billed on top and has no price here");
            }
            detail = String.join(", ", shown);
        }
        String arn = c.path("clusterArn").asText();
        return new StillBilling(StillBillingKind.MSK, region, arn, c.path("clusterName").asText(null), detail, basis,
                "bills per broker-hour and per GB-month of storage while the cluster exists, whatever its traffic; MSK "
                        + "cannot stop a cluster: if its topics can go (or are mirrored elsewhere), delete it and create "
                        + "it again before resuming, or move to fewer or smaller brokers");
    }

    // ---------------------------------------------------------------- SageMaker endpoints

    /**
     * SageMaker real-time inference endpoints that are not being deleted or failed: ListEndpoints (every page), then,
     * per endpoint, DescribeEndpoint (its configuration and current instance counts) and DescribeEndpointConfig (the
     * instance types, once per configuration): two calls per endpoint, on accounts that have endpoints.
     */
    static StillBillingLister sageMakerEndpoints(AwsClients clients) {
        return StillBillingLister.of("SageMaker endpoints", region -> {
            SageMakerApi api = clients.sageMaker(region);
            Map<String, List<SageMakerApi.ConfigVariant>> configs = new HashMap<>();
            List<StillBilling> out = new ArrayList<>();
            for (SageMakerApi.EndpointSummary e : api.listEndpoints()) {
                if (e.status() == null || ENDPOINT_NOT_BILLING.contains(e.status())) {
                    continue;
                }
                SageMakerApi.Endpoint endpoint = api.describeEndpoint(e.name());
                List<SageMakerApi.ConfigVariant> config = endpoint.configName() == null ? List.of()
                        : configs.computeIfAbsent(endpoint.configName(), api::describeEndpointConfig);
                out.add(sageMakerEndpoint(region, e, endpoint, config));
            }
            return out;
        });
    }

    static StillBilling sageMakerEndpoint(String region, SageMakerApi.EndpointSummary summary, SageMakerApi.Endpoint endpoint,
            List<SageMakerApi.ConfigVariant> config) {
        Map<String, SageMakerApi.ConfigVariant> byName = new HashMap<>();
        config.forEach(v -> byName.put(v.name(), v));
        List<Map<String, Object>> instances = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        boolean serverless = false;
        List<SageMakerApi.EndpointVariant> variants = endpoint.variants().isEmpty()
                ? config.stream().map(v -> new SageMakerApi.EndpointVariant(v.name(), v.initialInstanceCount(), v.serverless())).toList()
                : endpoint.variants();
        for (SageMakerApi.EndpointVariant v : variants) {
            SageMakerApi.ConfigVariant cv = byName.get(v.name());
            if (v.serverless() || (cv != null && cv.serverless())) {
                serverless = true;
                shown.add(v.name() + " serverless");
                continue;
            }
            String type = cv == null ? null : cv.instanceType();
            Integer count = v.currentInstanceCount() != null ? v.currentInstanceCount() : cv == null ? null : cv.initialInstanceCount();
            add(instances, shown, type, count, "");
        }
        Map<String, Object> basis = new LinkedHashMap<>();
        if (instances.isEmpty() && serverless) {
            basis.put(AnalyticsBasis.USAGE_BASED, "a serverless endpoint bills per inference duration and data processed");
        } else {
            basis.put(AnalyticsBasis.INSTANCES, instances);
        }
        return new StillBilling(StillBillingKind.SAGEMAKER_ENDPOINT, region, summary.name(), summary.name(),
                String.join(", ", shown), basis,
                "bills per instance-hour while the endpoint exists, whatever its traffic (status " + summary.status()
                        + "); delete the endpoint (its endpoint configuration " + endpoint.configName() + " and model "
                        + "stay) and create it again from that configuration before resuming, or scale it to fewer instances");
    }

    // ---------------------------------------------------------------- EMR

    /**
     * EMR clusters that are starting, bootstrapping, running or waiting: ListClusters with those states, every page. No
     * per-cluster call: their instances are EC2 instances, which the ec2 kind reports (skipped, "node of EMR cluster"),
     * priced at their EC2 rate; the EMR fee on top stays unknown (it needs each instance's type).
     */
    static StillBillingLister emrClusters(AwsClients clients) {
        return StillBillingLister.of("EMR clusters", region -> {
            List<StillBilling> out = new ArrayList<>();
            String marker = null;
            do {
                ObjectNode req = Json.mapper().createObjectNode();
                ArrayNode states = req.putArray("ClusterStates");
                EMR_BILLING_STATES.forEach(states::add);
                if (marker != null) {
                    req.put("Marker", marker);
                }
                JsonNode page = clients.emr(region).call("ListClusters", req);
                for (JsonNode c : page.path("Clusters")) {
                    out.add(emrCluster(region, c));
                }
                marker = page.path("Marker").asText(null);
            } while (marker != null && !marker.isEmpty());
            return out;
        });
    }

    static StillBilling emrCluster(String region, JsonNode c) {
        String state = c.path("Status").path("State").asText("?");
        String id = c.path("Id").asText();
        Map<String, Object> basis = new LinkedHashMap<>();
        basis.put(AnalyticsBasis.NOT_PRICED, "EMR's instances are EC2 instances, reported (skipped as nodes of " + id
                + ") and priced under ec2 when the request covers ec2; the EMR fee per instance-hour on top needs their "
                + "types, which ListClusters does not give");
        return new StillBilling(StillBillingKind.EMR, region, id, c.path("Name").asText(null), state, basis,
                "its instances bill while the cluster runs, plus the EMR fee per instance-hour; a running cluster cannot "
                        + "be stopped: once its work and data are saved to S3 (HDFS on the cluster is lost), terminate it "
                        + "and launch it again before resuming, or shrink its core and task groups");
    }

    // ---------------------------------------------------------------- helpers

    private static void add(List<Map<String, Object>> instances, List<String> shown, String type, Integer count, String role) {
        instances.add(AnalyticsBasis.instances(type, count));
        shown.add((count == null ? "?" : count) + " x " + (type == null ? "?" : type) + role);
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }

    private static Integer count(JsonNode n) {
        return n.isNumber() || (n.isTextual() && n.asText().matches("\\d+")) ? n.asInt() : null;
    }
}
