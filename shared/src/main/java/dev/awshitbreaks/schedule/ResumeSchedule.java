package dev.awshitbreaks.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.aws.SchedulerApi;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.engine.Plan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The opt-in way back ({@code ResumeAtNextBudgetPeriod}): the stack's one scheduled resume, a one-time EventBridge
 * Scheduler schedule ({@value #SCHEDULE_NAME} in the stack's schedule group) that starts the brake state machine with a
 * resume request at the start of the budget's next period.
 *
 * <p>Applied by the summary of every real pause and resume (never a dry run or a discover, which make no scheduler
 * call), while the operation still holds the account lock: the schedule there was is cancelled (a manual resume, or a
 * new pause, takes over; a missing schedule is fine), then a pause whose request carries {@code resumeAt} (a budget
 * alert's, set by the trigger) creates the schedule anew and reads it back. The schedule resumes the pause's snapshot
 * exactly as a manual resume does (the same request, validated the same way) with the trigger
 * {@code scheduled:<the pause's trigger>}, and EventBridge Scheduler deletes it once it has started the execution
 * ({@code ActionAfterCompletion: DELETE}).
 */
public final class ResumeSchedule {
    /** The stack's schedule group (template: {@code ResumeScheduleGroup}); unset: scheduled resumes are off. */
    public static final String GROUP_ENV = "RESUME_SCHEDULE_GROUP";
    /** The role EventBridge Scheduler assumes to start the state machine (template: {@code ResumeSchedulerRole}). */
    public static final String ROLE_ENV = "RESUME_SCHEDULE_ROLE_ARN";
    /** The one schedule of the group: there is at most one scheduled resume. */
    public static final String SCHEDULE_NAME = "resume-at-next-budget-period";
    /** The scheduled resume's trigger starts with this, followed by the pause's. */
    public static final String TRIGGER_PREFIX = "scheduled:";
    /** A resume time that has passed by the time the pause ends is moved this far ahead (at() has minute precision). */
    static final Duration LEAD = Duration.ofMinutes(1);

    private static final Pattern GROUP = Pattern.compile("[0-9a-zA-Z._-]{1,64}");
    private static final Pattern ROLE = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern STATE_MACHINE = Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}");
    private static final Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");
    private static final DateTimeFormatter AT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private final SchedulerApi scheduler;
    private final String group;
    private final String roleArn;
    private final Clock clock;

    public ResumeSchedule(SchedulerApi scheduler, String group, String roleArn, Clock clock) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.group = requireMatch(GROUP_ENV, group, GROUP);
        this.roleArn = requireMatch(ROLE_ENV, roleArn, ROLE);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The schedule's group and role from the function's environment; empty when {@value #GROUP_ENV} is unset or empty
     * (the stack's {@code ResumeAtNextBudgetPeriod} is Disabled). A malformed value fails, naming the variable.
     */
    public static Optional<Names> fromEnvironment(Map<String, String> env) {
        String group = env.get(GROUP_ENV);
        if (group == null || group.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Names(requireMatch(GROUP_ENV, group.strip(), GROUP),
                requireMatch(ROLE_ENV, env.get(ROLE_ENV) == null ? null : env.get(ROLE_ENV).strip(), ROLE)));
    }

    /** The group and the execution role, as the environment names them. */
    public record Names(String group, String roleArn) {
    }

    private static String requireMatch(String variable, String value, Pattern p) {
        if (value == null || !p.matcher(value).matches()) {
            throw new IllegalStateException("environment variable " + variable + " is " + (value == null ? "not set"
                    : Shown.quote(value) + ": not a valid " + (p == GROUP ? "schedule group name" : "IAM role ARN")));
        }
        return value;
    }

    /** What became of the scheduled resume: {@code scheduled} (at, read back), {@code none}, or {@code failed}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outcome(String status, Instant at, String detail) {
        public static final String SCHEDULED = "scheduled";
        public static final String NONE = "none";
        public static final String FAILED = "failed";

        public boolean failed() {
            return FAILED.equals(status);
        }

        /** The summary notification's line. */
        public String line() {
            return switch (status) {
                case SCHEDULED -> "Scheduled resume: " + (at == null ? "at a time its schedule does not say" : at + " (UTC)")
                        + ", " + detail;
                case NONE -> "Scheduled resume: none" + (detail == null ? "" : " (" + detail + ")");
                default -> "Scheduled resume: FAILED: " + detail;
            };
        }
    }

    /**
     * Cancels the scheduled resume and, for a pause whose request has {@code resumeAt}, schedules it anew; nothing (no
     * call) for a dry run or a discover. Never throws: a failure is an outcome, the operation's result stands.
     *
     * @param stateMachineArn the state machine to start ({@code $$.StateMachine.Id})
     */
    public Optional<Outcome> apply(Plan plan, String stateMachineArn) {
        if (!plan.changesResources()) {
            return Optional.empty();
        }
        Optional<Instant> resumeAt = plan.action() == Action.PAUSE ? plan.request().resumeInstant() : Optional.empty();
        Optional<String> cancelled;
        try {
            Optional<JsonNode> existing = scheduler.getSchedule(group, SCHEDULE_NAME);
            String scheduledSnapshot = existing.map(ResumeSchedule::snapshotOf).orElse(null);
            if (plan.action() == Action.RESUME && scheduledSnapshot != null && !scheduledSnapshot.equals(plan.snapshotId())) {
                // a resume of another (older) snapshot: the scheduled resume of the paused one stands
                return Optional.of(new Outcome(Outcome.SCHEDULED, atOf(existing.get()).orElse(null), "kept: it resumes snapshot "
                        + scheduledSnapshot + ", not " + plan.snapshotId() + " which this resume restored"));
            }
            cancelled = existing.isEmpty() ? Optional.empty() : Optional.of(cancel(existing.get()));
        } catch (RuntimeException e) {
            return Optional.of(new Outcome(Outcome.FAILED, null, "the resume scheduled before could not be cancelled ("
                    + describe(e) + "): delete schedule " + group + "/" + SCHEDULE_NAME
                    + " (aws scheduler delete-schedule --group-name " + group + " --name " + SCHEDULE_NAME
                    + "), or it will resume the account"));
        }
        String before = cancelled.orElse(null);
        if (resumeAt.isEmpty()) {
            String why = plan.action() == Action.RESUME
                    ? (plan.request().trigger().startsWith(TRIGGER_PREFIX) ? "this is the scheduled resume" : null)
                    : "only a budget alert's pause schedules one";
            return Optional.of(new Outcome(Outcome.NONE, null, join(before, why)));
        }
        try {
            return Optional.of(schedule(plan, resumeAt.get(), stateMachineArn, before));
        } catch (RuntimeException e) {
            return Optional.of(new Outcome(Outcome.FAILED, null, "the resume at " + resumeAt.get() + " could not be scheduled ("
                    + describe(e) + "): resume by hand when the budget's next period begins" + (before == null ? "" : "; " + before)));
        }
    }

    /** Deletes the schedule; what was cancelled (with the time it was set to). */
    private String cancel(JsonNode existing) {
        scheduler.deleteSchedule(group, SCHEDULE_NAME);
        return "cancelled the resume scheduled for " + atOf(existing).map(Instant::toString)
                .orElse(existing.path("ScheduleExpression").asText("an unknown time"));
    }

    /** The snapshot a schedule's resume request names, or null when it cannot be read. */
    private static String snapshotOf(JsonNode schedule) {
        try {
            JsonNode input = Json.mapper().readTree(schedule.path("Target").path("Input").asText(""));
            return input == null || !input.path("snapshotId").isTextual() ? null : input.path("snapshotId").asText();
        } catch (java.io.IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private Outcome schedule(Plan plan, Instant resumeAt, String stateMachineArn, String before) {
        if (stateMachineArn == null || !STATE_MACHINE.matcher(stateMachineArn).matches()) {
            throw new IllegalArgumentException("the summary was given no state machine ARN to start (stateMachineArn "
                    + Shown.quote(String.valueOf(stateMachineArn)) + ")");
        }
        Instant earliest = clock.instant().plus(LEAD).truncatedTo(ChronoUnit.SECONDS);
        Instant at = resumeAt.isBefore(earliest) ? earliest : resumeAt.truncatedTo(ChronoUnit.SECONDS);
        String trigger = TRIGGER_PREFIX + plan.request().trigger();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("action", Action.RESUME.id());
        input.put("snapshotId", plan.snapshotId());
        input.put("trigger", trigger.length() <= 128 ? trigger : trigger.substring(0, 128));
        String inputJson = Json.write(input);
        Request.fromJson(inputJson).validated(); // the scheduled resume is a request like any other: checked now
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("GroupName", group);
        body.put("ScheduleExpression", "at(" + AT_TIME.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC)) + ")");
        body.put("ScheduleExpressionTimezone", "UTC");
        body.putObject("FlexibleTimeWindow").put("Mode", "OFF");
        body.put("ActionAfterCompletion", "DELETE");
        body.put("State", "ENABLED");
        body.put("Description", "aws-hit-breaks: resume snapshot " + plan.snapshotId() + " at the start of the budget's next period");
        ObjectNode target = body.putObject("Target");
        target.put("Arn", stateMachineArn);
        target.put("RoleArn", roleArn);
        target.put("Input", inputJson);
        try {
            scheduler.createSchedule(SCHEDULE_NAME, body);
        } catch (dev.awshitbreaks.aws.JsonApi.Failure f) {
            if (!SchedulerApi.isConflict(f)) {
                throw f;
            }
            // created meanwhile (a retried summary of this same operation): replaced by this one
            scheduler.deleteSchedule(group, SCHEDULE_NAME);
            scheduler.createSchedule(SCHEDULE_NAME, body);
        }
        // the outcome is the schedule as read back, never the request's acknowledgement
        JsonNode read = scheduler.getSchedule(group, SCHEDULE_NAME)
                .orElseThrow(() -> new IllegalStateException("GetSchedule finds no schedule " + group + "/" + SCHEDULE_NAME
                        + " after CreateSchedule"));
        Instant readAt = atOf(read).orElseThrow(() -> new IllegalStateException("schedule " + group + "/" + SCHEDULE_NAME
                + " reads back with the expression " + Shown.quote(read.path("ScheduleExpression").asText("")) + ", not at(...)"));
        if (!read.path("Target").path("Arn").asText("").equals(stateMachineArn)
                || !read.path("Target").path("Input").asText("").equals(inputJson)) {
            throw new IllegalStateException("schedule " + group + "/" + SCHEDULE_NAME + " reads back with another target or input");
        }
        String moved = readAt.equals(resumeAt) ? "" : " (the period began at " + resumeAt + ", before the pause ended)";
        return new Outcome(Outcome.SCHEDULED, readAt, "the start of the budget's next period" + moved
                + ", by EventBridge Scheduler schedule " + group + "/" + SCHEDULE_NAME
                + "; a manual resume or a new pause cancels it" + (before == null ? "" : "; " + before));
    }

    /** A schedule's one-time {@code at(...)} expression, in UTC (the only zone this schedule is given). */
    static Optional<Instant> atOf(JsonNode schedule) {
        Matcher m = AT.matcher(schedule.path("ScheduleExpression").asText(""));
        String zone = schedule.path("ScheduleExpressionTimezone").asText("UTC");
        if (!m.matches() || !"UTC".equals(zone)) {
            return Optional.empty();
        }
        return Optional.of(LocalDateTime.parse(m.group(1), AT_TIME).toInstant(ZoneOffset.UTC));
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    private static String describe(RuntimeException e) {
        return Shown.plain(String.valueOf(e.getMessage()));
    }
}
