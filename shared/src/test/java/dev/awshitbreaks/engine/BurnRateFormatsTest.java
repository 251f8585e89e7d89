package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every form of a pause's report shows the burn rate's three figures (before, stops, still bills), per hour and per
 * month, by service (still-billing rows by kind) and by region, with the unpriced counts, and the still-billing rows
 * with their hints: the JSON ({@code burnRate}), the CSV (its rows add up to it: {@link BurnRatePropertyTest}) and the
 * HTML page (escaped).
 */
class BurnRateFormatsTest {
    static final String HINT = "delete it & its <Elastic IP> if nothing needs the internet";

    /**
     * Paused: ec2 0.0104 (us-east-1). Still billing: a NAT gateway 0.045 (us-east-1), a load balancer without a price
     * (eu-west-1), a protected RDS database 0.1 (eu-west-1, skipped). Before 0.1554/hour, 1 not priced.
     */
    static OperationReport report() {
        List<ResourceResult> rs = List.of(
                new ResourceResult(ServiceKind.EC2, "us-east-1", "i-1", "t3.micro", null, Outcome.PAUSED, null, 0.0104,
                        "bundled-table:2026-11"),
                new ResourceResult(ServiceKind.STILL_BILLING, "us-east-1", "nat-1", "nat-gateway public in vpc-1", "egress",
                        Outcome.STILL_BILLING, HINT, 0.045, "bundled-table:2026-11"),
                new ResourceResult(ServiceKind.STILL_BILLING, "eu-west-1", "lb-1", "load-balancer application", null,
                        Outcome.STILL_BILLING, "delete it if nothing is served", null, "unknown: no price for it"),
                new ResourceResult(ServiceKind.RDS, "eu-west-1", "db-1", "db.t3.large", null, Outcome.SKIPPED,
                        "protected by tag", 0.1, "bundled-table:2026-11"));
        return new OperationReport("pause-20261203-120000-abcdef", "pause-20261203-120000-abcdef", Action.PAUSE, false,
                "paused", "manual", Instant.parse("2026-12-03T12:00:00Z"), Instant.parse("2026-12-03T12:01:00Z"),
                List.of("eu-west-1", "us-east-1"), OperationReport.countOutcomes(rs), rs, List.of());
    }

    @Test
    void theJsonReportCarriesTheThreeFiguresByServiceAndRegionWithTheUnpricedCounts() throws Exception {
        JsonNode b = Json.mapper().reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(Json.writePretty(report())).path("burnRate");

        assertThat(b.path("before").path("hourly").decimalValue()).isEqualByComparingTo("0.1554");
        assertThat(b.path("before").path("monthly").decimalValue()).isEqualByComparingTo("113.442");
        assertThat(b.path("before").path("unknown").asInt()).isEqualTo(1);
        assertThat(b.path("stops").path("hourly").decimalValue()).isEqualByComparingTo("0.0104");
        assertThat(b.path("stops").path("unknown").asInt()).isZero();
        assertThat(b.path("stillBills").path("hourly").decimalValue()).isEqualByComparingTo("0.145");
        assertThat(b.path("stillBills").path("priced").asInt()).isEqualTo(2);
        assertThat(b.path("stillBills").path("unknown").asInt()).isEqualTo(1);
        assertThat(b.path("stillBills").path("byService").path("nat-gateway").path("hourly").decimalValue())
                .isEqualByComparingTo("0.045");
        assertThat(b.path("stillBills").path("byService").path("load-balancer").path("unknown").asInt()).isEqualTo(1);
        assertThat(b.path("stillBills").path("byService").path("rds").path("hourly").decimalValue()).isEqualByComparingTo("0.1");
        assertThat(b.path("stillBills").path("byRegion").path("eu-west-1").path("hourly").decimalValue())
                .isEqualByComparingTo("0.1");
        assertThat(b.path("before").path("byRegion").path("us-east-1").path("hourly").decimalValue())
                .isEqualByComparingTo("0.0554");
    }

    @Test
    void theCsvReportHoldsTheStillBillingRowsWithTheirHints() {
        List<List<String>> rows = ReportFormatsPropertyTest.parse(ReportCsv.write(report()));

        assertThat(rows).anySatisfy(row -> assertThat(row).containsExactly("pause-20261203-120000-abcdef", "still-billing",
                "us-east-1", "nat-1", "nat-gateway public in vpc-1", "egress", "still-billing", HINT, "0.045",
                "bundled-table:2026-11"));
        assertThat(rows).anySatisfy(row -> assertThat(row.subList(6, 10)).containsExactly("still-billing",
                "delete it if nothing is served", null, "unknown: no price for it"));
    }

    @Test
    void theHtmlPageShowsTheThreeFiguresTheirBarsAndTheStillBillingRowsEscaped() {
        String html = ReportHtml.write(report());

        assertThat(html).contains("Burn rate: before and after")
                .contains("USD 0.1554/hour").contains("USD 0.0104/hour").contains("USD 0.145/hour")
                .contains("before: ran before the pause; unknown: 1 not priced")
                .contains("stops: the pause stops; unknown: 0 not priced")
                .contains("still bills: still bills after the pause; unknown: 1 not priced")
                .contains("<svg id=\"burn-chart\"")
                .contains("USD 113.44/month").contains("USD 7.59/month").contains("USD 105.85/month (+1 not priced)")
                .contains("<table id=\"burn-by-service\"").contains("<td>nat-gateway</td>").contains("<td>load-balancer</td>")
                .contains("<table id=\"burn-by-region\"").contains("<td>eu-west-1</td>")
                .contains("<table id=\"still-billing\"")
                .contains("delete it &amp; its &lt;Elastic IP&gt; if nothing needs the internet")
                .doesNotContain("<Elastic IP>");
    }

    @Test
    void aResumeHasNoBurnRateAndItsPageNoBurnRateSection() {
        OperationReport pause = report();
        OperationReport resume = new OperationReport("resume-20261203-130000-abcdef", pause.snapshotId(), Action.RESUME, false,
                "resumed", "manual", null, null, pause.regions(), pause.counts(), List.of(pause.resources().get(0)
                        .withOutcome(Outcome.RESUMED, null)), List.of());

        assertThat(resume.burnRate()).isNull();
        assertThat(ReportHtml.write(resume)).doesNotContain("Burn rate");
    }
}
