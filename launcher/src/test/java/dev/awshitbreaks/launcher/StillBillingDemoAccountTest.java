package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.aws.QueryApi;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * Issue #17's "must show", through the launcher ({@code --local}, every service): an account with, in each of two
 * regions, instances the pause stops beside a NAT gateway (with its Elastic IP), an application load balancer, an idle
 * Elastic IP and two unattached volumes, as the demo seeds it (scripts/demo_seed.py). The pause's report lists each
 * still-billing kind in each region; its burn rate adds up exactly (before = stops + still bills, in total, by service
 * or kind and by region, the unpriced counts too, each the sum of its rows); and nothing of the still-billing kinds is
 * changed: read back before the pause, while paused and after the resume, alike.
 */
class StillBillingDemoAccountTest {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

    @Test
    void thePauseReportsWhatStillBillsInEveryRegionTheFiguresAddUpExactlyAndNothingOfItIsChanged() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        MotoAccount account = new MotoAccount(moto.endpoint());
        try (AwsClients clients = new AwsClients(new AwsSettings(moto.endpoint(), "us-east-1", "unused", "unused"),
                MotoAccount.CREDENTIALS)) {
            for (String region : REGIONS) {
                account.runInstance(region, "t3.micro");
                account.runInstance(region, "t3.small");
                seedStillBilling(account.ec2(region), clients.elasticLoadBalancingV2(region));
            }
            Map<String, String> before = readBack(account, clients);

            LauncherRun pause = LauncherRun.local(moto.endpoint(), "--pause", "--yes", "--output", "json",
                    "--region", REGIONS.get(0), "--region", REGIONS.get(1));
            assertThat(pause.exit()).as(pause.err()).isEqualTo(ExitCode.OK);
            JsonNode report = pause.json();
            assertThat(readBack(account, clients)).as("while paused: every still-billing resource as it was").isEqualTo(before);

            Map<String, Set<String>> kindsByRegion = new TreeMap<>();
            for (JsonNode r : report.path("resources")) {
                if (r.path("outcome").asText().equals("still-billing")) {
                    kindsByRegion.computeIfAbsent(r.path("region").asText(), k -> new TreeSet<>())
                            .add(r.path("type").asText().split(" ")[0]);
                }
            }
            for (String region : REGIONS) {
                assertThat(kindsByRegion.get(region)).as(region)
                        .contains("nat-gateway", "load-balancer", "ebs-volume", "public-ipv4");
            }
            assertThat(count(report, "paused")).as("the four instances").isEqualTo(4);
            assertAddsUpExactly(report);

            LauncherRun resume = LauncherRun.local(moto.endpoint(), "--resume", "--yes", "--output", "json");
            assertThat(resume.exit()).as(resume.err()).isEqualTo(ExitCode.OK);
            assertThat(count(resume.json(), "resumed")).isEqualTo(4);
            assertThat(readBack(account, clients)).as("after the resume: every still-billing resource as it was").isEqualTo(before);
        }
    }

    /** As scripts/demo_seed.py's seed_still_billing: a VPC, a NAT gateway, an ALB, a spare Elastic IP, two volumes. */
    private static void seedStillBilling(Ec2Client ec2, QueryApi elbv2) {
        String region = ec2.serviceClientConfiguration().region().id();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.20.0.0/16")).vpc().vpcId();
        List<String> subnets = new ArrayList<>();
        for (String[] s : new String[][] {{"10.20.1.0/24", "a"}, {"10.20.2.0/24", "b"}}) {
            subnets.add(ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock(s[0]).availabilityZone(region + s[1])).subnet().subnetId());
        }
        String natIp = ec2.allocateAddress(b -> b.domain(DomainType.VPC)).allocationId();
        ec2.createNatGateway(b -> b.subnetId(subnets.get(0)).allocationId(natIp));
        ec2.allocateAddress(b -> b.domain(DomainType.VPC));
        ec2.createVolume(b -> b.availabilityZone(region + "a").volumeType(VolumeType.GP3).size(100));
        ec2.createVolume(b -> b.availabilityZone(region + "a").volumeType(VolumeType.IO1).size(50).iops(1000));
        Map<String, String> lb = new LinkedHashMap<>(Map.of("Name", "shop-alb", "Type", "application", "Scheme", "internet-facing"));
        for (int i = 0; i < subnets.size(); i++) {
            lb.put("Subnets.member." + (i + 1), subnets.get(i));
        }
        elbv2.call("CreateLoadBalancer", lb);
    }

    /** What each still-billing resource of the two regions is, as AWS describes it (state, size, association, ...). */
    private static Map<String, String> readBack(MotoAccount account, AwsClients clients) {
        Map<String, String> out = new TreeMap<>();
        for (String region : REGIONS) {
            Ec2Client ec2 = account.ec2(region);
            for (NatGateway n : ec2.describeNatGateways().natGateways()) {
                out.put(region + " " + n.natGatewayId(), n.stateAsString() + " " + n.subnetId() + " " + n.natGatewayAddresses());
            }
            for (Address a : ec2.describeAddresses().addresses()) {
                out.put(region + " " + a.allocationId(), a.publicIp() + " " + a.associationId() + " " + a.networkInterfaceId());
            }
            for (Volume v : ec2.describeVolumes().volumes()) {
                out.put(region + " " + v.volumeId(), v.stateAsString() + " " + v.volumeTypeAsString() + " " + v.size() + " "
                        + v.iops() + " " + v.attachments().size());
            }
            Document lbs = clients.elasticLoadBalancingV2(region).call("DescribeLoadBalancers", Map.of());
            Element list = QueryApi.child(QueryApi.result(lbs, "DescribeLoadBalancers"), "LoadBalancers");
            for (Element lb : QueryApi.children(list, "member")) {
                out.put(region + " " + QueryApi.text(lb, "LoadBalancerArn"), QueryApi.text(lb, "State", "Code") + " "
                        + QueryApi.text(lb, "Type") + " " + QueryApi.text(lb, "Scheme"));
            }
        }
        assertThat(out).as("something to read back").hasSizeGreaterThan(10);
        return out;
    }

    private static int count(JsonNode report, String outcome) {
        int n = 0;
        for (JsonNode r : report.path("resources")) {
            n += r.path("outcome").asText().equals(outcome) ? 1 : 0;
        }
        return n;
    }

    /** before = stops + still bills, exactly, everywhere; and each figure is the sum of its rows. */
    private static void assertAddsUpExactly(JsonNode report) {
        JsonNode b = report.path("burnRate");
        JsonNode before = b.path("before");
        JsonNode stops = b.path("stops");
        JsonNode still = b.path("stillBills");
        assertThat(before.path("hourly").decimalValue())
                .isEqualByComparingTo(stops.path("hourly").decimalValue().add(still.path("hourly").decimalValue()));
        assertThat(before.path("monthly").decimalValue())
                .isEqualByComparingTo(before.path("hourly").decimalValue().multiply(BigDecimal.valueOf(730)));
        assertThat(before.path("unknown").asInt()).isEqualTo(stops.path("unknown").asInt() + still.path("unknown").asInt());
        assertThat(before.path("priced").asInt()).isEqualTo(stops.path("priced").asInt() + still.path("priced").asInt());
        for (String by : List.of("byService", "byRegion")) {
            for (Iterator<String> keys = before.path(by).fieldNames(); keys.hasNext(); ) {
                String k = keys.next();
                BigDecimal sum = hourly(stops.path(by).path(k)).add(hourly(still.path(by).path(k)));
                assertThat(before.path(by).path(k).path("hourly").decimalValue()).as("%s %s", by, k).isEqualByComparingTo(sum);
            }
        }
        BigDecimal stopRows = BigDecimal.ZERO;
        BigDecimal stillRows = BigDecimal.ZERO;
        for (JsonNode r : report.path("resources")) {
            BigDecimal h = r.path("hourlyCost").isNumber() ? r.path("hourlyCost").decimalValue() : BigDecimal.ZERO;
            switch (r.path("outcome").asText()) {
                case "paused" -> stopRows = stopRows.add(h);
                case "still-billing", "skipped", "failed" -> stillRows = stillRows.add(h);
                default -> { }
            }
        }
        assertThat(stops.path("hourly").decimalValue()).as("stops: the paused rows").isEqualByComparingTo(stopRows);
        assertThat(still.path("hourly").decimalValue()).as("still bills: its rows").isEqualByComparingTo(stillRows);
        assertThat(still.path("hourly").decimalValue()).as("the NAT gateways, load balancers, addresses, volumes").isPositive();
    }

    private static BigDecimal hourly(JsonNode totals) {
        return totals.isMissingNode() ? BigDecimal.ZERO : totals.path("hourly").decimalValue();
    }
}
