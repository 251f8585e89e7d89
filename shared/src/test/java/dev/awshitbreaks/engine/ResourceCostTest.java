package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.cost.PricingApiPriceBook;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every result of every path carries an hourly cost (or null, said to be unknown) and its source; against moto. */
class ResourceCostTest {
    private EngineFixture f;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
    }

    private static Request request(Action action, boolean dryRun) {
        return new Request(action, List.of("us-east-1"), List.of("ec2"), null, null, null, dryRun, null, null);
    }

    @Test
    void discoverPauseAndResumeCarryTheBundledPriceOfEachInstanceAndTheSnapshotKeepsIt() throws Exception {
        String known = f.account.runInstance("us-east-1", "t3.micro");
        String unpriced = f.account.runInstance("us-east-1", "x2iezn.12xlarge"); // unpriced and EBS-only (no instance store)
        String guarded = f.account.runInstance("us-east-1", "m5.large", Map.of("aws-hit-breaks:protect", "true"));

        OperationReport discover = f.engine().run(request(Action.DISCOVER, false), ProgressListener.NONE);
        assertThat(cost(discover, known).hourlyCost()).isEqualTo(0.0104);
        assertThat(cost(discover, known).priceSource()).startsWith("bundled-table:");
        assertThat(cost(discover, unpriced).hourlyCost()).isNull();
        assertThat(cost(discover, unpriced).priceSource()).startsWith("unknown: ").contains("x2iezn.12xlarge");
        assertThat(cost(discover, guarded).outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(cost(discover, guarded).hourlyCost()).as("a skipped resource is priced too").isEqualTo(0.096);

        OperationReport dry = f.engine().run(request(Action.PAUSE, true), ProgressListener.NONE);
        assertThat(cost(dry, known).hourlyCost()).isEqualTo(0.0104);

        OperationReport pause = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        assertThat(cost(pause, known).outcome()).isEqualTo(Outcome.PAUSED);
        assertThat(cost(pause, known).hourlyCost()).isEqualTo(0.0104);
        SnapshotRecord rec = f.store.records(pause.snapshotId(), null, null).stream()
                .filter(r -> r.id().equals(known)).findFirst().orElseThrow();
        assertThat(rec.hourlyCost()).isEqualTo(0.0104);
        assertThat(rec.priceSource()).startsWith("bundled-table:");

        // JSON: an unknown cost is an explicit null, never 0 and never absent
        JsonNode json = Json.mapper().readTree(Json.write(pause));
        JsonNode unknownNode = null;
        for (JsonNode r : json.get("resources")) {
            if (r.get("id").asText().equals(unpriced)) {
                unknownNode = r;
            }
        }
        assertThat(unknownNode).isNotNull();
        assertThat(unknownNode.has("hourlyCost")).isTrue();
        assertThat(unknownNode.get("hourlyCost").isNull()).isTrue();
        assertThat(unknownNode.get("priceSource").asText()).startsWith("unknown: ");
        assertThat(Json.mapper().readValue(Json.write(pause), OperationReport.class)).isEqualTo(pause);

        OperationReport resume = f.engine().run(Request.of(Action.RESUME), ProgressListener.NONE);
        assertThat(cost(resume, known).outcome()).isEqualTo(Outcome.RESUMED);
        assertThat(cost(resume, known).hourlyCost()).as("the figure recorded at the pause").isEqualTo(0.0104);
        assertThat(resume.resources()).allSatisfy(r -> assertThat(r.priceSource()).isNotBlank());
    }

    @Test
    void againstMotoThePricingApiIsTriedOnceAndFailsFastThenTheBundledTablePricesEveryResource() {
        PricingApiPriceBook.resetForTests();
        for (int i = 0; i < 6; i++) {
            f.account.runInstance(i % 2 == 0 ? "us-east-1" : "eu-west-1", i < 3 ? "t3.micro" : "m5.large");
        }
        Request discover = new Request(Action.DISCOVER, List.of("us-east-1", "eu-west-1"), List.of("ec2"), null, null, null,
                false, null, null);
        long start = System.nanoTime();

        OperationReport report = BrakeEngine.create(f.clients, EngineFixture.FAST).run(discover, ProgressListener.NONE);

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(report.resources()).hasSize(6).allSatisfy(r -> {
            assertThat(r.hourlyCost()).isNotNull();
            assertThat(r.priceSource()).startsWith("bundled-table:");
        });
        PricingApiPriceBook moto = new PricingApiPriceBook(f.clients.httpClient(), f.clients.credentialsProvider(),
                f.moto.endpoint(), "us-east-1");
        assertThat(moto.calls()).as("one GetProducts attempt for the whole JVM, not one per resource").isEqualTo(1);
        assertThat(moto.off()).isPresent();
        assertThat(millis).as("moto's error answers at once: no wait for the real internet").isLessThan(30_000);
    }

    @Test
    void theCsvReportCarriesTheCostColumnsWithAnEmptyFieldForUnknown() {
        ResourceResult priced = new ResourceResult(dev.awshitbreaks.core.ServiceKind.EC2, "us-east-1", "i-1", "t3.micro",
                null, Outcome.PAUSED, null, 0.0104, "bundled-table:2026-11");
        ResourceResult unknown = priced.withCost(null, "unknown: no price");
        OperationReport report = new OperationReport("pause-20261125-000000-abcdef", null, Action.PAUSE, false, "paused",
                "manual", null, null, List.of("us-east-1"), Map.of(), List.of(priced, unknown), List.of());
        String[] lines = ReportCsv.write(report).split("\r\n");
        assertThat(lines[0]).endsWith(",hourlyCost,priceSource");
        assertThat(lines[1]).endsWith(",0.0104,bundled-table:2026-11");
        assertThat(lines[2]).endsWith(",,unknown: no price");
    }

    private static ResourceResult cost(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }
}
