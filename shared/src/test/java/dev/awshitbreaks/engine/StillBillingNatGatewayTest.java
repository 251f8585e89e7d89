package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.BurnRate;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.testing.FaultProxy;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NatGateway;

/**
 * The still-billing kind (issue #17) with its first lister, NAT gateways, against moto: listed, priced and never
 * changed by a discover, a dry run, a pause or a resume; nothing of it recorded; the burn rate before = stops + still
 * bills; a listing AWS refuses is a failed row saying so.
 */
class StillBillingNatGatewayTest {
    private EngineFixture f;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
    }

    private static Request request(Action action, List<String> services, boolean dryRun) {
        return new Request(action, List.of("us-east-1", "eu-west-1"), services, null, null, null, dryRun, null, null);
    }

    @Test
    void natGatewaysAreListedPricedAndLeftAsTheyAreByDiscoverDryRunPauseAndResume() {
        String nat = natGateway("us-east-1", "egress");
        String natEu = natGateway("eu-west-1", null);
        String instance = f.account.runInstance("us-east-1", "t3.micro");
        Map<String, String> before = natStates();

        OperationReport discover = f.engine().run(request(Action.DISCOVER, List.of("ec2", "still-billing"), false),
                ProgressListener.NONE);
        OperationReport dry = f.engine().run(request(Action.PAUSE, List.of("ec2", "still-billing"), true), ProgressListener.NONE);
        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of("ec2", "still-billing"), false), ProgressListener.NONE);

        for (OperationReport r : List.of(discover, dry, pause)) {
            ResourceResult row = row(r, nat);
            assertThat(row.outcome()).isEqualTo(Outcome.STILL_BILLING);
            assertThat(row.service()).isEqualTo(ServiceKind.STILL_BILLING);
            assertThat(row.type()).startsWith("nat-gateway public in vpc-");
            assertThat(row.name()).isEqualTo("egress");
            assertThat(row.hourlyCost()).isEqualTo(0.045); // bundled table, us-east-1
            assertThat(row.priceSource()).startsWith("bundled-table:");
            assertThat(row.reason()).contains("bills per hour while it exists").contains("delete it");
            assertThat(row(r, natEu).hourlyCost()).isEqualTo(0.048);
        }
        assertThat(row(pause, instance).outcome()).isEqualTo(Outcome.PAUSED);
        assertThat(f.store.records(pause.snapshotId(), "us-east-1", ServiceKind.STILL_BILLING)).as("nothing still billing is recorded")
                .isEmpty();
        assertThat(f.store.records(pause.snapshotId(), null, null)).as("only the paused instance is recorded")
                .extracting(r -> r.id()).containsExactly(instance);

        OperationReport resume = f.engine().run(request(Action.RESUME, List.of("ec2", "still-billing"), false),
                ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(resume.resources()).extracting(ResourceResult::id).containsExactly(instance);
        assertThat(resume.burnRate()).as("a resume stops nothing").isNull();
        assertThat(natStates()).as("read back after every operation: unchanged").isEqualTo(before);
    }

    @Test
    void theBurnRateBeforeIsWhatThePauseStopsPlusWhatStillBillsExactly() {
        natGateway("us-east-1", null);
        natGateway("us-east-1", null);
        f.account.runInstance("us-east-1", "t3.micro");
        f.account.runInstance("eu-west-1", "t3.small", Map.of("aws-hit-breaks:protect", "true"));

        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of("ec2", "still-billing"), false), ProgressListener.NONE);
        BurnRate b = pause.burnRate();

        // us-east-1: t3.micro 0.0104 stops; two NAT gateways 2 x 0.045 still bill; eu-west-1: the protected t3.small
        // is skipped and still bills at its own price
        assertThat(b.stops().hourly()).isEqualByComparingTo("0.0104");
        assertThat(b.stops().byService()).containsOnlyKeys("ec2");
        // beside them: the instances' root volumes and the NAT gateways' Elastic IPs (their own kinds, their own tests)
        assertThat(b.stillBills().byService()).containsOnlyKeys("nat-gateway", "ec2", "ebs-volume", "public-ipv4");
        assertThat(b.stillBills().byService().get("nat-gateway").hourly()).isEqualByComparingTo("0.09");
        assertThat(b.before().hourly()).isEqualByComparingTo(b.stops().hourly().add(b.stillBills().hourly()));
        assertThat(b.before().monthly()).isEqualByComparingTo(b.before().hourly().multiply(BigDecimal.valueOf(730)));
        for (String region : b.before().byRegion().keySet()) {
            BigDecimal stops = b.stops().byRegion().containsKey(region) ? b.stops().byRegion().get(region).hourly() : BigDecimal.ZERO;
            BigDecimal still = b.stillBills().byRegion().containsKey(region) ? b.stillBills().byRegion().get(region).hourly()
                    : BigDecimal.ZERO;
            assertThat(b.before().byRegion().get(region).hourly()).as(region).isEqualByComparingTo(stops.add(still));
        }
        assertThat(b.before().priced()).isEqualTo(b.stops().priced() + b.stillBills().priced());
        assertThat(b.before().unknown()).isEqualTo(b.stops().unknown() + b.stillBills().unknown());
        assertThat(pause.costs().hourly()).as("what the pause saves is unchanged by what still bills")
                .isEqualByComparingTo(b.stops().hourly());
    }

    @Test
    void aListingAwsRefusesIsOneFailedRowNamingWhatWasNotListedAndTheRestIsStillPaused() {
        String instance = f.account.runInstance("us-east-1", "t3.micro");
        natGateway("us-east-1", null);
        try (FaultProxy proxy = FaultProxy.builder(f.moto.endpoint()).start()) {
            proxy.respondInstead(c -> "DescribeNatGateways".equals(c.operation()), 10, c -> new FaultProxy.Answer(403, "text/xml",
                    "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform"
                            + " this operation.</Message></Error></Errors><RequestID>r</RequestID></Response>"));

            OperationReport pause = f.engineThrough(proxy).run(request(Action.PAUSE, List.of("ec2", "still-billing"), false),
                    ProgressListener.NONE);

            assertThat(row(pause, instance).outcome()).isEqualTo(Outcome.PAUSED);
            assertThat(pause.resources()).filteredOn(r -> r.service() == ServiceKind.STILL_BILLING)
                    .filteredOn(r -> r.region().equals("us-east-1"))
                    .filteredOn(r -> r.outcome() == Outcome.FAILED || r.type().startsWith("nat-gateway")).singleElement()
                    .satisfies(r -> {
                        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                        assertThat(r.id()).isEqualTo("(NAT gateways)");
                        assertThat(r.reason()).contains("could not list NAT gateways").contains("UnauthorizedOperation")
                                .contains("missing from the figures");
                        assertThat(r.hourlyCost()).isNull();
                    });
            assertThat(pause.status()).as("a failure is reported, never hidden").isEqualTo("partial");
        }
    }

    @Test
    void withoutStillBillingInTheRequestNoStillBillingCallIsMade() {
        natGateway("us-east-1", null);
        try (FaultProxy proxy = FaultProxy.builder(f.moto.endpoint()).start()) {
            OperationReport pause = f.engineThrough(proxy).run(request(Action.PAUSE, List.of("ec2"), false), ProgressListener.NONE);

            assertThat(pause.resources()).noneMatch(r -> r.service() == ServiceKind.STILL_BILLING);
            assertThat(proxy.calls()).noneMatch(c -> "DescribeNatGateways".equals(c.operation()));
        }
    }

    private String natGateway(String region, String name) {
        Ec2Client ec2 = f.account.ec2(region);
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24")).subnet().subnetId();
        String eip = ec2.allocateAddress(b -> b.domain("vpc")).allocationId();
        return ec2.createNatGateway(b -> {
            b.subnetId(subnet).allocationId(eip);
            if (name != null) {
                b.tagSpecifications(t -> t.resourceType("natgateway").tags(x -> x.key("Name").value(name)));
            }
        }).natGateway().natGatewayId();
    }

    private Map<String, String> natStates() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String region : List.of("us-east-1", "eu-west-1")) {
            for (NatGateway n : f.account.ec2(region).describeNatGateways().natGateways()) {
                out.put(n.natGatewayId(), n.stateAsString() + " " + n.subnetId() + " " + n.natGatewayAddresses());
            }
        }
        return out;
    }

    private static ResourceResult row(OperationReport r, String id) {
        return r.resources().stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in the report: " + r.resources()));
    }
}
