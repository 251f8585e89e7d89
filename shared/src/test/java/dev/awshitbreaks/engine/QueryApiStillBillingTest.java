package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.aws.QueryApi;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.services.stillbilling.QueryApiListers;
import dev.awshitbreaks.services.stillbilling.StillBillingDiscovery;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Still billing through the Query protocol: load balancers (Elastic Load Balancing v2 and classic) and ElastiCache
 * (node-based clusters and serverless caches), listed by the real engine against moto 5.2.5, which implements
 * CreateLoadBalancer and DescribeLoadBalancers of both APIs (paging by Marker/NextMarker) and Create/Delete/
 * DescribeCacheClusters (paging by Marker). moto has no ElastiCache Serverless: the moto server the tests start carries
 * the labelled stub of scripts/moto_server_with_stubs.py (AWS's documented shape). Seeding and reading back use the
 * same hand-signed Query calls ({@link QueryApi}) straight to moto; EC2 networking through the SDK.
 */
class QueryApiStillBillingTest {
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

    @Test
    void loadBalancersOfEveryTypeStillBillAtTheirTypesHourlyRateAndAreLeftAsTheyWere() {
        List<String> usSubnets = subnets(US);
        String usVpc = vpcOf(US, usSubnets.get(0));
        v2LoadBalancer(US, "web", "application", "internet-facing", usSubnets);
        v2LoadBalancer(US, "tcp", "network", "internal", usSubnets);
        v2LoadBalancer(US, "appliances", "gateway", null, usSubnets.subList(0, 1));
        classicLoadBalancer(US, "legacy", usSubnets.get(0));
        List<String> euSubnets = subnets(EU);
        v2LoadBalancer(EU, "shop", "application", "internet-facing", euSubnets);
        v2LoadBalancer("us-west-2", "elsewhere", "application", "internet-facing", subnets("us-west-2"));
        Map<String, String> before = loadBalancersSeen(List.of(US, EU, "us-west-2"));

        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of(US, EU)), ProgressListener.NONE);

        assertThat(pause.resources()).extracting(ResourceResult::name)
                .containsExactlyInAnyOrder("web", "tcp", "appliances", "legacy", "shop");
        assertThat(pause.resources()).allSatisfy(r -> {
            assertThat(r.service()).isEqualTo(ServiceKind.STILL_BILLING);
            assertThat(r.outcome()).isEqualTo(Outcome.STILL_BILLING);
            assertThat(r.type()).startsWith("load-balancer ");
            assertThat(r.priceSource()).startsWith("bundled-table:");
            assertThat(r.reason()).startsWith("bills per hour while it exists").contains("delete it");
        });
        ResourceResult web = row(pause, "web");
        assertThat(web.id()).startsWith("arn:aws:elasticloadbalancing:us-east-1:").contains(":loadbalancer/app/web/");
        assertThat(web.type()).isEqualTo("load-balancer application internet-facing in " + usVpc);
        assertThat(web.hourlyCost()).as("ALB hour, us-east-1").isEqualTo(0.0225);
        assertThat(web.reason()).as("capacity units are usage-based").contains("LCUs (usage-based, not in this estimate)");
        assertThat(row(pause, "tcp").type()).isEqualTo("load-balancer network internal in " + usVpc);
        assertThat(row(pause, "tcp").hourlyCost()).as("NLB hour").isEqualTo(0.0225);
        assertThat(row(pause, "tcp").reason()).contains("NLCUs");
        assertThat(row(pause, "appliances").type()).startsWith("load-balancer gateway");
        assertThat(row(pause, "appliances").hourlyCost()).as("GWLB hour").isEqualTo(0.0125);
        assertThat(row(pause, "legacy").id()).isEqualTo("legacy");
        assertThat(row(pause, "legacy").type()).isEqualTo("load-balancer classic internet-facing in " + usVpc);
        assertThat(row(pause, "legacy").hourlyCost()).as("Classic Load Balancer hour").isEqualTo(0.025);
        assertThat(row(pause, "legacy").reason()).contains("per GB processed");
        assertThat(row(pause, "shop").region()).isEqualTo(EU);
        assertThat(row(pause, "shop").hourlyCost()).as("ALB hour, eu-west-1").isEqualTo(0.0252);
        // the burn rate adds them up under their kind, all still billing
        assertThat(pause.burnRate().stillBills().byService().get("load-balancer").hourly())
                .isEqualByComparingTo(new BigDecimal("0.1077"));
        assertThat(pause.burnRate().stops().hourly()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(f.store.records(pause.snapshotId(), null, null)).as("nothing is recorded").isEmpty();

        OperationReport discover = f.engine().run(request(Action.DISCOVER, List.of(US, EU)), ProgressListener.NONE);
        assertThat(discover.resources()).extracting(ResourceResult::outcome).containsOnly(Outcome.STILL_BILLING);
        assertThat(discover.resources()).hasSize(5);
        OperationReport resume = f.engine().run(request(Action.RESUME, List.of(US, EU)), ProgressListener.NONE);
        assertThat(resume.resources()).as("nothing to resume").isEmpty();

        assertThat(loadBalancersSeen(List.of(US, EU, "us-west-2"))).as("read back after a pause, a discover and a resume")
                .isEqualTo(before);
    }

    @Test
    void cacheClustersStillBillTheirNodesAndServerlessCachesAreUnknownWithTheReason() {
        cacheCluster(US, "sessions", "redis", "cache.t3.micro", 1);
        cacheCluster(US, "pages", "memcached", "cache.t3.medium", 3);
        cacheCluster(US, "big", "redis", "cache.r6g.large", 2);
        cacheCluster(US, "going", "redis", "cache.t3.micro", 1);
        elastiCache(US).call("DeleteCacheCluster", Map.of("CacheClusterId", "going"));
        serverlessCache(US, "quick", "valkey");
        serverlessCache(US, "legacy-serverless", "redis");
        serverlessCache(US, "gone", "valkey");
        elastiCache(US).call("DeleteServerlessCache", Map.of("ServerlessCacheName", "gone"));
        cacheCluster(EU, "eu-sessions", "redis", "cache.t3.micro", 1);
        Map<String, String> before = cachesSeen(List.of(US, EU));

        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of(US)), ProgressListener.NONE);

        assertThat(pause.resources()).extracting(ResourceResult::id).as("deleting ones and other regions left out")
                .containsExactlyInAnyOrder("sessions", "pages", "big", "quick", "legacy-serverless");
        assertThat(pause.resources()).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.STILL_BILLING);
            assertThat(r.type()).startsWith("elasticache ");
        });
        ResourceResult sessions = row(pause, "sessions");
        assertThat(sessions.type()).isEqualTo("elasticache redis cache.t3.micro x 1");
        assertThat(sessions.hourlyCost()).as("1 x cache.t3.micro").isEqualTo(0.017);
        assertThat(sessions.priceSource()).startsWith("bundled-table:");
        assertThat(sessions.reason()).contains("per node-hour").contains("final snapshot");
        ResourceResult pages = row(pause, "pages");
        assertThat(pages.type()).isEqualTo("elasticache memcached cache.t3.medium x 3");
        assertThat(pages.hourlyCost()).as("3 x cache.t3.medium").isEqualTo(0.204);
        assertThat(pages.reason()).contains("Memcached keeps nothing to restore");
        assertThat(row(pause, "big").hourlyCost()).as("no bundled price for cache.r6g.large: unknown, never 0").isNull();
        assertThat(row(pause, "big").priceSource()).isEqualTo("unknown: no on-demand price known for ElastiCache node type "
                + "cache.r6g.large in us-east-1");
        ResourceResult quick = row(pause, "quick");
        assertThat(quick.type()).isEqualTo("elasticache serverless valkey");
        assertThat(quick.hourlyCost()).isNull();
        assertThat(quick.priceSource()).startsWith("unknown: usage-based: ElastiCache Serverless bills per GB-hour")
                .contains("at least 100 MB");
        assertThat(quick.reason()).contains("per ECPU").contains("snapshot");
        assertThat(row(pause, "legacy-serverless").priceSource()).contains("at least 1 GB");
        assertThat(pause.burnRate().stillBills().byService().get("elasticache").hourly())
                .isEqualByComparingTo(new BigDecimal("0.221"));
        assertThat(pause.burnRate().stillBills().byService().get("elasticache").unknown()).isEqualTo(3);

        assertThat(cachesSeen(List.of(US, EU))).as("read back after the pause").isEqualTo(before);
    }

    /**
     * Every page is read, one describe call per page: small pages through a proxy that counts the calls (v2 and classic
     * load balancers by 2, cache clusters by 20, AWS's smallest MaxRecords, serverless caches by 2).
     */
    @Test
    void everyPageIsListedWithOneCallPerPage() {
        List<String> subnets = subnets(US);
        for (int i = 1; i <= 5; i++) {
            v2LoadBalancer(US, "app-" + i, "application", "internet-facing", subnets);
        }
        for (int i = 1; i <= 3; i++) {
            classicLoadBalancer(US, "classic-" + i, subnets.get(0));
        }
        for (int i = 1; i <= 21; i++) {
            cacheCluster(US, "cache-" + i, "redis", "cache.t3.micro", 1);
        }
        for (int i = 1; i <= 3; i++) {
            serverlessCache(US, "serverless-" + i, "valkey");
        }
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            AwsClients through = through(proxy);
            OperationReport pause = engine(through, new StillBillingDiscovery(List.of(
                    QueryApiListers.loadBalancers(through, 2), QueryApiListers.classicLoadBalancers(through, 2),
                    QueryApiListers.cacheClusters(through, 20), QueryApiListers.serverlessCaches(through, 2))))
                    .run(request(Action.PAUSE, List.of(US)), ProgressListener.NONE);

            assertThat(pause.resources()).extracting(ResourceResult::outcome).containsOnly(Outcome.STILL_BILLING);
            assertThat(pause.resources()).extracting(ResourceResult::name).filteredOn(n -> n.startsWith("app-")).hasSize(5);
            assertThat(pause.resources()).extracting(ResourceResult::name).filteredOn(n -> n.startsWith("classic-")).hasSize(3);
            assertThat(pause.resources()).extracting(ResourceResult::name).filteredOn(n -> n.startsWith("cache-")).hasSize(21);
            assertThat(pause.resources()).extracting(ResourceResult::name).filteredOn(n -> n.startsWith("serverless-")).hasSize(3);
            Map<String, Long> pages = proxy.calls().stream()
                    .filter(c -> c.operation().startsWith("Describe") && !c.service().equals("dynamodb"))
                    .collect(Collectors.groupingBy(c -> c.operation() + " " + c.form().getOrDefault("Version", ""),
                            TreeMap::new, Collectors.counting()));
            assertThat(pages).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "DescribeLoadBalancers 2015-12-01", 3L,
                    "DescribeLoadBalancers 2012-06-01", 2L,
                    "DescribeCacheClusters 2015-02-02", 2L,
                    "DescribeServerlessCaches 2015-02-02", 2L));
            assertThat(proxy.calls()).filteredOn(c -> c.operation().equals("DescribeLoadBalancers")
                    && "2015-12-01".equals(c.form().get("Version")) && c.form().containsKey("Marker")).hasSize(2);
            assertThat(proxy.calls()).filteredOn(c -> c.operation().equals("DescribeServerlessCaches")
                    && c.form().containsKey("NextToken")).hasSize(1);
        }
    }

    /**
     * A listing AWS refuses (here DescribeCacheClusters answered 403 AccessDenied, as IAM answers a role without
     * elasticache:DescribeCacheClusters) is one failed row naming it, at once (a 4xx is not retried), and every other
     * listing still gives its rows; a throttled listing is retried and gives its rows.
     */
    @Test
    void aListingThatFailsIsOneFailedRowAndAThrottledOneIsRetried() {
        List<String> subnets = subnets(US);
        v2LoadBalancer(US, "web", "application", "internet-facing", subnets);
        classicLoadBalancer(US, "legacy", subnets.get(0));
        cacheCluster(US, "sessions", "redis", "cache.t3.micro", 1);
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("DescribeCacheClusters"), 1, c -> new FaultProxy.Answer(403,
                    "text/xml", "<ErrorResponse xmlns=\"http://elasticache.amazonaws.com/doc/2015-02-02/\"><Error>"
                            + "<Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: "
                            + "elasticache:DescribeCacheClusters</Message></Error><RequestId>canned</RequestId></ErrorResponse>"));
            proxy.respondInstead(c -> c.operation().equals("DescribeLoadBalancers") && "2012-06-01".equals(c.form().get("Version")),
                    2, c -> new FaultProxy.Answer(400, "text/xml", "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling"
                            + "</Code><Message>Rate exceeded</Message></Error><RequestId>canned</RequestId></ErrorResponse>"));
            AwsClients through = through(proxy);
            OperationReport pause = engine(through, new StillBillingDiscovery(through))
                    .run(request(Action.PAUSE, List.of(US)), ProgressListener.NONE);

            assertThat(pause.resources()).extracting(ResourceResult::id, ResourceResult::outcome).contains(
                    org.assertj.core.groups.Tuple.tuple("(ElastiCache clusters)", Outcome.FAILED),
                    org.assertj.core.groups.Tuple.tuple("legacy", Outcome.STILL_BILLING));
            ResourceResult failed = row(pause, "(ElastiCache clusters)");
            assertThat(failed.reason()).isEqualTo("could not list ElastiCache clusters: AccessDenied: User is not authorized to "
                    + "perform: elasticache:DescribeCacheClusters; what they cost is missing from the figures");
            assertThat(failed.hourlyCost()).isNull();
            assertThat(pause.resources()).extracting(ResourceResult::name).contains("web").doesNotContain("sessions");
            assertThat(proxy.counts().get("elasticache:DescribeCacheClusters")).as("a 4xx is not retried").isEqualTo(1L);
            assertThat(proxy.calls()).filteredOn(c -> "2012-06-01".equals(c.form().get("Version")))
                    .as("two throttled answers, then moto's").hasSize(3);
            assertThat(pause.burnRate().stillBills().unknown()).as("the failed row counts as unpriced").isEqualTo(1);
        }
        assertThat(cachesSeen(List.of(US))).containsKey(US + "/sessions");
    }

    /**
     * States moto never shows, answered by a proxy in the API references' shapes: a v2 load balancer still provisioning
     * bills and is listed, a failed one is not; cache clusters creating or snapshotting are listed, a deleted one is
     * not; a serverless cache that failed to create is not.
     */
    @Test
    void statesMotoNeverShowsAreListedOrLeftOutAsAwsBillsThem() {
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("DescribeLoadBalancers") && "2015-12-01".equals(c.form().get("Version")),
                    1, c -> query("DescribeLoadBalancers", "elasticloadbalancing/2015-12-01", "<LoadBalancers>"
                            + v2Member("starting", "provisioning") + v2Member("broken", "failed") + v2Member("limping", "active_impaired")
                            + "</LoadBalancers>"));
            proxy.respondInstead(c -> c.operation().equals("DescribeCacheClusters"), 1, c -> query("DescribeCacheClusters",
                    "elasticache/2015-02-02", "<CacheClusters>" + cluster("new", "creating") + cluster("backing-up", "snapshotting")
                            + cluster("old", "deleted") + "</CacheClusters>"));
            proxy.respondInstead(c -> c.operation().equals("DescribeServerlessCaches"), 1, c -> query("DescribeServerlessCaches",
                    "elasticache/2015-02-02", "<ServerlessCaches><member><ServerlessCacheName>bad</ServerlessCacheName>"
                            + "<Status>create-failed</Status><Engine>valkey</Engine></member><member><ServerlessCacheName>growing"
                            + "</ServerlessCacheName><Status>modifying</Status><Engine>redis</Engine></member></ServerlessCaches>"));
            AwsClients through = through(proxy);
            OperationReport discover = engine(through, new StillBillingDiscovery(through))
                    .run(request(Action.DISCOVER, List.of(US)), ProgressListener.NONE);

            assertThat(discover.resources()).extracting(ResourceResult::name)
                    .containsExactlyInAnyOrder("starting", "limping", "new", "backing-up", "growing");
            assertThat(row(discover, "new").type()).isEqualTo("elasticache redis cache.t3.micro x 2");
            assertThat(row(discover, "new").hourlyCost()).isEqualTo(0.034);
        }
    }

    private static String v2Member(String name, String state) {
        return "<member><LoadBalancerArn>arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/" + name
                + "/0123456789abcdef</LoadBalancerArn><LoadBalancerName>" + name + "</LoadBalancerName><Scheme>internal</Scheme>"
                + "<VpcId>vpc-1</VpcId><State><Code>" + state + "</Code></State><Type>network</Type></member>";
    }

    private static String cluster(String id, String status) {
        return "<CacheCluster><CacheClusterId>" + id + "</CacheClusterId><CacheNodeType>cache.t3.micro</CacheNodeType>"
                + "<Engine>redis</Engine><CacheClusterStatus>" + status + "</CacheClusterStatus><NumCacheNodes>2</NumCacheNodes>"
                + "</CacheCluster>";
    }

    private static FaultProxy.Answer query(String action, String namespace, String result) {
        return new FaultProxy.Answer(200, "text/xml", "<" + action + "Response xmlns=\"http://" + namespace.split("/")[0]
                + ".amazonaws.com/doc/" + namespace.split("/")[1] + "/\"><" + action + "Result>" + result + "</" + action
                + "Result><ResponseMetadata><RequestId>canned</RequestId></ResponseMetadata></" + action + "Response>");
    }

    // ------------------------------------------------------------------ engine and seeding

    private AwsClients through(FaultProxy proxy) {
        return new AwsClients(new AwsSettings(proxy.endpoint(), US, EngineFixture.TABLE, EngineFixture.BUCKET), MotoAccount.CREDENTIALS);
    }

    /** The real engine over these clients, its still-billing discovery replaced by this one. */
    private BrakeEngine engine(AwsClients clients, StillBillingDiscovery discovery) {
        List<ResourcePauser> pausers = new ArrayList<>();
        for (ResourcePauser p : BrakeEngine.pausers(clients, EngineFixture.FAST)) {
            pausers.add(p.kind() == ServiceKind.STILL_BILLING ? discovery : p);
        }
        return new BrakeEngine(clients, f.store, EngineFixture.FAST, Clock.systemUTC(), SecureRandom::new, pausers);
    }

    private static ResourceResult row(OperationReport report, String nameOrId) {
        return report.resources().stream().filter(r -> nameOrId.equals(r.name()) || nameOrId.equals(r.id())).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + nameOrId + " in " + report.resources()));
    }

    private QueryApi elastiCache(String region) {
        return f.clients.elastiCache(region);
    }

    private List<String> subnets(String region) {
        var ec2 = f.clients.ec2(region);
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String a = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone(region + "a")).subnet().subnetId();
        String c = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone(region + "b")).subnet().subnetId();
        return List.of(a, c);
    }

    private String vpcOf(String region, String subnet) {
        return f.clients.ec2(region).describeSubnets(b -> b.subnetIds(subnet)).subnets().get(0).vpcId();
    }

    private void v2LoadBalancer(String region, String name, String type, String scheme, List<String> subnets) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Name", name);
        p.put("Type", type);
        if (scheme != null) {
            p.put("Scheme", scheme);
        }
        for (int i = 0; i < subnets.size(); i++) {
            p.put("Subnets.member." + (i + 1), subnets.get(i));
        }
        f.clients.elasticLoadBalancingV2(region).call("CreateLoadBalancer", p);
    }

    private void classicLoadBalancer(String region, String name, String subnet) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("LoadBalancerName", name);
        p.put("Listeners.member.1.Protocol", "HTTP");
        p.put("Listeners.member.1.LoadBalancerPort", "80");
        p.put("Listeners.member.1.InstancePort", "8080");
        p.put("Subnets.member.1", subnet);
        p.put("Scheme", "internet-facing");
        f.clients.classicElasticLoadBalancing(region).call("CreateLoadBalancer", p);
    }

    private void cacheCluster(String region, String id, String engine, String nodeType, int nodes) {
        elastiCache(region).call("CreateCacheCluster", Map.of("CacheClusterId", id, "Engine", engine, "CacheNodeType", nodeType,
                "NumCacheNodes", Integer.toString(nodes)));
    }

    private void serverlessCache(String region, String name, String engine) {
        elastiCache(region).call("CreateServerlessCache", Map.of("ServerlessCacheName", name, "Engine", engine));
    }

    /** Every load balancer as read back: region/name -> type, scheme, state, VPC (v2) or scheme, VPC, listeners (classic). */
    private Map<String, String> loadBalancersSeen(List<String> regions) {
        Map<String, String> seen = new TreeMap<>();
        for (String region : regions) {
            Element v2 = QueryApi.result(f.clients.elasticLoadBalancingV2(region).call("DescribeLoadBalancers", Map.of()),
                    "DescribeLoadBalancers");
            for (Element lb : QueryApi.children(QueryApi.child(v2, "LoadBalancers"), "member")) {
                seen.put(region + "/" + QueryApi.text(lb, "LoadBalancerName"), QueryApi.text(lb, "Type") + " "
                        + QueryApi.text(lb, "Scheme") + " " + QueryApi.text(lb, "State", "Code") + " " + QueryApi.text(lb, "VpcId"));
            }
            Element classic = QueryApi.result(f.clients.classicElasticLoadBalancing(region).call("DescribeLoadBalancers", Map.of()),
                    "DescribeLoadBalancers");
            for (Element lb : QueryApi.children(QueryApi.child(classic, "LoadBalancerDescriptions"), "member")) {
                seen.put(region + "/classic/" + QueryApi.text(lb, "LoadBalancerName"), QueryApi.text(lb, "Scheme") + " "
                        + QueryApi.text(lb, "VPCId") + " " + QueryApi.child(lb, "ListenerDescriptions").getTextContent().strip());
            }
        }
        assertThat(seen).isNotEmpty();
        return seen;
    }

    /** Every cache as read back: region/id -> status, node type, nodes, engine; serverless: status, engine. */
    private Map<String, String> cachesSeen(List<String> regions) {
        Map<String, String> seen = new TreeMap<>();
        for (String region : regions) {
            Element clusters = QueryApi.result(elastiCache(region).call("DescribeCacheClusters", Map.of()), "DescribeCacheClusters");
            for (Element c : QueryApi.children(QueryApi.child(clusters, "CacheClusters"), "CacheCluster")) {
                seen.put(region + "/" + QueryApi.text(c, "CacheClusterId"), QueryApi.text(c, "CacheClusterStatus") + " "
                        + QueryApi.text(c, "CacheNodeType") + " x" + QueryApi.text(c, "NumCacheNodes") + " " + QueryApi.text(c, "Engine"));
            }
            Element serverless = QueryApi.result(elastiCache(region).call("DescribeServerlessCaches", Map.of()),
                    "DescribeServerlessCaches");
            for (Element c : QueryApi.children(QueryApi.child(serverless, "ServerlessCaches"), "member")) {
                seen.put(region + "/serverless/" + QueryApi.text(c, "ServerlessCacheName"), QueryApi.text(c, "Status") + " "
                        + QueryApi.text(c, "Engine"));
            }
        }
        return seen;
    }
}
