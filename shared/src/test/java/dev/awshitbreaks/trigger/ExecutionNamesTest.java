package dev.awshitbreaks.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExecutionNamesTest {
    private static final Pattern STEP_FUNCTIONS_SAFE = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    @Test
    void aCleanIdentityIsUsedAsItIs() {
        assertThat(ExecutionNames.of("budget", List.of("prod-monthly", "actual", "24p00", "2019-10")))
                .isEqualTo("budget-prod-monthly-actual-24p00-2019-10");
    }

    @Test
    void theSameIdentityAlwaysGivesTheSameName() {
        assertThat(ExecutionNames.of("alarm", List.of("billing > $100", "20261125T150612345Z")))
                .isEqualTo(ExecutionNames.of("alarm", List.of("billing > $100", "20261125T150612345Z")));
    }

    @Test
    void changedCharactersAreReplacedAndAHashKeepsDifferentIdentitiesApart() {
        String spaced = ExecutionNames.of("budget", List.of("prod cost", "actual"));
        String dashed = ExecutionNames.of("budget", List.of("prod-cost", "actual"));
        String dotted = ExecutionNames.of("budget", List.of("prod.cost", "actual"));
        assertThat(dashed).isEqualTo("budget-prod-cost-actual");
        assertThat(spaced).matches("budget-prod-cost-actual-[0-9a-f]{8}");
        assertThat(List.of(spaced, dashed, dotted)).doesNotHaveDuplicates().allMatch(n -> STEP_FUNCTIONS_SAFE.matcher(n).matches());
    }

    @Test
    void longNamesAreCutTo80WithAHash() {
        String longName = "a".repeat(200);
        String a = ExecutionNames.of("budget", List.of(longName, "actual", "2026-11"));
        String b = ExecutionNames.of("budget", List.of(longName, "actual", "2026-12"));
        assertThat(a).hasSize(80).matches(STEP_FUNCTIONS_SAFE).matches(".*-[0-9a-f]{8}");
        assertThat(a).as("the period differs only past the cut, the hash tells them apart").isNotEqualTo(b);
    }

    @Test
    void unicodeAndPunctuationOnlyNamesStayValid() {
        assertThat(ExecutionNames.of("alarm", List.of("Коштовний бюджет 💸", "t"))).matches(STEP_FUNCTIONS_SAFE);
        assertThat(ExecutionNames.of("alarm", List.of("***"))).matches("alarm-[0-9a-f]{8}");
    }

    @Test
    void attemptsOfOneAlarmFollowOneSequenceOfDistinctNamesWithinTheLimit() {
        String name = ExecutionNames.of("budget", List.of("prod-monthly", "actual", "1000p00", "2026-11"));
        assertThat(ExecutionNames.attempt(name, 0)).isEqualTo(name);
        assertThat(ExecutionNames.attempt(name, 1)).isEqualTo(name + "-r1");
        String longName = ExecutionNames.of("budget", List.of("x".repeat(100), "actual"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int k = 0; k < 12; k++) {
            String a = ExecutionNames.attempt(longName, k);
            assertThat(a.length()).isLessThanOrEqualTo(ExecutionNames.MAX_LENGTH);
            assertThat(a).matches("[A-Za-z0-9_-]+");
            assertThat(ExecutionNames.attempt(longName, k)).isEqualTo(a);
            seen.add(a);
        }
        assertThat(seen).hasSize(12);
    }
}
