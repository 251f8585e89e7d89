package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.aws.SignedJsonCall;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.RecordingProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * What still bills among OpenSearch domains, MSK clusters, SageMaker endpoints and EMR clusters, against moto 5.2.5
 * (which implements ListDomainNames/DescribeDomains, ListClustersV2, ListEndpoints/DescribeEndpoint/
 * DescribeEndpointConfig and ListClusters): listed by the real engine in a discover and a real pause of
 * {@code still-billing}, priced, never changed. The engine's calls go through a {@link RecordingProxy} recording them
 * as the Target function's (scripts/iam_coverage.py checks them against its role). Where moto does not page (MSK's
 * ListClustersV2, EMR's ListClusters under 100 clusters), a {@link FaultProxy} answers a first page as AWS documents it
 * (labelled in each test).
 */
class AnalyticsStillBillingTest {
    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private EngineFixture f;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
    }

    private static Request request(Action action, List<String> regions) {
        return new Request(action, regions, List.of("still-billing"), null, null, null, false, null, null);
    }

    /** The engine over clients whose calls go to {@code endpoint} (a proxy in front of moto); the fixture's store. */
    private BrakeEngine engineAt(URI endpoint) {
        AwsClients through = new AwsClients(new AwsSettings(endpoint, US, EngineFixture.TABLE, EngineFixture.BUCKET),
                MotoAccount.CREDENTIALS);
        return new BrakeEngine(through, f.store, EngineFixture.FAST, Clock.systemUTC(), SecureRandom::new,
                BrakeEngine.pausers(through, EngineFixture.FAST));
    }

    @Test
    void aDiscoverAndAPauseListEachKindPricedWithItsHintAndChangeNothing() {
        domain(US, "logs", "t3.small.search", 2, 3, 20);
        for (int i = 1; i <= 5; i++) {
            domain(US, "small-" + i, "t3.small.search", 1, 0, 10);
        }
        domain(EU, "exotic", "r7gd.16xlarge.search", 1, 0, 0);
        String events = provisionedMsk(US, "events", "kafka.m5.large", 3, 100);
        String bursty = serverlessMsk(US, "bursty");
        model(US, "scorer-model");
        endpointConfig(US, "scorer-config", List.of(Map.of("VariantName", "AllTraffic", "ModelName", "scorer-model",
                "InstanceType", "ml.m5.large", "InitialInstanceCount", 2)));
        endpoint(US, "scorer", "scorer-config");
        endpointConfig(US, "lazy-config", List.of(Map.of("VariantName", "AllTraffic", "ModelName", "scorer-model",
                "ServerlessConfig", Map.of("MemorySizeInMB", 2048, "MaxConcurrency", 5))));
        endpoint(US, "lazy", "lazy-config");
        String waiting = emrCluster(US, "nightly-etl");
        String ended = emrCluster(US, "done");
        emr(US, "TerminateJobFlows", Map.of("JobFlowIds", List.of(ended)));
        Map<String, String> before = readBack();

        try (RecordingProxy target = RecordingProxy.forFunction("Target", MotoServer.get().endpoint())) {
            BrakeEngine engine = engineAt(target.endpoint());
            OperationReport discover = engine.run(request(Action.DISCOVER, List.of(US, EU)), ProgressListener.NONE);
            OperationReport pause = engine.run(request(Action.PAUSE, List.of(US, EU)), ProgressListener.NONE);

            for (OperationReport report : List.of(discover, pause)) {
                Map<String, ResourceResult> rows = analyticsRows(report);
                assertThat(rows.keySet()).containsExactlyInAnyOrder("logs", "small-1", "small-2", "small-3", "small-4",
                        "small-5", "exotic", events, bursty, "scorer", "lazy", waiting);
                assertThat(rows.values()).allSatisfy(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.STILL_BILLING);
                    assertThat(r.service()).isEqualTo(ServiceKind.STILL_BILLING);
                });

                ResourceResult logs = rows.get("logs");
                assertThat(logs.type()).isEqualTo("opensearch 2 x t3.small.search, 3 x t3.small.search masters, 40 GiB gp3");
                // 5 instances x 0.036 + 40 GiB x 0.122 / 730 h = 0.18 + 0.0066849... (bundled US East prices)
                assertThat(logs.hourlyCost()).isEqualTo(0.186685);
                assertThat(logs.priceSource()).startsWith("bundled-table:");
                assertThat(logs.reason()).contains("snapshot").contains("delete the domain");
                assertThat(rows.get("exotic").hourlyCost()).isNull();
                assertThat(rows.get("exotic").priceSource())
                        .isEqualTo("unknown: no on-demand price known for OpenSearch instance r7gd.16xlarge.search in eu-west-1");

                ResourceResult msk = rows.get(events);
                assertThat(msk.type()).isEqualTo("msk 3 x kafka.m5.large, 300 GiB");
                assertThat(msk.name()).isEqualTo("events");
                // 3 brokers x 0.21 + 300 GiB x 0.10 / 730 h = 0.63 + 0.0410958...
                assertThat(msk.hourlyCost()).isEqualTo(0.671096);
                assertThat(msk.reason()).contains("MSK cannot stop a cluster");
                assertThat(rows.get(bursty).type()).isEqualTo("msk serverless");
                assertThat(rows.get(bursty).hourlyCost()).isNull();
                assertThat(rows.get(bursty).priceSource()).startsWith("unknown: usage-based: MSK Serverless");

                ResourceResult scorer = rows.get("scorer");
                assertThat(scorer.type()).isEqualTo("sagemaker-endpoint 2 x ml.m5.large");
                assertThat(scorer.hourlyCost()).as("2 x 0.115").isEqualTo(0.23);
                assertThat(scorer.reason()).contains("delete the endpoint").contains("scorer-config");
                assertThat(rows.get("lazy").hourlyCost()).isNull();
                assertThat(rows.get("lazy").priceSource()).startsWith("unknown: usage-based: a serverless endpoint");

                ResourceResult emr = rows.get(waiting);
                assertThat(emr.type()).isEqualTo("emr WAITING");
                assertThat(emr.name()).isEqualTo("nightly-etl");
                assertThat(emr.hourlyCost()).isNull();
                assertThat(emr.priceSource()).contains("reported").contains("under ec2");
                assertThat(emr.reason()).contains("terminate it");
                assertThat(report.burnRate().stillBills().byService()).containsKeys("opensearch", "msk",
                        "sagemaker-endpoint", "emr");
            }
            assertThat(readBack()).as("nothing of these kinds was changed").isEqualTo(before);
            List<String> analytics = target.calls().stream().map(RecordingProxy.Call::operation)
                    .filter(o -> !o.matches("(?i).*(dynamodb|GetItem|PutItem|Query|TransactWrite|UpdateItem).*")).toList();
            assertThat(analytics).as("only reads").allSatisfy(o -> assertThat(o)
                    .matches("(Describe|List|GET ).*|POST /2021-01-01/opensearch/domain-info"));
            // per region and operation: ListDomainNames once; DescribeDomains per 5 domains (6 in us-east-1: 2 calls)
            assertThat(target.calls().stream().filter(c -> c.path().startsWith("/2021-01-01/opensearch/domain-info")).count())
                    .as("DescribeDomains: 2 in us-east-1 (6 domains) and 1 in eu-west-1, for each of the two runs").isEqualTo(6);
        }
    }

    /**
     * Paging. MSK: moto answers ListClustersV2 in one page whatever maxResults; a proxy answers the first call as AWS
     * pages (one cluster and a nextToken), the second goes to moto. EMR: moto pages ListClusters at 100; a proxy answers
     * the first page with one cluster and a Marker, and the lister must send that Marker for the next.
     */
    @Test
    void everyPageIsListed() {
        String events = provisionedMsk(US, "events", "kafka.m5.large", 3, 100);
        String waiting = emrCluster(US, "nightly-etl");
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.service().equals("kafka") && c.path().equals("/api/v2/clusters"), 1,
                    c -> new FaultProxy.Answer(200, "application/json", Json.write(Map.of("nextToken", "page-2",
                            "clusterInfoList", List.of(Map.of("clusterArn", "arn:aws:kafka:us-east-1:123456789012:cluster/first/abc",
                                    "clusterName", "first", "clusterType", "PROVISIONED", "state", "ACTIVE",
                                    "provisioned", Map.of("numberOfBrokerNodes", 2, "brokerNodeGroupInfo",
                                            Map.of("instanceType", "kafka.m5.large",
                                                    "storageInfo", Map.of("ebsStorageInfo", Map.of("volumeSize", 10))))))))));
            proxy.respondInstead(c -> c.operation().equals("ListClusters") && c.service().equals("elasticmapreduce"), 1,
                    c -> new FaultProxy.Answer(200, "application/x-amz-json-1.1", Json.write(Map.of("Marker", "page-2",
                            "Clusters", List.of(Map.of("Id", "j-FIRSTPAGE", "Name", "first",
                                    "Status", Map.of("State", "RUNNING"), "NormalizedInstanceHours", 8))))));
            proxy.respondInstead(c -> c.operation().equals("ListClusters") && c.service().equals("elasticmapreduce"), 1,
                    c -> new FaultProxy.Answer(200, "application/x-amz-json-1.1", Json.write(Map.of(
                            "Clusters", List.of(Map.of("Id", waiting, "Name", "nightly-etl", "Status", Map.of("State", "WAITING")))))));

            OperationReport discover = engineAt(proxy.endpoint()).run(request(Action.DISCOVER, List.of(US)), ProgressListener.NONE);

            Map<String, ResourceResult> rows = analyticsRows(discover);
            assertThat(rows.keySet()).contains("arn:aws:kafka:us-east-1:123456789012:cluster/first/abc", events,
                    "j-FIRSTPAGE", waiting);
            assertThat(rows.get("arn:aws:kafka:us-east-1:123456789012:cluster/first/abc").hourlyCost())
                    .as("2 x 0.21 + 20 GiB x 0.10 / 730").isEqualTo(0.422740);
            List<FaultProxy.Call> msk = proxy.calls().stream().filter(c -> c.service().equals("kafka")).toList();
            assertThat(msk).hasSize(2);
            List<FaultProxy.Call> emr = proxy.calls().stream().filter(c -> c.service().equals("elasticmapreduce")).toList();
            assertThat(emr).hasSize(2);
            assertThat(tree(emr.get(1).body()).path("Marker").asText()).isEqualTo("page-2");
            assertThat(tree(emr.get(0).body()).path("ClusterStates").toString())
                    .isEqualTo("[\"STARTING\",\"BOOTSTRAPPING\",\"RUNNING\",\"WAITING\"]");
        }
    }

    /** SageMaker's ListEndpoints pages at 100 in moto as in AWS: 101 endpoints take two pages, each listed once. */
    @Test
    void moreEndpointsThanAPageAreAllListed() {
        model(US, "m");
        endpointConfig(US, "c", List.of(Map.of("VariantName", "AllTraffic", "ModelName", "m",
                "InstanceType", "ml.m5.large", "InitialInstanceCount", 1)));
        for (int i = 0; i < 101; i++) {
            endpoint(US, "e-" + i, "c");
        }
        try (RecordingProxy target = RecordingProxy.forFunction("Target", MotoServer.get().endpoint())) {
            OperationReport discover = engineAt(target.endpoint()).run(request(Action.DISCOVER, List.of(US)), ProgressListener.NONE);

            assertThat(analyticsRows(discover)).hasSize(101).allSatisfy((id, r) -> assertThat(r.hourlyCost()).isEqualTo(0.115));
            assertThat(target.calls().stream().filter(c -> c.operation().equals("ListEndpoints")).count()).isEqualTo(2);
            assertThat(target.calls().stream().filter(c -> c.operation().equals("DescribeEndpointConfig")).count())
                    .as("one configuration, described once").isEqualTo(1);
        }
    }

    /**
     * Why the EMR row has no price: its instances are EC2 instances, which the ec2 kind reports skipped ("node of EMR
     * cluster"), at their EC2 rate, in what still bills; pricing them again under emr would count them twice. moto does
     * not tag EMR's instances; AWS tags each with aws:elasticmapreduce:job-flow-id and instance-group-role, which this
     * test sets as AWS would.
     */
    @Test
    void anEmrClustersInstancesAreSkippedUnderEc2AtTheirRateAndTheEmrRowStaysUnpriced() {
        String cluster = emr(US, "RunJobFlow", Map.of("Name", "nightly-etl", "ReleaseLabel", "emr-6.15.0",
                "Instances", Map.of("KeepJobFlowAliveWhenNoSteps", true, "InstanceGroups", List.of(Map.of("Name", "Master",
                        "InstanceRole", "MASTER", "InstanceType", "m5.xlarge", "InstanceCount", 1, "Market", "ON_DEMAND"))),
                "JobFlowRole", "EMR_EC2_DefaultRole", "ServiceRole", "EMR_DefaultRole")).path("JobFlowId").asText();
        List<String> nodes = new ArrayList<>();
        emr(US, "ListInstances", Map.of("ClusterId", cluster)).path("Instances")
                .forEach(i -> nodes.add(i.path("Ec2InstanceId").asText()));
        assertThat(nodes).isNotEmpty();
        f.clients.ec2(US).createTags(b -> b.resources(nodes).tags(
                software.amazon.awssdk.services.ec2.model.Tag.builder().key("aws:elasticmapreduce:job-flow-id").value(cluster).build(),
                software.amazon.awssdk.services.ec2.model.Tag.builder().key("aws:elasticmapreduce:instance-group-role").value("MASTER").build()));

        OperationReport pause = f.engine().run(new Request(Action.PAUSE, List.of(US), List.of("ec2", "still-billing"), null,
                null, null, false, null, null), ProgressListener.NONE);

        for (String node : nodes) {
            ResourceResult r = pause.resources().stream().filter(x -> x.id().equals(node)).findFirst().orElseThrow();
            assertThat(r.service()).isEqualTo(ServiceKind.EC2);
            assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(r.reason()).startsWith("node of EMR cluster " + cluster);
            assertThat(r.hourlyCost()).as("its EC2 rate (m5.xlarge, US East), counted in what still bills").isEqualTo(0.192);
            assertThat(f.account.state(US, node)).isEqualTo("running");
        }
        ResourceResult emrRow = analyticsRows(pause).get(cluster);
        assertThat(emrRow.outcome()).isEqualTo(Outcome.STILL_BILLING);
        assertThat(emrRow.hourlyCost()).isNull();
        assertThat(pause.burnRate().stillBills().byService().get("ec2").priced()).isEqualTo(nodes.size());
        assertThat(pause.burnRate().stillBills().byService().get("emr").unknown()).isEqualTo(1);
    }

    /**
     * The hand-signed calls retry as the SDK clients do: the first call of each of these services is throttled (the
     * error each service sends: MSK and OpenSearch HTTP 429, SageMaker and EMR HTTP 400 ThrottlingException) and the
     * second fails with HTTP 500, and every resource is still listed, with no failed row. (The faults are answered by
     * the proxy for exactly those calls, so the test does not depend on which other targets run beside it.)
     */
    @Test
    void throttledAndFailingCallsAreRetried() {
        domain(US, "logs", "t3.small.search", 1, 0, 10);
        String events = provisionedMsk(US, "events", "kafka.m5.large", 3, 100);
        model(US, "m");
        endpointConfig(US, "c", List.of(Map.of("VariantName", "AllTraffic", "ModelName", "m",
                "InstanceType", "ml.m5.large", "InitialInstanceCount", 1)));
        endpoint(US, "scorer", "c");
        String waiting = emrCluster(US, "nightly-etl");
        java.util.concurrent.atomic.AtomicInteger throttled = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            for (String service : List.of("es", "kafka", "sagemaker", "elasticmapreduce")) {
                java.util.concurrent.atomic.AtomicInteger nth = new java.util.concurrent.atomic.AtomicInteger();
                proxy.respondInstead(c -> c.service().equals(service), 2, c -> {
                    if (nth.getAndIncrement() == 0) {
                        throttled.incrementAndGet();
                        return switch (service) {
                            case "es", "kafka" -> new FaultProxy.Answer(429, "application/json",
                                    "{\"message\":\"Rate exceeded\"}");
                            default -> new FaultProxy.Answer(400, "application/x-amz-json-1.1",
                                    "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
                        };
                    }
                    failed.incrementAndGet();
                    return new FaultProxy.Answer(500, "text/plain", "internal error");
                });
            }
            OperationReport discover = engineAt(proxy.endpoint()).run(request(Action.DISCOVER, List.of(US)), ProgressListener.NONE);

            assertThat(throttled.get()).as("each service's first call throttled").isEqualTo(4);
            assertThat(failed.get()).as("each service's second call failed").isEqualTo(4);
            assertThat(discover.resources()).noneMatch(r -> r.outcome() == Outcome.FAILED);
            assertThat(analyticsRows(discover).keySet()).containsExactlyInAnyOrder("logs", events, "scorer", waiting);
        }
    }

    /** A lister whose call AWS refuses gives one failed row saying so; the other kinds are still listed. */
    @Test
    void aListerThatFailsIsOneFailedRowAndTheOthersStillList() {
        domain(US, "logs", "t3.small.search", 1, 0, 10);
        String events = provisionedMsk(US, "events", "kafka.m5.large", 3, 100);
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.service().equals("kafka"), 1000, c -> new FaultProxy.Answer(403, "application/json",
                    "{\"message\":\"User: arn:aws:sts::123456789012:assumed-role/target is not authorized to perform: kafka:ListClustersV2\"}"));

            OperationReport pause = engineAt(proxy.endpoint()).run(request(Action.PAUSE, List.of(US)), ProgressListener.NONE);

            Map<String, ResourceResult> rows = analyticsRows(pause);
            assertThat(rows).containsKey("logs").doesNotContainKey(events);
            ResourceResult failed = pause.resources().stream().filter(r -> r.id().equals("(MSK clusters)")).findFirst().orElseThrow();
            assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(failed.reason()).startsWith("could not list MSK clusters: HTTP 403: User:").contains("kafka:ListClustersV2")
                    .endsWith("what they cost is missing from the figures");
            assertThat(rows.get("logs").outcome()).isEqualTo(Outcome.STILL_BILLING);
        }
    }

    // ---------------------------------------------------------------- rows and read-back

    private static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.Set<String> KINDS = java.util.Set.of("opensearch", "msk", "sagemaker-endpoint", "emr");

    private static Map<String, ResourceResult> analyticsRows(OperationReport report) {
        Map<String, ResourceResult> out = new LinkedHashMap<>();
        report.resources().stream().filter(r -> r.service() == ServiceKind.STILL_BILLING && r.type() != null
                && KINDS.contains(r.type().split(" ", 2)[0])).forEach(r -> out.put(r.id(), r));
        return out;
    }

    /** Every resource of these kinds as its service shows it now (configuration and state), by id. */
    private Map<String, String> readBack() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String region : List.of(US, EU)) {
            JsonNode names = rest(region, "es", SdkHttpMethod.GET, "/2021-01-01/domain", null);
            List<String> domains = new ArrayList<>();
            names.path("DomainNames").forEach(n -> domains.add(n.path("DomainName").asText()));
            if (!domains.isEmpty()) {
                rest(region, "es", SdkHttpMethod.POST, "/2021-01-01/opensearch/domain-info", Map.of("DomainNames", domains))
                        .path("DomainStatusList").forEach(d -> out.put(d.path("DomainName").asText(),
                                d.path("ClusterConfig").toString() + d.path("EBSOptions") + d.path("Deleted")));
            }
            rest(region, "kafka", SdkHttpMethod.GET, "/api/v2/clusters", null).path("clusterInfoList")
                    .forEach(c -> out.put(c.path("clusterArn").asText(), c.path("state").asText() + c.path("provisioned")
                            .path("numberOfBrokerNodes") + c.path("provisioned").path("brokerNodeGroupInfo")));
            sageMaker(region, "ListEndpoints", Map.of()).path("Endpoints").forEach(e -> out.put(e.path("EndpointName").asText(),
                    e.path("EndpointStatus").asText() + sageMaker(region, "DescribeEndpoint",
                            Map.of("EndpointName", e.path("EndpointName").asText())).path("ProductionVariants")));
            emr(region, "ListClusters", Map.of()).path("Clusters").forEach(c -> out.put(c.path("Id").asText(),
                    c.path("Status").path("State").asText()));
        }
        return out;
    }

    // ---------------------------------------------------------------- seeding through signed calls, straight to moto

    private void domain(String region, String name, String type, int dataNodes, int masters, int gib) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("InstanceType", type);
        cluster.put("InstanceCount", dataNodes);
        if (masters > 0) {
            cluster.put("DedicatedMasterEnabled", true);
            cluster.put("DedicatedMasterType", type);
            cluster.put("DedicatedMasterCount", masters);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("DomainName", name);
        body.put("EngineVersion", "OpenSearch_2.11");
        body.put("ClusterConfig", cluster);
        body.put("EBSOptions", gib > 0 ? Map.of("EBSEnabled", true, "VolumeType", "gp3", "VolumeSize", gib)
                : Map.of("EBSEnabled", false));
        rest(region, "es", SdkHttpMethod.POST, "/2021-01-01/opensearch/domain", body);
    }

    private String provisionedMsk(String region, String name, String brokerType, int brokers, int gib) {
        return rest(region, "kafka", SdkHttpMethod.POST, "/api/v2/clusters", Map.of("clusterName", name,
                "provisioned", Map.of("kafkaVersion", "3.6.0", "numberOfBrokerNodes", brokers,
                        "brokerNodeGroupInfo", Map.of("instanceType", brokerType, "clientSubnets", List.of("subnet-1", "subnet-2", "subnet-3"),
                                "storageInfo", Map.of("ebsStorageInfo", Map.of("volumeSize", gib)))))).path("clusterArn").asText();
    }

    private String serverlessMsk(String region, String name) {
        return rest(region, "kafka", SdkHttpMethod.POST, "/api/v2/clusters", Map.of("clusterName", name,
                "serverless", Map.of("vpcConfigs", List.of(Map.of("subnetIds", List.of("subnet-1", "subnet-2"))))))
                .path("clusterArn").asText();
    }

    private void model(String region, String name) {
        sageMaker(region, "CreateModel", Map.of("ModelName", name, "ExecutionRoleArn", "arn:aws:iam::123456789012:role/sm",
                "PrimaryContainer", Map.of("Image", "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest")));
    }

    private void endpointConfig(String region, String name, List<Map<String, Object>> variants) {
        sageMaker(region, "CreateEndpointConfig", Map.of("EndpointConfigName", name, "ProductionVariants", variants));
    }

    private void endpoint(String region, String name, String config) {
        sageMaker(region, "CreateEndpoint", Map.of("EndpointName", name, "EndpointConfigName", config));
    }

    private String emrCluster(String region, String name) {
        return emr(region, "RunJobFlow", Map.of("Name", name, "ReleaseLabel", "emr-6.15.0",
                "Instances", Map.of("MasterInstanceType", "m5.xlarge", "SlaveInstanceType", "m5.xlarge", "InstanceCount", 1,
                        "KeepJobFlowAliveWhenNoSteps", true),
                "JobFlowRole", "EMR_EC2_DefaultRole", "ServiceRole", "EMR_DefaultRole")).path("JobFlowId").asText();
    }

    private JsonNode sageMaker(String region, String operation, Map<String, Object> body) {
        return json(region, "sagemaker", "SageMaker." + operation, body);
    }

    private JsonNode emr(String region, String operation, Map<String, Object> body) {
        return json(region, "elasticmapreduce", "ElasticMapReduce." + operation, body);
    }

    private JsonNode json(String region, String signingName, String target, Map<String, Object> body) {
        try {
            SignedJsonCall.Answer a = SignedJsonCall.post(f.clients.httpClient(), MotoAccount.CREDENTIALS,
                    MotoServer.get().endpoint(), signingName, region, target, Json.write(body));
            assertThat(a.status()).as("%s: %s", target, a.body()).isEqualTo(200);
            return a.body().isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(a.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode rest(String region, String signingName, SdkHttpMethod method, String path, Object body) {
        try {
            byte[] payload = body == null ? new byte[0] : Json.write(body).getBytes(StandardCharsets.UTF_8);
            SignedJsonCall.Answer a = SignedJsonCall.send(f.clients.httpClient(), MotoAccount.CREDENTIALS, method,
                    URI.create(MotoServer.get().endpoint().toString().replaceAll("/+$", "") + path), signingName, region,
                    body == null ? Map.of() : Map.of("Content-Type", "application/json"), payload);
            assertThat(a.status()).as("%s %s: %s", method, path, a.body()).isBetween(200, 299);
            return a.body().isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(a.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
