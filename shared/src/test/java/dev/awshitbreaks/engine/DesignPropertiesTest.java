package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Request;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The design document's correctness property 8 (filter validation), checked over random invalid requests
 * without any AWS call: {@value #DEFAULT_CASES} cases (override with {@code -Dproperties.cases=N}); each case
 * is seeded, its seed is in its name and in any failure, and {@code -Dproperties.seed=S -Dproperties.cases=1}
 * re-runs exactly that case.
 *
 * <p>Properties 1-7, 9 and 10, which need an account, are checked over random accounts of every service in
 * moto by {@link MultiServicePropertiesTest}, with the same seeding and re-run conventions.
 */
class DesignPropertiesTest {
    static final int DEFAULT_CASES = 100;
    private static final int CASES = Integer.getInteger("properties.cases", DEFAULT_CASES);
    private static final long BASE_SEED = Long.getLong("properties.seed", System.nanoTime());

    private static Stream<DynamicTest> cases(String property, Consumer<Random> body) {
        return java.util.stream.IntStream.range(0, CASES).mapToObj(n -> {
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

    /** Property 8: invalid filters are rejected before any AWS call, with a message naming the bad value. */
    @TestFactory
    Stream<DynamicTest> property8_invalidFiltersAreRejectedNamingTheBadValue() {
        return cases("Property 8 (filter validation)", rnd -> {
            String junk = randomJunk(rnd);
            int kind = rnd.nextInt(5);
            Request bad = switch (kind) {
                case 0 -> new Request(Action.PAUSE, List.of("us-east-1", "zz-" + junk + "-9"), null, null, null, null, false, null, null);
                case 1 -> new Request(Action.PAUSE, null, List.of("ec2", "svc" + junk), null, null, null, false, null, null);
                case 2 -> new Request(Action.PAUSE, null, null, Map.of("k" + junk, "x".repeat(257)), null, null, false, null, null);
                case 3 -> new Request(Action.PAUSE, null, null, null, null, List.of("../" + junk), false, null, null);
                default -> new Request(Action.RESUME, null, null, null, null, null, false, "pause-" + junk, null);
            };
            String named = switch (kind) {
                case 0 -> "zz-" + junk + "-9";
                case 1 -> "svc" + junk;
                case 2 -> "k" + junk;
                case 3 -> "../" + junk;
                default -> "pause-" + junk;
            };
            assertThatThrownBy(bad::validated).as("Property 8").isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining(named.length() > 40 ? named.substring(0, 40) : named);
        });
    }

    private static String randomJunk(Random rnd) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_.";
        StringBuilder sb = new StringBuilder();
        int n = 1 + rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
