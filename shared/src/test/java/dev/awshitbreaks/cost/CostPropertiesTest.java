package dev.awshitbreaks.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.CostSummary;
import dev.awshitbreaks.core.CostSummary.Totals;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.cost.CostEstimator.Estimate;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Design property 11 (cost calculation accuracy): for any paused resource with a known price, the hourly
 * estimate is the on-demand price of its type, size and region; daily and monthly figures are exact
 * multiples (24 and 730) of the hourly one; the totals by service and by region add up exactly.
 * {@value #DEFAULT_CASES} seeded cases each (override with {@code -Dproperties.cases=N}); a failure names its
 * seed, and {@code -Dproperties.seed=S -Dproperties.cases=1} re-runs exactly that case.
 */
class CostPropertiesTest {
    static final int DEFAULT_CASES = 100;
    private static final int CASES = Integer.getInteger("properties.cases", DEFAULT_CASES);
    private static final long BASE_SEED = Long.getLong("properties.seed", System.nanoTime());
    static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1");

    static Stream<DynamicTest> cases(String property, Consumer<Random> body) {
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

    /** A price with up to 6 decimals, as a double (what ResourceResult carries), or null for unknown. */
    static Double randomHourly(Random rnd) {
        if (rnd.nextInt(5) == 0) {
            return null;
        }
        long unscaled = (long) (rnd.nextDouble() * (rnd.nextBoolean() ? 1_000_000L : 1_000_000_000L));
        return BigDecimal.valueOf(unscaled, rnd.nextInt(7)).doubleValue();
    }

    static List<ResourceResult> randomResources(Random rnd) {
        List<ResourceResult> out = new ArrayList<>();
        int n = rnd.nextInt(60);
        for (int i = 0; i < n; i++) {
            ServiceKind s = ServiceKind.values()[rnd.nextInt(ServiceKind.values().length)];
            Outcome o = Outcome.values()[rnd.nextInt(Outcome.values().length)];
            Double h = randomHourly(rnd);
            out.add(new ResourceResult(s, REGIONS.get(rnd.nextInt(REGIONS.size())), "r-" + i, null, null, o, null, h,
                    h == null ? "unknown: generated" : "bundled-table:2026-11"));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> property11_dailyAndMonthlyAreExactMultiplesAndTotalsByServiceAndRegionAddUp() {
        return cases("Property 11 (cost calculation accuracy: totals)", rnd -> {
            List<ResourceResult> resources = randomResources(rnd);
            Action action = Action.values()[rnd.nextInt(Action.values().length)];
            CostSummary c = CostSummary.of(action, rnd.nextBoolean(), resources);

            // the whole is exactly the sum of the counted resources' hourly figures, each as the decimal it is
            BigDecimal expected = BigDecimal.ZERO;
            int priced = 0;
            int unknown = 0;
            for (ResourceResult r : resources) {
                if (CostSummary.COUNTED.contains(r.outcome())) {
                    if (r.hourlyCost() == null) {
                        unknown++;
                    } else {
                        priced++;
                        expected = expected.add(new BigDecimal(Double.toString(r.hourlyCost())));
                    }
                }
            }
            assertThat(c.hourly()).isEqualByComparingTo(expected);
            assertThat(c.priced()).isEqualTo(priced);
            assertThat(c.unknown()).isEqualTo(unknown);
            exactMultiples(c.total());
            for (Map<String, Totals> split : List.of(c.byService(), c.byRegion())) {
                BigDecimal h = BigDecimal.ZERO;
                BigDecimal d = BigDecimal.ZERO;
                BigDecimal m = BigDecimal.ZERO;
                int p = 0;
                int u = 0;
                for (Totals t : split.values()) {
                    exactMultiples(t);
                    h = h.add(t.hourly());
                    d = d.add(t.daily());
                    m = m.add(t.monthly());
                    p += t.priced();
                    u += t.unknown();
                }
                assertThat(h).isEqualByComparingTo(c.hourly());
                assertThat(d).isEqualByComparingTo(c.daily());
                assertThat(m).isEqualByComparingTo(c.monthly());
                assertThat(p).isEqualTo(c.priced());
                assertThat(u).isEqualTo(c.unknown());
            }
        });
    }

    private static void exactMultiples(Totals t) {
        assertThat(t.daily()).isEqualByComparingTo(t.hourly().multiply(BigDecimal.valueOf(24)));
        assertThat(t.monthly()).isEqualByComparingTo(t.hourly().multiply(BigDecimal.valueOf(730)));
    }

    @TestFactory
    Stream<DynamicTest> property11_aResourcesEstimateIsTheOnDemandPriceOfItsTypeSizeAndRegion() {
        BundledPriceBook table = BundledPriceBook.load();
        List<Map.Entry<PriceQuery, BigDecimal>> ec2 = table.entries().entrySet().stream()
                .filter(e -> e.getKey().product() == PriceQuery.Product.EC2_INSTANCE).toList();
        List<Map.Entry<PriceQuery, BigDecimal>> rds = table.entries().entrySet().stream()
                .filter(e -> e.getKey().product() == PriceQuery.Product.RDS_INSTANCE).toList();
        List<Map.Entry<PriceQuery, BigDecimal>> aurora = table.entries().entrySet().stream()
                .filter(e -> e.getKey().product() == PriceQuery.Product.AURORA_INSTANCE).toList();
        CostEstimator estimator = new CostEstimator(table);
        return cases("Property 11 (cost calculation accuracy: per resource)", rnd -> {
            // EC2: the type's price in the region
            var one = ec2.get(rnd.nextInt(ec2.size()));
            Estimate e = estimator.estimate(ServiceKind.EC2, one.getKey().region(), one.getKey().type(), Map.of());
            assertThat(e.hourly()).isEqualByComparingTo(one.getValue());
            assertThat(e.source()).isEqualTo(table.source());

            // Auto Scaling: the sum of its instances, each at its type's price, in one region
            String region = one.getKey().region();
            List<Map.Entry<PriceQuery, BigDecimal>> here = ec2.stream().filter(x -> x.getKey().region().equals(region)).toList();
            List<String> types = new ArrayList<>();
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = rnd.nextInt(8); i >= 0; i--) {
                var pick = here.get(rnd.nextInt(here.size()));
                types.add(pick.getKey().type());
                sum = sum.add(pick.getValue());
            }
            Estimate group = estimator.estimate(ServiceKind.AUTOSCALING, region, "g", Map.of(CostBasis.INSTANCE_TYPES, types));
            assertThat(group.hourly()).isEqualByComparingTo(sum);

            // RDS: class, engine and deployment
            var db = rds.get(rnd.nextInt(rds.size()));
            Estimate d = estimator.estimate(ServiceKind.RDS, db.getKey().region(), db.getKey().type(), Map.of(
                    CostBasis.DB_INSTANCE_CLASS, db.getKey().type(), CostBasis.ENGINE, db.getKey().engine(),
                    CostBasis.MULTI_AZ, db.getKey().multiAz()));
            assertThat(d.hourly()).isEqualByComparingTo(db.getValue());

            // Aurora: the sum of its members
            var member = aurora.get(rnd.nextInt(aurora.size()));
            int members = 1 + rnd.nextInt(4);
            Estimate cluster = estimator.estimate(ServiceKind.AURORA, member.getKey().region(), member.getKey().engine(), Map.of(
                    CostBasis.ENGINE, member.getKey().engine(),
                    CostBasis.MEMBER_CLASSES, java.util.Collections.nCopies(members, member.getKey().type())));
            assertThat(cluster.hourly()).isEqualByComparingTo(member.getValue().multiply(BigDecimal.valueOf(members)));

            // an unknown type anywhere makes the whole estimate unknown, never a partial sum or a zero
            types.add("zz" + rnd.nextInt(1000) + ".unheard");
            Estimate partial = estimator.estimate(ServiceKind.AUTOSCALING, region, "g", Map.of(CostBasis.INSTANCE_TYPES, types));
            assertThat(partial.hourly()).isNull();
            assertThat(partial.source()).startsWith("unknown: ");
        });
    }
}
