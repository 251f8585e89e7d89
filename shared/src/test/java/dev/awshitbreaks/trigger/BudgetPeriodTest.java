package dev.awshitbreaks.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * When a budget's next period begins ({@link BudgetPeriod#nextPeriodStart}), the time a scheduled resume is set to.
 * AWS Budgets' periods are calendar periods starting at 00:00 UTC.
 */
class BudgetPeriodTest {
    private static final long SEED = Long.getLong("budgetPeriod.seed", System.nanoTime());
    private static final int CASES = 2_000;

    @Test
    void theNextPeriodOfEachTimeUnitStartsAtMidnightUtcOnItsFirstDay() {
        assertThat(BudgetPeriod.DAILY.nextPeriodStart(LocalDate.of(2026, 11, 25))).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(BudgetPeriod.DAILY.nextPeriodStart(LocalDate.of(2026, 12, 31))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(BudgetPeriod.DAILY.nextPeriodStart(LocalDate.of(2028, 2, 28))).isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
        assertThat(BudgetPeriod.MONTHLY.nextPeriodStart(LocalDate.of(2026, 11, 25))).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(BudgetPeriod.MONTHLY.nextPeriodStart(LocalDate.of(2026, 12, 1))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(BudgetPeriod.MONTHLY.nextPeriodStart(LocalDate.of(2027, 1, 31))).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
        assertThat(BudgetPeriod.QUARTERLY.nextPeriodStart(LocalDate.of(2026, 11, 25))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(BudgetPeriod.QUARTERLY.nextPeriodStart(LocalDate.of(2026, 1, 1))).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(BudgetPeriod.QUARTERLY.nextPeriodStart(LocalDate.of(2026, 6, 30))).isEqualTo(Instant.parse("2026-07-01T00:00:00Z"));
        assertThat(BudgetPeriod.QUARTERLY.nextPeriodStart(LocalDate.of(2026, 9, 30))).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
        assertThat(BudgetPeriod.ANNUALLY.nextPeriodStart(LocalDate.of(2026, 11, 25))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(BudgetPeriod.ANNUALLY.nextPeriodStart(LocalDate.of(2026, 1, 1))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    /**
     * For random dates (years 1970-2399, leap days included) and every time unit, the next period's start is checked
     * against the period labels (the execution names' periods, {@link BudgetPeriod#label}), not against its own
     * arithmetic: it is 00:00:00 UTC; it is after the date; the day before it is in the date's period and it is not
     * (so it is the first moment after the date's period); and it is on the first day the unit's periods start on
     * (any day; the 1st; the 1st of January, April, July or October; 1 January).
     */
    @Test
    void forRandomDatesTheNextPeriodStartIsTheFirstMidnightOutsideTheDatesPeriod() {
        System.out.println("BudgetPeriodTest: seed=" + SEED + " (re-run with -DbudgetPeriod.seed=" + SEED + "), " + CASES + " dates");
        Random random = new Random(SEED);
        long first = LocalDate.of(1970, 1, 1).toEpochDay();
        long last = LocalDate.of(2399, 12, 31).toEpochDay();
        for (int n = 0; n < CASES; n++) {
            LocalDate date = n % 10 == 0 ? leapDayOrYearEnd(random) : LocalDate.ofEpochDay(first + (long) (random.nextDouble() * (last - first)));
            for (BudgetPeriod unit : BudgetPeriod.values()) {
                String what = unit + " " + date + " (seed " + SEED + ", case " + n + ")";
                Instant next = unit.nextPeriodStart(date);
                LocalDate day = next.atZone(ZoneOffset.UTC).toLocalDate();
                assertThat(next.atZone(ZoneOffset.UTC).toLocalTime()).as(what + ": midnight UTC").isEqualTo(LocalTime.MIDNIGHT);
                assertThat(day).as(what + ": after the date").isAfter(date);
                assertThat(unit.label(day.minusDays(1))).as(what + ": the day before it is in the date's period").isEqualTo(unit.label(date));
                assertThat(unit.label(day)).as(what + ": it is in another period").isNotEqualTo(unit.label(date));
                switch (unit) {
                    case DAILY -> assertThat(day).as(what).isEqualTo(date.plusDays(1));
                    case MONTHLY -> assertThat(day.getDayOfMonth()).as(what + ": the 1st").isEqualTo(1);
                    case QUARTERLY -> {
                        assertThat(day.getDayOfMonth()).as(what + ": the 1st").isEqualTo(1);
                        assertThat(day.getMonthValue()).as(what + ": a quarter's first month").isIn(1, 4, 7, 10);
                    }
                    case ANNUALLY -> assertThat(day).as(what + ": 1 January").isEqualTo(LocalDate.of(date.getYear() + 1, 1, 1));
                }
                assertThat(unit.start(date)).as(what + ": the period starts on or before the date").isBeforeOrEqualTo(date);
                assertThat(unit.label(unit.start(date))).as(what + ": its start is in its period").isEqualTo(unit.label(date));
            }
        }
    }

    /** The edges: 29 February of a leap year, 31 December, the last day of a quarter. */
    private static LocalDate leapDayOrYearEnd(Random random) {
        int year = 1972 + 4 * random.nextInt(100);
        return switch (random.nextInt(3)) {
            case 0 -> LocalDate.of(java.time.Year.isLeap(year) ? year : year + 4, 2, 29); // 2100, 2200, 2300: not leap
            case 1 -> LocalDate.of(year, 12, 31);
            default -> LocalDate.of(year, 3 * (1 + random.nextInt(4)), 1).plusMonths(1).minusDays(1);
        };
    }
}
