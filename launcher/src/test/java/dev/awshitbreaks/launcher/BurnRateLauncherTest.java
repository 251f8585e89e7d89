package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.snapshot.SnapshotStore;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.RecordingProxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DomainType;

/**
 * The burn rate as the launcher shows it, against moto: a NAT gateway (0.045/hour in us-east-1), its Elastic IP
 * (0.005/hour) and the instance's 8 GiB gp2 root volume (0.001096/hour) still billing beside a t3.micro (0.0104/hour)
 * the pause stops. The table shows the still-billing row (outcome, type, hourly, hint) and the
 * three figures after the summary; {@code --status} shows those of the active snapshot's pause, and of the one
 * {@code --snapshot} names, read from its stored report with one S3 GetObject; a report from before the burn rate
 * was reported says so, and status goes on.
 */
class BurnRateLauncherTest {
    private static final String BUCKET = SnapshotFormatCapture.BUCKET;
    private MotoServer moto;
    private MotoAccount account;
    private String nat;

    @BeforeEach
    void setUp() {
        moto = MotoServer.get();
        moto.reset();
        account = new MotoAccount(moto.endpoint());
        account.runInstance("us-east-1", "t3.micro");
        Ec2Client ec2 = account.ec2("us-east-1");
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24")).subnet().subnetId();
        String eip = ec2.allocateAddress(b -> b.domain(DomainType.VPC)).allocationId();
        nat = ec2.createNatGateway(b -> b.subnetId(subnet).allocationId(eip)).natGateway().natGatewayId();
    }

    @Test
    void theTableShowsTheStillBillingRowWithItsHintAndTheThreeFiguresAfterTheSummary() {
        LauncherRun discover = LauncherRun.local(moto.endpoint(), "--discover", "--region", "us-east-1", "--yes");

        assertThat(discover.exit()).as(discover.err()).isEqualTo(ExitCode.OK);
        String natRow = discover.out().lines().filter(l -> l.contains(nat)).findFirst().orElseThrow();
        assertThat(natRow).contains("still-billing").contains("nat-gateway public in vpc-").contains("0.045")
                .contains("delete it");
        String out = discover.out();
        assertThat(out.indexOf("Burn rate")).as("after the summary").isGreaterThan(out.indexOf("Estimated USD"));
        assertThat(out).contains("before       USD 0.061496/hour, USD 44.89208/month (ran before the pause it would make); unknown: 0 not priced")
                .contains("stops        USD 0.0104/hour, USD 7.592/month (a pause would stop); unknown: 0 not priced")
                .contains("still bills  USD 0.051096/hour, USD 37.30008/month (would still bill after a pause); unknown: 0 not priced")
                .contains("by service: ebs-volume 0.001096/hour, ec2 0.0104/hour, nat-gateway 0.045/hour, public-ipv4 0.005/hour")
                .contains("by region:  us-east-1 0.061496/hour");
    }

    @Test
    void statusShowsTheActivePausesBurnRateFromItsStoredReportWithOneGetObject() throws Exception {
        LauncherRun discover = LauncherRun.local(moto.endpoint(), "--discover", "--region", "us-east-1", "--yes");
        assertThat(discover.exit()).as(discover.err()).isEqualTo(ExitCode.OK);
        LauncherRun pause = LauncherRun.local(moto.endpoint(), "--pause", "--region", "us-east-1", "--yes", "--output", "json");
        assertThat(pause.exit()).as(pause.err()).isEqualTo(ExitCode.OK);
        String snapshot = pause.json().path("snapshotId").asText();
        JsonNode burn = pause.json().path("burnRate");
        assertThat(burn.path("before").path("hourly").decimalValue()).isEqualByComparingTo("0.061496");
        assertThat(burn.path("stops").path("hourly").decimalValue()).isEqualByComparingTo("0.0104");
        assertThat(burn.path("stillBills").path("byService").path("nat-gateway").path("hourly").decimalValue())
                .isEqualByComparingTo("0.045");

        try (RecordingProxy proxy = RecordingProxy.forwardingTo(moto.endpoint())) {
            LauncherRun status = LauncherRun.local(proxy.endpoint(), "--status");

            assertThat(status.exit()).as(status.err()).isEqualTo(ExitCode.OK);
            assertThat(status.out()).contains("Burn rate of the active snapshot's pause " + snapshot)
                    .contains("before       USD 0.061496/hour, USD 44.89208/month (ran before the pause); unknown: 0 not priced")
                    .contains("stops        USD 0.0104/hour, USD 7.592/month (the pause stops); unknown: 0 not priced")
                    .contains("still bills  USD 0.051096/hour, USD 37.30008/month (still bills after the pause); unknown: 0 not priced");
            assertThat(status.out().lines().filter(l -> l.contains(discover.out().lines()
                    .filter(x -> x.startsWith("Operation: ")).findFirst().orElseThrow().substring("Operation: ".length()))))
                    .as("the discover is listed too").hasSize(1);
            assertThat(proxy.calls()).filteredOn(c -> c.path().contains("/reports/"))
                    .as("one GetObject: the active pause's report, none for the other rows")
                    .singleElement().satisfies(c -> {
                        assertThat(c.method()).isEqualTo("GET");
                        assertThat(c.path()).endsWith("/reports/" + snapshot + ".json");
                    });
        }

        LauncherRun json = LauncherRun.local(moto.endpoint(), "--status", "--output", "json");
        JsonNode active = null;
        for (JsonNode op : json.json().path("operations")) {
            if (op.path("active").asBoolean()) {
                active = op;
            } else {
                assertThat(op.has("burnRate")).as("only the active snapshot's pause").isFalse();
            }
        }
        assertThat(active).isNotNull();
        assertThat(active.path("burnRate")).isEqualTo(burn);

        LauncherRun held = LauncherRun.local(moto.endpoint(), "--status", "--snapshot", snapshot);
        assertThat(held.out()).contains("Burn rate of its pause").contains("still bills  USD 0.051096/hour, USD 37.30008/month");
        LauncherRun heldJson = LauncherRun.local(moto.endpoint(), "--status", "--snapshot", snapshot, "--output", "json");
        assertThat(heldJson.json().path("burnRate").path("before").path("monthly").decimalValue())
                .isEqualByComparingTo(new BigDecimal("44.89208"));
    }

    @Test
    void aReportFromBeforeTheBurnRateSaysItIsNotKnownAndStatusGoesOn() throws Exception {
        LauncherRun pause = LauncherRun.local(moto.endpoint(), "--pause", "--region", "us-east-1", "--yes", "--output", "json");
        assertThat(pause.exit()).as(pause.err()).isEqualTo(ExitCode.OK);
        String snapshot = pause.json().path("snapshotId").asText();
        // the stored report as an earlier version wrote it: no burnRate
        ObjectNode old = (ObjectNode) pause.json();
        old.remove("burnRate");
        try (AwsClients clients = new AwsClients(new AwsSettings(moto.endpoint(), "us-east-1", Launcher.DEFAULT_TABLE, BUCKET),
                MotoAccount.CREDENTIALS)) {
            clients.s3().putObject(b -> b.bucket(BUCKET).key(SnapshotStore.reportKey(snapshot, "json")),
                    RequestBody.fromString(Json.writePretty(old), StandardCharsets.UTF_8));
        }

        LauncherRun status = LauncherRun.local(moto.endpoint(), "--status");
        LauncherRun held = LauncherRun.local(moto.endpoint(), "--status", "--snapshot", snapshot);
        LauncherRun json = LauncherRun.local(moto.endpoint(), "--status", "--output", "json");

        assertThat(status.exit()).as(status.err()).isEqualTo(ExitCode.OK);
        assertThat(status.out()).contains("Burn rate of the active snapshot's pause " + snapshot + ": not known: its report is"
                + " from a version before the burn rate was reported (it has no burnRate).");
        assertThat(held.exit()).as(held.err()).isEqualTo(ExitCode.OK);
        assertThat(held.out()).contains("Burn rate of its pause: not known: its report is from a version before");
        JsonNode op = json.json().path("operations").get(0);
        assertThat(op.path("burnRate").isMissingNode() || op.path("burnRate").isNull()).as("no figures standing in").isTrue();
        assertThat(op.path("burnRateNotKnownBecause").asText()).contains("no burnRate");
    }
}
