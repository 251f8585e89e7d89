package dev.awshitbreaks.trigger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * A budget's period, from its {@code TimeUnit} (AWS Budgets: DAILY, MONTHLY, QUARTERLY, ANNUALLY). An alert is
 * sent once per threshold per period, so the period is part of the alert's execution name: a redelivery in the same
 * period starts nothing new, the next period's alert pauses again. Periods are calendar periods in UTC (a monthly
 * budget resets on the first of the month, a quarterly one on 1 January, April, July and October, an annual one on
 * 1 January; AWS Budgets' user guide).
 */
public enum BudgetPeriod {
    DAILY, MONTHLY, QUARTERLY, ANNUALLY;

    /** The period containing {@code date}: {@code 2026-11-25}, {@code 2026-11}, {@code 2026-Q4}, {@code 2026}. */
    public String label(LocalDate date) {
        return switch (this) {
            case DAILY -> date.toString();
            case MONTHLY -> String.format(Locale.ROOT, "%04d-%02d", date.getYear(), date.getMonthValue());
            case QUARTERLY -> date.getYear() + "-Q" + ((date.getMonthValue() - 1) / 3 + 1);
            case ANNUALLY -> Integer.toString(date.getYear());
        };
    }

    /** The first day of the period containing {@code date}: the day, the 1st of its month, of its quarter, 1 January. */
    public LocalDate start(LocalDate date) {
        return switch (this) {
            case DAILY -> date;
            case MONTHLY -> date.withDayOfMonth(1);
            case QUARTERLY -> LocalDate.of(date.getYear(), (date.getMonthValue() - 1) / 3 * 3 + 1, 1);
            case ANNUALLY -> LocalDate.of(date.getYear(), 1, 1);
        };
    }

    /**
     * When the period after the one containing {@code date} begins: 00:00:00 UTC of its first day (AWS Budgets'
     * periods start at 00:00 UTC). The scheduled resume of a budget's pause ({@code ResumeAtNextBudgetPeriod}) is set
     * to it.
     */
    public Instant nextPeriodStart(LocalDate date) {
        LocalDate start = start(date);
        LocalDate next = switch (this) {
            case DAILY -> start.plusDays(1);
            case MONTHLY -> start.plusMonths(1);
            case QUARTERLY -> start.plusMonths(3);
            case ANNUALLY -> start.plusYears(1);
        };
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The period of a {@code TimeUnit} as DescribeBudget returns it; empty for anything else. */
    public static Optional<BudgetPeriod> ofTimeUnit(String timeUnit) {
        if (timeUnit == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(timeUnit.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** How a budget's period was found: from the budget itself, or assumed (and why). */
    public record Lookup(Optional<BudgetPeriod> period, String why) {
        public static Lookup found(BudgetPeriod p) {
            return new Lookup(Optional.of(p), null);
        }

        public static Lookup unknown(String why) {
            return new Lookup(Optional.empty(), why);
        }
    }

    /** Finds a budget's period by its name; never throws (an error is an unknown period with the reason). */
    @FunctionalInterface
    public interface Finder {
        Lookup find(String budgetName);

        /** For a policy without AWS access (tests of decisions only): every period unknown. */
        Finder NONE = name -> Lookup.unknown("the budget's time unit was not looked up");
    }
}
