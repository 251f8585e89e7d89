package dev.awshitbreaks.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The summary notification answers "did the bleeding stop": three lines (before, stops, still bills; per hour and
 * per month; the unpriced counts) and the biggest still-billing kinds, costliest first, unpriced ones last.
 */
class BurnRateSummaryTest {
    private static ResourceResult still(String region, String id, String type, Double hourly) {
        return new ResourceResult(ServiceKind.STILL_BILLING, region, id, type, null, Outcome.STILL_BILLING, "a hint",
                hourly, hourly == null ? "unknown: no price" : "bundled-table:2026-11");
    }

    static OperationReport pause() {
        List<ResourceResult> rs = new ArrayList<>(List.of(
                new ResourceResult(ServiceKind.EC2, "us-east-1", "i-1", "t3.micro", null, Outcome.PAUSED, null, 0.0104,
                        "bundled-table:2026-11"),
                still("us-east-1", "nat-1", "nat-gateway public in vpc-1", 0.045),
                still("eu-west-1", "nat-2", "nat-gateway public in vpc-2", 0.048),
                still("us-east-1", "vol-1", "ebs-volume gp3 100 GiB", 0.010959),
                still("us-east-1", "lb-1", "load-balancer application", null)));
        return new OperationReport("pause-20261203-120000-abcdef", "pause-20261203-120000-abcdef", Action.PAUSE, false,
                "paused", "manual", null, null, List.of("eu-west-1", "us-east-1"), OperationReport.countOutcomes(rs), rs, List.of());
    }

    @Test
    void theSummaryCarriesTheThreeFiguresAndTheBiggestStillBillingKinds() {
        String message = SummaryNotifier.message(pause(), "bucket");

        assertThat(message).contains("Burn rate (estimated on-demand cost per hour and per month):")
                .contains("  before       USD 0.114359/hour, USD 83.48207/month (ran before the pause); unknown: 1 not priced")
                .contains("  stops        USD 0.0104/hour, USD 7.592/month (the pause stops); unknown: 0 not priced")
                .contains("  still bills  USD 0.103959/hour, USD 75.89007/month (still bills after the pause); unknown: 1 not priced");
        String kinds = message.substring(message.indexOf("Still billing, the biggest kinds"));
        assertThat(kinds).contains("  nat-gateway: 2, USD 0.093/hour, USD 67.89/month")
                .contains("  ebs-volume: 1, USD 0.010959/hour, USD 8.00007/month")
                .contains("  load-balancer: 1, unknown/hour, unknown/month");
        assertThat(kinds.indexOf("nat-gateway")).isLessThan(kinds.indexOf("ebs-volume"));
        assertThat(kinds.indexOf("ebs-volume")).isLessThan(kinds.indexOf("load-balancer"));
    }

    @Test
    void aResumeSummaryHasNoBurnRate() {
        OperationReport p = pause();
        OperationReport resume = new OperationReport("resume-20261203-130000-abcdef", p.snapshotId(), Action.RESUME, false,
                "resumed", "manual", null, null, p.regions(), null,
                List.of(p.resources().get(0).withOutcome(Outcome.RESUMED, null)), List.of());

        assertThat(SummaryNotifier.message(resume, "bucket")).doesNotContain("Burn rate").doesNotContain("Still billing");
    }
}
