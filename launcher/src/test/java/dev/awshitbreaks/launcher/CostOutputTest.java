package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Costs as the launcher shows them: per resource, totals, and a paused snapshot's savings; against moto. */
class CostOutputTest {
    private MotoServer moto;
    private MotoAccount account;

    @BeforeEach
    void setUp() {
        moto = MotoServer.get();
        moto.reset();
        account = new MotoAccount(moto.endpoint());
    }

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Json.mapper().readTree(out);
        }
    }

    private Run local(String... args) {
        List<String> all = new ArrayList<>(List.of("--local", "--endpoint-url", moto.endpoint().toString(), "--state-region", "us-east-1"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_ENDPOINT_URL", moto.endpoint().toString());
        Terminal t = new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        int code = Launcher.run(t, all.toArray(String[]::new));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonCarriesEveryResourcesHourlyCostAndSourceAndTheTotals() throws Exception {
        String micro = account.runInstance("us-east-1", "t3.micro");
        String large = account.runInstance("eu-west-1", "m5.large");
        String exotic = account.runInstance("us-east-1", "x2iezn.12xlarge"); // unpriced and EBS-only (no instance store)

        Run discover = local("--discover", "--region", "us-east-1", "--region", "eu-west-1", "--yes", "--output", "json");

        assertThat(discover.exit()).as(discover.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = discover.json();
        for (JsonNode r : doc.path("resources")) {
            assertThat(r.has("hourlyCost")).as("hourlyCost is always present").isTrue();
            assertThat(r.path("priceSource").asText()).isNotBlank();
            String id = r.path("id").asText();
            if (id.equals(micro)) {
                assertThat(r.path("hourlyCost").decimalValue()).isEqualByComparingTo("0.0104");
            } else if (id.equals(large)) {
                assertThat(r.path("hourlyCost").decimalValue()).isEqualByComparingTo("0.107");
            } else if (id.equals(exotic)) {
                assertThat(r.path("hourlyCost").isNull()).isTrue();
                assertThat(r.path("priceSource").asText()).startsWith("unknown: ");
            }
        }
        JsonNode costs = doc.path("costs");
        assertThat(costs.path("hourly").decimalValue()).isEqualByComparingTo("0.1174");
        assertThat(costs.path("daily").decimalValue()).isEqualByComparingTo("2.8176");
        assertThat(costs.path("monthly").decimalValue()).isEqualByComparingTo("85.702");
        assertThat(costs.path("unknown").asInt()).isEqualTo(1);
        assertThat(costs.path("byRegion").path("eu-west-1").path("hourly").decimalValue()).isEqualByComparingTo("0.107");
        assertThat(costs.path("byService").path("ec2").path("hourly").decimalValue()).isEqualByComparingTo("0.1174");
    }

    @Test
    void theTableShowsCostColumnsAndTheTotalsLine() {
        account.runInstance("us-east-1", "t3.micro");

        Run discover = local("--discover", "--region", "us-east-1", "--yes");

        assertThat(discover.out()).contains("USD/HOUR").contains("PRICE SOURCE").contains("0.0104").contains("bundled-table:")
                .contains("Estimated USD 0.0104/hour, 0.2496/day, 7.592/month");
    }

    @Test
    void statusOfAPausedSnapshotShowsHowLongItHasBeenPausedAndWhatItSaved() throws Exception {
        account.runInstance("us-east-1", "t3.micro");
        account.runInstance("us-east-1", "t3.small");
        Run pause = local("--pause", "--region", "us-east-1", "--yes", "--output", "json");
        assertThat(pause.exit()).as(pause.err()).isEqualTo(ExitCode.OK);
        String snapshot = pause.json().path("snapshotId").asText();

        Run status = local("--status", "--output", "json");
        JsonNode savings = status.json().path("operations").get(0).path("savings");
        assertThat(savings.path("hourlyWhilePaused").decimalValue()).isEqualByComparingTo("0.0312");
        assertThat(savings.path("paused").asInt()).isEqualTo(2);
        assertThat(savings.path("pausedForSeconds").asLong()).isBetween(0L, 120L);
        assertThat(savings.path("savedSoFar").decimalValue()).isBetween(BigDecimal.ZERO, new BigDecimal("0.002"));

        Run table = local("--status");
        assertThat(table.out()).contains("PAUSED FOR").contains("USD/HOUR SAVED").contains("SAVED SO FAR").contains("0.0312");

        Run held = local("--status", "--snapshot", snapshot);
        assertThat(held.out()).contains("Paused for ").contains("saving USD 0.0312/hour").contains("saved so far")
                .contains("USD/HOUR");
        Run heldJson = local("--status", "--snapshot", snapshot, "--output", "json");
        assertThat(heldJson.json().path("savings").path("hourlyWhilePaused").decimalValue()).isEqualByComparingTo("0.0312");
        assertThat(heldJson.json().path("records").get(0).has("hourlyCost")).isTrue();
    }
}
