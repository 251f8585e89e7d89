package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The interactive summary's counts and costs. */
class CostsTest {
    private static ResourceResult r(ServiceKind s, String id, String type, Double hourly) {
        return new ResourceResult(s, "us-east-1", id, type, null, Outcome.WOULD_PAUSE, null, hourly, hourly == null ? "unknown" : "bundled");
    }

    @Test
    void unknownCostsAreCountedAsUnknownNeverAsZero() {
        assertThat(Costs.total(List.of(r(ServiceKind.EC2, "i-1", "t3.micro", null)))).startsWith("unknown").doesNotContain("$0");
        assertThat(Costs.total(List.of(r(ServiceKind.EC2, "i-1", "t3.micro", 0.0104), r(ServiceKind.RDS, "db", "db.t3.micro", null))))
                .isEqualTo("$0.0104/hour, $7.59/month (plus 1 resource of unknown cost)");
        assertThat(Costs.cost(List.of(r(ServiceKind.RDS, "db", "db.t3.micro", null)), "/hour")).isEqualTo("cost unknown");
    }

    /**
     * Design property 2 (discovery summary accuracy): for any list of resources, the count on each service's
     * line equals the number of that service's resources in the list, and the lines add up to the list.
     * Seeded: 200 random lists; a failure prints the seed, re-run with -Dcosts.seed=SEED.
     */
    @Test
    void property2TheCountsByServiceMatchTheListExactly() {
        long seed = Long.getLong("costs.seed", System.nanoTime());
        Random random = new Random(seed);
        Pattern count = Pattern.compile("^(\\d+) ");
        for (int run = 0; run < 200; run++) {
            List<ResourceResult> list = new ArrayList<>();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                ServiceKind s = ServiceKind.values()[random.nextInt(ServiceKind.values().length)];
                list.add(r(s, "id-" + i, random.nextBoolean() ? "small" : "large", random.nextInt(4) == 0 ? null : random.nextDouble()));
            }
            List<String> lines = Costs.byService(list);
            int total = 0;
            for (String line : lines) {
                Matcher m = count.matcher(line);
                assertThat(m.find()).as("seed %d: line %s", seed, line).isTrue();
                int shown = Integer.parseInt(m.group(1));
                ServiceKind s = java.util.Arrays.stream(ServiceKind.values())
                        .filter(k -> line.startsWith(Costs.label(k, shown))).findFirst().orElseThrow();
                assertThat(shown).as("seed %d (re-run with -Dcosts.seed=%d): %s", seed, seed, line)
                        .isEqualTo((int) list.stream().filter(x -> x.service() == s).count());
                total += shown;
            }
            assertThat(total).as("seed %d (re-run with -Dcosts.seed=%d)", seed, seed).isEqualTo(list.size());
        }
    }
}
