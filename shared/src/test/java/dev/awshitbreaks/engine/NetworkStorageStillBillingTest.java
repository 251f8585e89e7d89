package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.VolumeType;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;
import software.amazon.awssdk.services.kinesis.model.StreamMode;

/**
 * What still bills, network and storage kinds: EBS volumes, public IPv4 addresses, interface VPC endpoints, EKS control
 * planes, database storage and Kinesis streams, listed by the real engine against moto 5.2.5 (which implements every
 * listing call used here) and priced from the bundled table; never changed. moto answers every page at once
 * (DescribeVolumes, DescribeNetworkInterfaces, DescribeVpcEndpoints and DescribeAddresses ignore MaxResults; RDS pages
 * at 100) and has no public IPv4 address that is neither an Elastic IP nor an instance's: where a test needs a second
 * page, or a load balancer's address, a {@link FaultProxy} answers the first page as AWS documents (labelled there).
 */
class NetworkStorageStillBillingTest {
    private static final String US = "us-east-1";
    private static final String PASSWORD = "hit-breaks-pass-1";
    private EngineFixture f;
    private MixedAccount account;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
        account = new MixedAccount(f.moto.endpoint());
    }

    @AfterEach
    void tearDown() {
        account.close();
    }

    private static Request request(Action action) {
        return new Request(action, List.of(US), List.of("still-billing"), null, null, null, false, null, null);
    }

    @Test
    void aPauseAndADiscoverListWhatStillBillsPricedWithItsHintAndChangeNothing() {
        Seeded s = seed();
        Map<String, String> before = observe();

        OperationReport discover = f.engine().run(request(Action.DISCOVER), ProgressListener.NONE);
        OperationReport pause;
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            pause = f.engineThrough(proxy).run(request(Action.PAUSE), ProgressListener.NONE);
            assertThat(proxy.calls()).filteredOn(c -> List.of("ec2", "rds", "eks", "kinesis").contains(c.service()))
                    .as("only listing and describing calls").isNotEmpty()
                    .allSatisfy(c -> assertThat(c.operation()).matches("(Describe|List)[A-Za-z]*"));
        }

        assertThat(observe()).as("nothing of the still-billing kinds changed").isEqualTo(before);
        for (OperationReport report : List.of(discover, pause)) {
            assertThat(report.resources()).allSatisfy(r -> {
                assertThat(r.service()).isEqualTo(ServiceKind.STILL_BILLING);
                assertThat(r.outcome()).as(r.id()).isEqualTo(Outcome.STILL_BILLING);
                assertThat(r.reason()).as("the hint of " + r.id()).isNotBlank();
            });
            ResourceResult gp3 = row(report, s.gp3Volume);
            assertThat(gp3.type()).isEqualTo("ebs-volume gp3 100 GiB 3000 IOPS 125 MiB/s (unattached)");
            assertThat(gp3.hourlyCost()).as("100 GiB x USD 0.08 / 730").isEqualTo(0.010959);
            assertThat(gp3.priceSource()).startsWith("bundled-table:");
            assertThat(gp3.reason()).contains("snapshot it").contains("delete it");
            ResourceResult io1 = row(report, s.io1Volume);
            assertThat(io1.type()).isEqualTo("ebs-volume io1 50 GiB 1000 IOPS (unattached)");
            assertThat(io1.hourlyCost()).as("(50 x 0.125 + 1000 x 0.065) / 730").isEqualTo(0.097603);
            assertThat(report.resources()).filteredOn(r -> r.type().startsWith("ebs-volume") && r.type().endsWith("(in-use by " + s.instance + ")"))
                    .as("the root volume of the running instance bills when it stops").hasSize(1)
                    .allSatisfy(r -> assertThat(r.reason()).contains("even while " + s.instance + " is stopped"));

            ResourceResult idleIp = row(report, s.idleEip);
            assertThat(idleIp.type()).startsWith("public-ipv4 elastic-ip ").endsWith("(unassociated)");
            assertThat(idleIp.hourlyCost()).isEqualTo(0.005);
            assertThat(idleIp.reason()).contains("release it");
            assertThat(row(report, s.usedEip).type()).endsWith("(associated with " + s.instance + ")");
            assertThat(row(report, s.usedEip).hourlyCost()).isEqualTo(0.005);

            ResourceResult endpoint = row(report, s.interfaceEndpoint);
            assertThat(endpoint.type()).isEqualTo("vpc-endpoint Interface com.amazonaws.us-east-1.sqs in 2 AZs");
            assertThat(endpoint.hourlyCost()).as("USD 0.01 per AZ-hour x 2").isEqualTo(0.02);
            assertThat(report.resources()).extracting(ResourceResult::id).as("a gateway endpoint is free")
                    .doesNotContain(s.gatewayEndpoint);

            ResourceResult eks = row(report, "prod");
            assertThat(eks.type()).isEqualTo("eks-control-plane standard-support");
            assertThat(eks.hourlyCost()).isEqualTo(0.10);
            assertThat(eks.reason()).contains("extended support").contains("6 times");

            ResourceResult orders = row(report, "orders");
            assertThat(orders.type()).isEqualTo("db-storage gp2 100 GiB Multi-AZ postgres (available)");
            assertThat(orders.hourlyCost()).as("Multi-AZ: 2 x 100 GiB x USD 0.115 / 730").isEqualTo(0.031507);
            ResourceResult idle = row(report, "idle");
            assertThat(idle.type()).as("a stopped database's storage bills").endsWith("(stopped)");
            assertThat(idle.hourlyCost()).isEqualTo(0.003151);
            ResourceResult aurora = row(report, "catalog");
            assertThat(aurora.type()).startsWith("db-storage cluster aurora-postgresql");
            assertThat(aurora.hourlyCost()).isNull();
            assertThat(aurora.priceSource()).startsWith("unknown: ").contains("per GB-month used");

            ResourceResult clicks = row(report, "clicks");
            assertThat(clicks.type()).isEqualTo("kinesis-shards provisioned 2 shards");
            assertThat(clicks.hourlyCost()).as("2 shards x USD 0.015").isEqualTo(0.03);
            ResourceResult events = row(report, "events");
            assertThat(events.type()).isEqualTo("kinesis-shards on-demand");
            assertThat(events.hourlyCost()).isNull();
            assertThat(events.priceSource()).contains("on-demand");
        }
        assertThat(f.store.records(pause.snapshotId(), null, null)).as("nothing recorded: nothing to resume").isEmpty();
    }

    /**
     * moto answers every listing in one page; AWS pages. The proxy answers each listing's first call with one resource
     * of AWS's documented shape and a next token (a stub: none of these resources is in moto); the second call, which
     * only a lister that follows the token makes, goes to moto. The interface page also stands for what moto cannot
     * hold: an application load balancer's public IPv4 address, which is no Elastic IP and on no instance.
     */
    @Test
    void everyListingFollowsItsNextPage() {
        Seeded s = seed();
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("DescribeVolumes"), 1, c -> ec2Xml("DescribeVolumes",
                    "<volumeSet><item><volumeId>vol-0page1</volumeId><size>500</size><availabilityZone>us-east-1a</availabilityZone>"
                            + "<status>available</status><volumeType>st1</volumeType><attachmentSet/><tagSet/></item></volumeSet>"
                            + "<nextToken>page-2</nextToken>"));
            proxy.respondInstead(c -> c.operation().equals("DescribeNetworkInterfaces"), 1, c -> ec2Xml("DescribeNetworkInterfaces",
                    "<networkInterfaceSet><item><networkInterfaceId>eni-0alb</networkInterfaceId>"
                            + "<description>ELB app/web/50dc6c495c0c9188</description><interfaceType>interface</interfaceType>"
                            + "<status>in-use</status><attachment><attachmentId>ela-attach-0alb</attachmentId>"
                            + "<instanceOwnerId>amazon-elb</instanceOwnerId><deviceIndex>1</deviceIndex><status>attached</status>"
                            + "</attachment><association><publicIp>3.80.0.10</publicIp><ipOwnerId>amazon-elb</ipOwnerId></association>"
                            + "<privateIpAddressesSet><item><privateIpAddress>10.0.1.10</privateIpAddress><primary>true</primary>"
                            + "<association><publicIp>3.80.0.10</publicIp><ipOwnerId>amazon-elb</ipOwnerId></association></item>"
                            + "</privateIpAddressesSet><tagSet/><groupSet/></item></networkInterfaceSet><nextToken>page-2</nextToken>"));
            proxy.respondInstead(c -> c.operation().equals("DescribeVpcEndpoints"), 1, c -> ec2Xml("DescribeVpcEndpoints",
                    "<vpcEndpointSet><item><vpcEndpointId>vpce-0page1</vpcEndpointId><vpcEndpointType>Interface</vpcEndpointType>"
                            + "<vpcId>vpc-0page1</vpcId><serviceName>com.amazonaws.us-east-1.ecr.api</serviceName><state>available</state>"
                            + "<subnetIdSet><item>subnet-1</item><item>subnet-2</item><item>subnet-3</item></subnetIdSet><tagSet/></item>"
                            + "</vpcEndpointSet><nextToken>page-2</nextToken>"));
            // moto refuses a next token it did not make (RDS: 400, EKS: 500), so RDS's and EKS's second pages are stubs too
            proxy.respondInstead(c -> c.operation().equals("DescribeDBInstances"), 2, c -> rdsXml("DescribeDBInstances",
                    c.form().containsKey("Marker")
                            ? "<DBInstances><DBInstance><DBInstanceIdentifier>page2-db</DBInstanceIdentifier><Engine>postgres</Engine>"
                                    + "<DBInstanceStatus>available</DBInstanceStatus><AllocatedStorage>10</AllocatedStorage>"
                                    + "<StorageType>gp2</StorageType><MultiAZ>false</MultiAZ></DBInstance></DBInstances>"
                            : "<DBInstances><DBInstance><DBInstanceIdentifier>page1-db</DBInstanceIdentifier><Engine>mysql</Engine>"
                                    + "<DBInstanceStatus>stopped</DBInstanceStatus><AllocatedStorage>50</AllocatedStorage>"
                                    + "<StorageType>gp3</StorageType><Iops>3000</Iops><StorageThroughput>125</StorageThroughput>"
                                    + "<MultiAZ>false</MultiAZ></DBInstance></DBInstances><Marker>page-2</Marker>"));
            proxy.respondInstead(c -> c.operation().equals("DescribeDBClusters"), 2, c -> rdsXml("DescribeDBClusters",
                    "<DBClusters><DBCluster><DBClusterIdentifier>" + (c.form().containsKey("Marker") ? "page2" : "page1")
                            + "-cluster</DBClusterIdentifier><Engine>aurora-mysql</Engine><Status>stopped</Status>"
                            + "<StorageType>aurora</StorageType></DBCluster></DBClusters>"
                            + (c.form().containsKey("Marker") ? "" : "<Marker>page-2</Marker>")));
            java.util.concurrent.atomic.AtomicInteger eksPages = new java.util.concurrent.atomic.AtomicInteger();
            proxy.respondInstead(c -> c.service().equals("eks") && c.operation().equals("ListClusters"), 2,
                    c -> new FaultProxy.Answer(200, "application/json", eksPages.incrementAndGet() == 1
                            ? "{\"clusters\":[\"page1-eks\"],\"nextToken\":\"page-2\"}" : "{\"clusters\":[\"page2-eks\"]}"));
            proxy.respondInstead(c -> c.operation().equals("ListStreams"), 1, c -> new FaultProxy.Answer(200,
                    "application/x-amz-json-1.1", "{\"StreamNames\":[\"page1-stream\"],\"StreamSummaries\":[{\"StreamName\":"
                            + "\"page1-stream\",\"StreamARN\":\"arn:aws:kinesis:us-east-1:123456789012:stream/page1-stream\","
                            + "\"StreamStatus\":\"ACTIVE\",\"StreamModeDetails\":{\"StreamMode\":\"PROVISIONED\"},"
                            + "\"StreamCreationTimestamp\":1.7E9}],\"HasMoreStreams\":true,\"NextToken\":\"page-2\"}"));
            proxy.respondInstead(c -> c.operation().equals("DescribeStreamSummary") && c.body().contains("page1-stream"), 1,
                    c -> new FaultProxy.Answer(200, "application/x-amz-json-1.1", "{\"StreamDescriptionSummary\":{\"StreamName\":"
                            + "\"page1-stream\",\"StreamStatus\":\"ACTIVE\",\"OpenShardCount\":3,\"RetentionPeriodHours\":24}}"));

            OperationReport report = f.engineThrough(proxy).run(request(Action.DISCOVER), ProgressListener.NONE);

            assertThat(report.resources()).filteredOn(r -> r.outcome() != Outcome.STILL_BILLING).isEmpty();
            assertThat(report.resources()).extracting(ResourceResult::id).as("page one's and page two's")
                    .contains("vol-0page1", s.gp3Volume, "eni-0alb/3.80.0.10", s.idleEip, "vpce-0page1", s.interfaceEndpoint,
                            "page1-db", "page2-db", "page1-cluster", "page2-cluster", "page1-eks", "page2-eks", "page1-stream",
                            "clicks", "events");
            assertThat(row(report, "vol-0page1").hourlyCost()).as("st1 500 GiB x 0.045 / 730").isEqualTo(0.030822);
            ResourceResult albIp = row(report, "eni-0alb/3.80.0.10");
            assertThat(albIp.type()).isEqualTo("public-ipv4 public 3.80.0.10 (ELB app/web/50dc6c495c0c9188, eni-0alb)");
            assertThat(albIp.hourlyCost()).isEqualTo(0.005);
            assertThat(report.resources()).filteredOn(r -> r.type().startsWith("public-ipv4 public "))
                    .as("the instance's own auto-assigned address is not listed: its stop releases it").hasSize(1);
            assertThat(row(report, "vpce-0page1").hourlyCost()).isEqualTo(0.03);
            assertThat(row(report, "page1-stream").hourlyCost()).isEqualTo(0.045);
            assertThat(row(report, "page1-db").hourlyCost()).as("gp3 within its baseline: 50 x 0.115 / 730").isEqualTo(0.007877);
            for (String op : List.of("DescribeVolumes", "DescribeNetworkInterfaces", "DescribeVpcEndpoints")) {
                assertThat(proxy.calls()).filteredOn(c -> c.operation().equals(op)).extracting(c -> c.form().get("NextToken"))
                        .as(op + ": page one, then page two by its token").containsExactly(null, "page-2");
            }
            assertThat(proxy.calls()).filteredOn(c -> c.operation().equals("DescribeDBInstances"))
                    .extracting(c -> c.form().get("Marker")).containsExactly(null, "page-2");
            assertThat(proxy.calls()).filteredOn(c -> c.service().equals("eks") && c.operation().equals("ListClusters")).hasSize(2);
            assertThat(proxy.calls()).filteredOn(c -> c.operation().equals("ListStreams")).extracting(FaultProxy.Call::body)
                    .satisfies(bodies -> assertThat(bodies.get(1)).contains("\"NextToken\":\"page-2\"")).hasSize(2);
            assertThat(proxy.calls()).filteredOn(c -> c.operation().equals("DescribeStreamSummary"))
                    .as("one per provisioned stream (page1-stream, clicks), none for the on-demand one").hasSize(2);
        }
    }

    /** A lister AWS refuses is one failed row naming what was not listed; the other kinds are still listed. */
    @Test
    void aListingAwsRefusesIsOneFailedRowAndTheOthersAreListed() {
        Seeded s = seed();
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("DescribeVolumes"), 1, c -> new FaultProxy.Answer(403, "text/xml",
                    "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this"
                            + " operation.</Message></Error></Errors><RequestID>canned</RequestID></Response>"));
            proxy.respondInstead(c -> c.operation().equals("ListStreams"), 1, c -> new FaultProxy.Answer(400,
                    "application/x-amz-json-1.1", "{\"__type\":\"AccessDeniedException\",\"message\":\"not authorized to perform:"
                            + " kinesis:ListStreams\"}"));

            OperationReport report = f.engineThrough(proxy).run(request(Action.PAUSE), ProgressListener.NONE);

            ResourceResult volumes = row(report, "(EBS volumes)");
            assertThat(volumes.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(volumes.reason()).contains("could not list EBS volumes").contains("UnauthorizedOperation")
                    .contains("missing from the figures");
            assertThat(volumes.hourlyCost()).isNull();
            ResourceResult streams = row(report, "(Kinesis streams)");
            assertThat(streams.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(streams.reason()).contains("AccessDeniedException");
            assertThat(report.resources()).filteredOn(r -> r.outcome() == Outcome.FAILED).hasSize(2);
            assertThat(report.resources()).extracting(ResourceResult::id).as("the other kinds")
                    .contains(s.idleEip, s.interfaceEndpoint, "prod", "orders", "catalog")
                    .doesNotContain(s.gp3Volume, "clicks");
        }
    }

    // ---------------------------------------------------------------- seeding and reading back

    private record Seeded(String instance, String gp3Volume, String io1Volume, String idleEip, String usedEip,
            String interfaceEndpoint, String gatewayEndpoint) {
    }

    private Seeded seed() {
        Ec2Client ec2 = account.ec2(US);
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String a = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String b2 = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
        String instance = account.ec2Instance(US, "t3.micro", true, Map.of());
        String gp3 = ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(100).volumeType(VolumeType.GP3).iops(3000)
                .throughput(125)).volumeId();
        String io1 = ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(50).volumeType(VolumeType.IO1).iops(1000)).volumeId();
        String idleEip = ec2.allocateAddress(b -> b.domain(DomainType.VPC)).allocationId();
        String usedEip = ec2.allocateAddress(b -> b.domain(DomainType.VPC)).allocationId();
        ec2.associateAddress(b -> b.allocationId(usedEip).instanceId(instance));
        String iface = ec2.createVpcEndpoint(b -> b.vpcId(vpc).serviceName("com.amazonaws.us-east-1.sqs")
                .vpcEndpointType(VpcEndpointType.INTERFACE).subnetIds(a, b2)).vpcEndpoint().vpcEndpointId();
        String routeTable = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
        String gateway = ec2.createVpcEndpoint(b -> b.vpcId(vpc).serviceName("com.amazonaws.us-east-1.s3")
                .vpcEndpointType(VpcEndpointType.GATEWAY).routeTableIds(routeTable)).vpcEndpoint().vpcEndpointId();
        account.eks(US).createCluster(b -> b.name("prod").roleArn("arn:aws:iam::123456789012:role/eks-cluster")
                .resourcesVpcConfig(v -> v.subnetIds(a)));
        account.rds(US).createDBInstance(b -> b.dbInstanceIdentifier("orders").engine("postgres").dbInstanceClass("db.t3.micro")
                .allocatedStorage(100).storageType("gp2").multiAZ(true).masterUsername("admin").masterUserPassword(PASSWORD));
        account.rds(US).createDBInstance(b -> b.dbInstanceIdentifier("idle").engine("postgres").dbInstanceClass("db.t3.micro")
                .allocatedStorage(20).storageType("gp2").masterUsername("admin").masterUserPassword(PASSWORD));
        account.rds(US).stopDBInstance(b -> b.dbInstanceIdentifier("idle"));
        account.auroraCluster(US, "catalog", true, Map.of());
        account.rds(US).createDBInstance(b -> b.dbInstanceIdentifier("catalog-1").dbClusterIdentifier("catalog")
                .engine("aurora-postgresql").dbInstanceClass("db.r6g.large"));
        account.kinesis(US).createStream(b -> b.streamName("clicks").shardCount(2));
        account.kinesis(US).createStream(b -> b.streamName("events").streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
        return new Seeded(instance, gp3, io1, idleEip, usedEip, iface, gateway);
    }

    /** Everything of the kinds listed, as AWS describes it: what a change would show. */
    private Map<String, String> observe() {
        Ec2Client ec2 = account.ec2(US);
        Map<String, String> seen = new TreeMap<>();
        ec2.describeVolumes().volumes().forEach(v -> seen.put(v.volumeId(), v.stateAsString() + " " + v.volumeTypeAsString()
                + " " + v.size() + " " + v.iops() + " " + v.throughput() + " " + v.attachments().stream()
                        .map(x -> x.instanceId() + ":" + x.stateAsString()).collect(Collectors.joining(","))));
        ec2.describeAddresses().addresses().forEach(x -> seen.put(x.allocationId(), x.publicIp() + " " + x.associationId()
                + " " + x.instanceId()));
        ec2.describeVpcEndpoints().vpcEndpoints().forEach(e -> seen.put(e.vpcEndpointId(), e.stateAsString() + " " + e.subnetIds()));
        ec2.describeInstances().reservations().forEach(r -> r.instances().forEach(i -> seen.put(i.instanceId(), i.state().nameAsString())));
        account.eks(US).listClusters().clusters().forEach(c -> seen.put("eks:" + c,
                account.eks(US).describeCluster(b -> b.name(c)).cluster().statusAsString()));
        account.rds(US).describeDBInstances().dbInstances().forEach(d -> seen.put("db:" + d.dbInstanceIdentifier(),
                d.dbInstanceStatus() + " " + d.allocatedStorage() + " " + d.storageType() + " " + d.multiAZ()));
        account.rds(US).describeDBClusters().dbClusters().forEach(c -> seen.put("cluster:" + c.dbClusterIdentifier(), c.status()));
        account.kinesis(US).listStreams().streamNames().forEach(n -> {
            var d = account.kinesis(US).describeStreamSummary(b -> b.streamName(n)).streamDescriptionSummary();
            seen.put("stream:" + n, d.streamStatusAsString() + " " + d.openShardCount() + " " + d.streamModeDetails());
        });
        return seen;
    }

    private static ResourceResult row(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + id + " in " + report.resources()));
    }

    private static FaultProxy.Answer ec2Xml(String operation, String body) {
        return new FaultProxy.Answer(200, "text/xml", "<" + operation + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>canned</requestId>" + body + "</" + operation + "Response>");
    }

    private static FaultProxy.Answer rdsXml(String operation, String result) {
        return new FaultProxy.Answer(200, "text/xml", "<" + operation + "Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><"
                + operation + "Result>" + result + "</" + operation + "Result><ResponseMetadata><RequestId>canned</RequestId>"
                + "</ResponseMetadata></" + operation + "Response>");
    }
}
