package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.BurnRate;
import dev.awshitbreaks.core.CostSummary;
import dev.awshitbreaks.core.CostSummary.Totals;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The burn rate adds up: over random pause and discover reports (every outcome, every service, still-billing rows of
 * kinds made up here, since the code must not depend on which kinds exist; known and unknown prices with up to 6
 * decimals), {@code before = stops + still bills} exactly, in total, per service (or still-billing kind) and per
 * region, and so do the priced and unpriced counts; every figure is the exact sum of its rows; and the JSON report
 * and the CSV report hold the same burn rate (the CSV's rows, parsed back, add up to the JSON's {@code burnRate}).
 * {@value #DEFAULT_CASES} seeded cases per property (override with {@code -Dproperties.cases=N}); a failure names its
 * seed, and {@code -Dproperties.seed=S -Dproperties.cases=1} re-runs exactly that case.
 */
class BurnRatePropertyTest {
    static final int DEFAULT_CASES = 100;
    private static final int CASES = Integer.getInteger("properties.cases", DEFAULT_CASES);
    private static final long BASE_SEED = Long.getLong("properties.seed", System.nanoTime());
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-south-1", "eu-central-1");
    private static final List<Action> ACTIONS = List.of(Action.PAUSE, Action.DISCOVER);

    private static Stream<DynamicTest> cases(String property, Consumer<Random> body) {
        return IntStream.range(0, CASES).mapToObj(n -> {
            long seed = BASE_SEED + n;
            return DynamicTest.dynamicTest(property + " case " + n + " seed=" + seed, () -> {
                try {
                    body.accept(new Random(seed));
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(property + " failed for seed=" + seed
                            + " (re-run: -Dproperties.seed=" + seed + " -Dproperties.cases=1): " + e.getMessage(), e);
                }
            });
        });
    }

    /** A random pause or discover report; a third of the rows still billing, of kinds k0..k5. */
    static OperationReport randomReport(Random rnd) {
        List<ResourceResult> rs = new ArrayList<>();
        for (int i = rnd.nextInt(60); i > 0; i--) {
            Double hourly = rnd.nextInt(5) == 0 ? null
                    : BigDecimal.valueOf((long) (rnd.nextDouble() * 100_000_000L), rnd.nextInt(7)).doubleValue();
            String region = REGIONS.get(rnd.nextInt(REGIONS.size()));
            String source = hourly == null ? "unknown: no price for it" : "bundled-table:2026-11";
            if (rnd.nextInt(3) == 0) {
                String kind = "k" + rnd.nextInt(6);
                rs.add(new ResourceResult(ServiceKind.STILL_BILLING, region, "r-" + i, kind + (rnd.nextBoolean() ? " gp3 " + i + " GiB" : ""),
                        null, Outcome.STILL_BILLING, "a hint, " + i, hourly, source));
            } else {
                ServiceKind service;
                do {
                    service = ServiceKind.values()[rnd.nextInt(ServiceKind.values().length)];
                } while (service == ServiceKind.STILL_BILLING);
                Outcome outcome;
                do {
                    outcome = Outcome.values()[rnd.nextInt(Outcome.values().length)];
                } while (outcome == Outcome.STILL_BILLING); // only the still-billing kind's rows have it
                rs.add(new ResourceResult(service, region, "r-" + i, "t" + i, null, outcome, null, hourly, source));
            }
        }
        Action action = ACTIONS.get(rnd.nextInt(ACTIONS.size()));
        return new OperationReport(action.id() + "-20261203-120000-" + String.format("%06x", rnd.nextInt(1 << 24)), null,
                action, action == Action.PAUSE && rnd.nextBoolean(), "done", "manual", Instant.ofEpochSecond(1_790_000_000L),
                Instant.ofEpochSecond(1_790_001_000L), REGIONS, OperationReport.countOutcomes(rs), rs, List.of());
    }

    @TestFactory
    Stream<DynamicTest> beforeIsStopsPlusStillBillsInTotalPerServiceAndPerRegionWithTheUnpricedCounts() {
        return cases("Burn rate adds up (before = stops + still bills)", rnd -> {
            OperationReport report = randomReport(rnd);
            BurnRate b = report.burnRate();
            assertThat(b).isNotNull();

            assertSum(b.before().total(), b.stops().total(), b.stillBills().total(), "total");
            for (String key : union(b, CostSummary::byService)) {
                assertSum(b.before().byService().get(key), b.stops().byService().get(key), b.stillBills().byService().get(key),
                        "service " + key);
            }
            for (String key : union(b, CostSummary::byRegion)) {
                assertSum(b.before().byRegion().get(key), b.stops().byRegion().get(key), b.stillBills().byRegion().get(key),
                        "region " + key);
            }
            // every figure is its rows' exact sum, and its parts add up to it
            List<ResourceResult> stopped = report.resources().stream().filter(r -> BurnRate.STOPPED.contains(r.outcome())).toList();
            List<ResourceResult> still = report.resources().stream().filter(r -> BurnRate.STILL.contains(r.outcome())).toList();
            assertRowsSum(b.stops(), stopped, "stops");
            assertRowsSum(b.stillBills(), still, "still bills");
            List<ResourceResult> all = new ArrayList<>(stopped);
            all.addAll(still);
            assertRowsSum(b.before(), all, "before");
            assertThat(b.stillBills().byService().keySet()).as("a still-billing row is added up under its kind")
                    .containsAll(still.stream().filter(r -> r.service() == ServiceKind.STILL_BILLING)
                            .map(r -> r.type().split(" ")[0]).toList());
        });
    }

    @TestFactory
    Stream<DynamicTest> theJsonAndTheCsvReportHoldTheSameBurnRate() {
        return cases("Burn rate: JSON and CSV identical", rnd -> {
            OperationReport report = randomReport(rnd);
            String json = Json.writePretty(report);
            OperationReport fromJson;
            JsonNode doc;
            try {
                fromJson = Json.mapper().readValue(json, OperationReport.class);
                doc = Json.mapper().reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertThat(fromJson.burnRate()).isEqualTo(report.burnRate());
            for (String figure : List.of("before", "stops", "stillBills")) {
                JsonNode f = doc.path("burnRate").path(figure);
                assertThat(f.path("hourly").isNumber()).as(figure + ".hourly is a number").isTrue();
                assertThat(f.has("unknown") && f.has("priced") && f.has("byService") && f.has("byRegion")).as(figure).isTrue();
            }

            List<ResourceResult> fromCsv = new ArrayList<>();
            List<List<String>> rows = ReportFormatsPropertyTest.parse(ReportCsv.write(report));
            for (List<String> row : rows.subList(1, rows.size())) {
                fromCsv.add(new ResourceResult(ServiceKind.fromId(row.get(1)), row.get(2), row.get(3), row.get(4), row.get(5),
                        Outcome.fromId(row.get(6)), row.get(7), row.get(8) == null ? null : Double.valueOf(row.get(8)), row.get(9)));
            }
            assertThat(BurnRate.of(report.action(), report.dryRun(), fromCsv))
                    .as("the burn rate the CSV's rows add up to is the JSON's").isEqualTo(fromJson.burnRate());
        });
    }

    private static TreeSet<String> union(BurnRate b, Function<CostSummary, Map<String, Totals>> by) {
        TreeSet<String> keys = new TreeSet<>(by.apply(b.before()).keySet());
        keys.addAll(by.apply(b.stops()).keySet());
        keys.addAll(by.apply(b.stillBills()).keySet());
        return keys;
    }

    private static void assertSum(Totals before, Totals stops, Totals still, String what) {
        assertThat(before).as("%s: before is there whenever stops or still bills is", what).isNotNull();
        Totals zero = Totals.of(BigDecimal.ZERO, 0, 0);
        Totals s = stops == null ? zero : stops;
        Totals t = still == null ? zero : still;
        assertThat(before.hourly()).as("%s hourly", what).isEqualByComparingTo(s.hourly().add(t.hourly()));
        assertThat(before.daily()).as("%s daily", what).isEqualByComparingTo(s.daily().add(t.daily()));
        assertThat(before.monthly()).as("%s monthly", what).isEqualByComparingTo(s.monthly().add(t.monthly()));
        assertThat(before.priced()).as("%s priced", what).isEqualTo(s.priced() + t.priced());
        assertThat(before.unknown()).as("%s unknown (not priced)", what).isEqualTo(s.unknown() + t.unknown());
    }

    private static void assertRowsSum(CostSummary c, List<ResourceResult> rows, String what) {
        BigDecimal sum = rows.stream().filter(r -> r.hourlyCost() != null).map(r -> BigDecimal.valueOf(r.hourlyCost()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        long unknown = rows.stream().filter(r -> r.hourlyCost() == null).count();
        assertThat(c.hourly()).as("%s: the rows' exact sum", what).isEqualByComparingTo(sum);
        assertThat(c.monthly()).as("%s: 730 hours a month", what).isEqualByComparingTo(sum.multiply(BigDecimal.valueOf(730)));
        assertThat(c.unknown()).as("%s: rows without a price", what).isEqualTo(unknown);
        assertThat(c.priced()).as("%s: rows with a price", what).isEqualTo(rows.size() - unknown);
        assertThat(c.byService().values().stream().map(Totals::hourly).reduce(BigDecimal.ZERO, BigDecimal::add))
                .as("%s: by service adds up to the total", what).isEqualByComparingTo(c.hourly());
        assertThat(c.byRegion().values().stream().map(Totals::hourly).reduce(BigDecimal.ZERO, BigDecimal::add))
                .as("%s: by region adds up to the total", what).isEqualByComparingTo(c.hourly());
        assertThat(c.byService().values().stream().mapToInt(Totals::unknown).sum()).as("%s: unpriced by service", what)
                .isEqualTo(c.unknown());
        assertThat(c.byRegion().values().stream().mapToInt(Totals::unknown).sum()).as("%s: unpriced by region", what)
                .isEqualTo(c.unknown());
    }
}
