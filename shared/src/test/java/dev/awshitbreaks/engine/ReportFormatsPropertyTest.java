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
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Design property 12 (cost report completeness): the report is exported as JSON and as CSV with identical
 * data. Over random reports (ids, names and reasons with commas, quotes, line breaks, leading formula
 * characters, non-ASCII; known and unknown costs), the CSV is parsed back (RFC 4180, by the parser here) and
 * every row compared, field by field, with the JSON's resources. {@value #DEFAULT_CASES} seeded cases
 * (override with {@code -Dproperties.cases=N}); a failure names its seed, and
 * {@code -Dproperties.seed=S -Dproperties.cases=1} re-runs exactly that case.
 */
class ReportFormatsPropertyTest {
    static final int DEFAULT_CASES = 100;
    private static final int CASES = Integer.getInteger("properties.cases", DEFAULT_CASES);
    private static final long BASE_SEED = Long.getLong("properties.seed", System.nanoTime());
    private static final String[] PIECES = {"a", "Z", "7", " ", ",", "\"", "\n", "\r\n", "=", "+", "-", "@", "'", "\t",
        "é", "€", "😀", "i-0abc", "web,api", "=SUM(A1)", "\"quoted\"", "", ";"};
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-south-1", "eu-central-1");

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

    private static String text(Random rnd, boolean nullable) {
        if (nullable && rnd.nextInt(4) == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(6); i >= 0; i--) {
            sb.append(PIECES[rnd.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    static OperationReport randomReport(Random rnd) {
        List<ResourceResult> rs = new ArrayList<>();
        for (int i = rnd.nextInt(40); i > 0; i--) {
            Double hourly = rnd.nextInt(5) == 0 ? null
                    : BigDecimal.valueOf((long) (rnd.nextDouble() * 100_000_000L), rnd.nextInt(7)).doubleValue();
            String id = text(rnd, false);
            rs.add(new ResourceResult(ServiceKind.values()[rnd.nextInt(ServiceKind.values().length)],
                    REGIONS.get(rnd.nextInt(REGIONS.size())), id.isEmpty() ? "x" : id, text(rnd, true), text(rnd, true),
                    Outcome.values()[rnd.nextInt(Outcome.values().length)], text(rnd, true), hourly,
                    hourly == null ? "unknown: " + text(rnd, false) : rnd.nextBoolean() ? "pricing-api" : "bundled-table:2026-11"));
        }
        return new OperationReport("pause-20261125-120000-" + String.format("%06x", rnd.nextInt(1 << 24)), null,
                Action.PAUSE, rnd.nextBoolean(), "paused", "manual", Instant.ofEpochSecond(1_790_000_000L + rnd.nextInt(1000)),
                Instant.ofEpochSecond(1_790_001_000L), REGIONS, OperationReport.countOutcomes(rs), rs, List.of());
    }

    @TestFactory
    Stream<DynamicTest> property12_theCsvParsedBackHoldsExactlyTheJsonsResources() {
        return cases("Property 12 (cost report completeness: JSON and CSV identical)", rnd -> {
            OperationReport report = randomReport(rnd);
            String json = Json.writePretty(report);
            String csv = ReportCsv.write(report);

            JsonNode doc;
            try {
                doc = Json.mapper().reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
                assertThat(Json.mapper().readValue(json, OperationReport.class)).isEqualTo(report);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            List<List<String>> rows = parse(csv);
            assertThat(rows.get(0)).containsExactly("operationId", "service", "region", "id", "type", "name", "outcome",
                    "reason", "hourlyCost", "priceSource");
            JsonNode resources = doc.path("resources");
            assertThat(rows).hasSize(resources.size() + 1);
            for (int i = 0; i < resources.size(); i++) {
                JsonNode j = resources.get(i);
                List<String> row = rows.get(i + 1);
                assertThat(row).hasSize(10);
                assertThat(row.get(0)).isEqualTo(doc.path("operationId").asText());
                String[] names = {"service", "region", "id", "type", "name", "outcome", "reason"};
                for (int k = 0; k < names.length; k++) {
                    JsonNode v = j.get(names[k]);
                    assertThat(row.get(k + 1)).as("row %d %s", i, names[k]).isEqualTo(v == null || v.isNull() ? null : v.asText());
                }
                JsonNode cost = j.get("hourlyCost");
                assertThat(cost).as("hourlyCost is always in the JSON").isNotNull();
                if (cost.isNull()) {
                    assertThat(row.get(8)).as("row %d hourlyCost", i).isNull();
                } else {
                    assertThat(new BigDecimal(row.get(8))).as("row %d hourlyCost", i).isEqualByComparingTo(cost.decimalValue());
                }
                assertThat(row.get(9)).isEqualTo(j.path("priceSource").asText());
            }
        });
    }

    /**
     * RFC 4180, with this report's two conventions: an unquoted empty field is null (a quoted one the empty
     * string), and one leading apostrophe (the spreadsheet-formula guard) is removed.
     */
    static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        int i = 0;
        int n = csv.length();
        while (i < n) {
            String value;
            if (csv.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    char c = csv.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && csv.charAt(i + 1) == '"') {
                            sb.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    sb.append(c);
                    i++;
                }
                value = sb.toString();
            } else {
                int start = i;
                while (i < n && csv.charAt(i) != ',' && csv.charAt(i) != '\r') {
                    i++;
                }
                value = i == start ? null : csv.substring(start, i);
            }
            if (value != null && value.startsWith("'")) {
                value = value.substring(1);
            }
            row.add(value);
            if (i < n && csv.charAt(i) == ',') {
                i++;
            } else if (i < n && csv.startsWith("\r\n", i)) {
                i += 2;
                rows.add(row);
                row = new ArrayList<>();
            } else if (i < n) {
                throw new IllegalArgumentException("malformed CSV at " + i + ": " + csv.substring(i, Math.min(n, i + 20)));
            }
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }
}
