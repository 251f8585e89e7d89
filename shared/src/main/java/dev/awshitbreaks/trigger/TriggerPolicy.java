package dev.awshitbreaks.trigger;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.trigger.AlarmMessage.BudgetAlert;
import dev.awshitbreaks.trigger.AlarmMessage.CloudWatchAlarm;
import dev.awshitbreaks.trigger.AlarmMessage.CostAnomaly;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Decides what one SNS notification leads to: start a pause (with its request document and idempotent
 * execution name), or nothing, and why. No AWS calls.
 *
 * <ul>
 *   <li>a message from any topic but {@code TRIGGER_TOPIC_ARN}, or naming another account: refused;</li>
 *   <li>a message that is not one of the three formats: unreadable;</li>
 *   <li>a CloudWatch alarm: starts only on {@code NewStateValue} ALARM;</li>
 *   <li>a budget: starts on the configured alert types; utilization and coverage budgets never start;</li>
 *   <li>an anomaly: starts (an anomaly subscription pointing at the topic is the configuration);</li>
 *   <li>in every case the name must be in {@code TRIGGER_BUDGETS} when that list is not empty.</li>
 * </ul>
 */
public final class TriggerPolicy {
    private static final DateTimeFormatter ALARM_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int MAX_TRIGGER = 128;

    private final TriggerConfig config;
    private final BudgetPeriod.Finder budgetPeriods;

    /** A policy that does not look budgets up: every budget's period is unknown, so taken as a day. */
    public TriggerPolicy(TriggerConfig config) {
        this(config, BudgetPeriod.Finder.NONE);
    }

    /** @param budgetPeriods finds a budget's period (DescribeBudget's TimeUnit) by its name */
    public TriggerPolicy(TriggerConfig config, BudgetPeriod.Finder budgetPeriods) {
        this.config = Objects.requireNonNull(config, "config");
        this.budgetPeriods = Objects.requireNonNull(budgetPeriods, "budgetPeriods");
    }

    public TriggerConfig config() {
        return config;
    }

    /** What a notification leads to. */
    public enum Verdict { START, IGNORED, REFUSED, UNREADABLE }

    /**
     * @param trigger the request's trigger ({@code budget:<name>}, {@code alarm:<name>}, {@code anomaly:<id>}), when read
     * @param executionName and {@code input}: set only for {@link Verdict#START}
     */
    public record Decision(Verdict verdict, String reason, String trigger, String executionName, String input) {
        static Decision not(Verdict verdict, String reason, String trigger) {
            return new Decision(verdict, reason, trigger, null, null);
        }
    }

    public Decision decide(SnsNotification n) {
        if (!config.topicArn().equals(n.topicArn())) {
            return Decision.not(Verdict.REFUSED, "the message came from topic " + n.topicArn() + ", not " + config.topicArn(), null);
        }
        AlarmMessage message;
        try {
            message = AlarmMessage.parse(n.message());
        } catch (UnreadableMessageException e) {
            return Decision.not(Verdict.UNREADABLE, e.getMessage(), null);
        }
        String account = config.topicAccount();
        if (message.accountId().isPresent() && !message.accountId().get().equals(account)) {
            return Decision.not(Verdict.REFUSED, "the message is about account " + message.accountId().get()
                    + ", not this stack's account " + account, null);
        }
        if (message instanceof BudgetAlert b) {
            return budget(n, b);
        }
        if (message instanceof CloudWatchAlarm a) {
            return alarm(a);
        }
        return anomaly((CostAnomaly) message);
    }

    private Decision budget(SnsNotification n, BudgetAlert b) {
        String trigger = trigger("budget:", b.budgetName());
        if (b.isUtilizationOrCoverage()) {
            return Decision.not(Verdict.IGNORED, "budget '" + b.budgetName() + "' is a " + b.budgetType()
                    + " budget: low utilization or coverage is no reason to pause", trigger);
        }
        if (!config.alertTypes().contains(b.alertType())) {
            return Decision.not(Verdict.IGNORED, b.alertType() + " alert for budget '" + b.budgetName() + "': "
                    + TriggerConfig.ALERT_TYPES + " allows only " + config.alertTypes(), trigger);
        }
        if (!config.allowsName(b.budgetName())) {
            return notListed("budget", b.budgetName(), trigger);
        }
        LocalDate day;
        if (n.timestamp() != null) {
            day = n.timestamp().atZone(ZoneOffset.UTC).toLocalDate();
        } else if (b.notificationDate() != null) {
            day = b.notificationDate();
        } else {
            return Decision.not(Verdict.UNREADABLE, "the budget notification has no SNS Timestamp and no notification date:"
                    + " its budget period is unknown", trigger);
        }
        // The notification does not say the budget's time unit; the budget does (DescribeBudget). When it cannot be
        // read, the period is taken as the day: a repeated alert may then pause again (harmless: a pause joins the
        // active snapshot), where a longer guess could swallow the next period's alert.
        BudgetPeriod.Lookup lookup = budgetPeriods.find(b.budgetName());
        BudgetPeriod unit = lookup.period().orElse(BudgetPeriod.DAILY);
        String period = unit.label(day);
        String periodNote = lookup.period().isPresent() ? unit.name().toLowerCase(Locale.ROOT) + " period " + period
                : "period " + period + ", taken as a day: " + lookup.why();
        String threshold = b.thresholdValue() != null
                ? b.thresholdValue().toPlainString().replace('.', 'p') + (b.thresholdPercent() ? "pct" : "")
                : b.threshold() != null ? b.threshold() : "nothreshold";
        String name = ExecutionNames.of("budget",
                List.of(b.budgetName(), b.alertType().name().toLowerCase(Locale.ROOT), threshold, period));
        // ResumeAtNextBudgetPeriod: the pause carries the start of the budget's next period, which the summary schedules
        // as a resume; only when the period is known (a guessed day could resume a monthly budget's pause tomorrow).
        Instant resumeAt = null;
        String resumeNote = "";
        if (config.resumeAtNextPeriod() && !config.dryRun()) {
            if (lookup.period().isPresent()) {
                resumeAt = unit.nextPeriodStart(day);
                resumeNote = "; resume at the next period's start, " + resumeAt;
            } else {
                resumeNote = "; no resume scheduled: the budget's time unit is unknown";
            }
        }
        return start(trigger, name, b.alertType() + " alert for budget '" + b.budgetName() + "' (threshold "
                + Objects.requireNonNullElse(b.threshold(), "not stated") + ", " + periodNote + ")" + resumeNote, resumeAt);
    }

    private Decision alarm(CloudWatchAlarm a) {
        String trigger = trigger("alarm:", a.alarmName());
        if (!a.isAlarm()) {
            return Decision.not(Verdict.IGNORED, "alarm '" + a.alarmName() + "' changed to " + a.newState() + ", not ALARM", trigger);
        }
        if (!config.allowsName(a.alarmName())) {
            return notListed("alarm", a.alarmName(), trigger);
        }
        String name = ExecutionNames.of("alarm", List.of(a.alarmName(), ALARM_TIME.format(a.stateChangeTime())));
        return start(trigger, name, "alarm '" + a.alarmName() + "' in ALARM since " + a.stateChangeTime());
    }

    private Decision anomaly(CostAnomaly c) {
        String trigger = trigger("anomaly:", c.anomalyId());
        if (!config.allowsName(c.name())) {
            return notListed("anomaly monitor", c.name(), trigger);
        }
        String name = ExecutionNames.of("anomaly", List.of(c.anomalyId()));
        return start(trigger, name, "cost anomaly " + c.anomalyId()
                + (c.name() == null ? "" : " from '" + c.name() + "'")
                + (c.totalImpact() == null ? "" : ", total impact $" + c.totalImpact().toPlainString()));
    }

    private Decision notListed(String what, String name, String trigger) {
        return Decision.not(Verdict.IGNORED, what + " '" + name + "' is not in " + TriggerConfig.BUDGETS + " "
                + config.names(), trigger);
    }

    private Decision start(String trigger, String executionName, String why) {
        return start(trigger, executionName, why, null);
    }

    /** @param resumeAt when the stack is to resume the pause (the request's {@code resumeAt}), or null */
    private Decision start(String trigger, String executionName, String why, Instant resumeAt) {
        Request request;
        try {
            request = new Request(Action.PAUSE, config.regions(), config.services(), null, null, null, config.dryRun(), null, trigger,
                    resumeAt == null ? null : resumeAt.toString()).validated();
        } catch (InvalidRequestException e) {
            return Decision.not(Verdict.REFUSED, "the request would be invalid: " + e.getMessage(), trigger);
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("action", request.action());
        input.put("regions", request.regions());
        input.put("services", request.services());
        input.put("dryRun", request.isDryRun());
        input.put("trigger", request.trigger());
        if (request.resumeAt() != null) {
            input.put("resumeAt", request.resumeAt());
        }
        return new Decision(Verdict.START, why + (request.isDryRun() ? " (dry run only)" : ""), trigger, executionName,
                Json.write(input));
    }

    /** The request's trigger: letters, digits, spaces and {@code :/._+=@-}, at most 128 characters. */
    static String trigger(String prefix, String value) {
        String v = (value == null ? "unnamed" : value).replaceAll("[^A-Za-z0-9:/._+=@ -]", "-");
        String t = prefix + v;
        return t.length() <= MAX_TRIGGER ? t : t.substring(0, MAX_TRIGGER);
    }
}
