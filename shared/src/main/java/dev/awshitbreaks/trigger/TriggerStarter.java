package dev.awshitbreaks.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.EngineLog;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.trigger.TriggerPolicy.Decision;
import dev.awshitbreaks.trigger.TriggerPolicy.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * Handles one SNS-to-Lambda event: every record is read, decided by the {@link TriggerPolicy} and, when it
 * says so, the brake state machine is started under the alarm's idempotent execution name.
 *
 * <p>A bad message (unreadable, from another topic, not configured to trigger) never throws: it is logged
 * with its reason and starts nothing, because throwing would only make Lambda retry a message that can
 * never succeed. An execution that already exists under the name is logged as "already started" and
 * starts nothing, unless it ended without pausing (refused because a resume held the lock, or failed): then the
 * alarm starts again under its next name ({@link ExecutionNames#attempt}). A Step Functions failure (after the SDK's retries) does throw: Lambda then retries the
 * asynchronous invocation, which is safe because the name is idempotent, and a lost pause is the
 * expensive failure.
 */
public final class TriggerStarter {
    private final SfnClient sfn;
    private final TriggerPolicy policy;
    private final EngineLog log;

    /** @param log one line per record; the Lambda handler binds it to Lambda's logger (CloudWatch Logs) */
    public TriggerStarter(SfnClient sfn, TriggerConfig config, EngineLog log) {
        this(sfn, config, BudgetPeriod.Finder.NONE, log);
    }

    /** @param budgetPeriods finds a budget's period, so its alerts are de-duplicated per budget period */
    public TriggerStarter(SfnClient sfn, TriggerConfig config, BudgetPeriod.Finder budgetPeriods, EngineLog log) {
        this.sfn = Objects.requireNonNull(sfn, "sfn");
        this.policy = new TriggerPolicy(config, budgetPeriods);
        this.log = Objects.requireNonNull(log, "log");
    }

    /** What happened to one record. {@code executionName}/{@code executionArn} are set when a start was attempted. */
    public record Outcome(String messageId, Result result, String reason, String trigger, String executionName,
            String executionArn) {
    }

    public enum Result { STARTED, ALREADY_STARTED, IGNORED, REFUSED, UNREADABLE }

    /** Handles an SNS event document ({@code {"Records": [...]}}); one outcome per record. */
    public List<Outcome> handle(String event) {
        JsonNode records;
        try {
            JsonNode root = event == null || event.isBlank() ? null : Json.mapper().readTree(event);
            records = root == null ? null : root.get("Records");
        } catch (JsonProcessingException e) {
            return List.of(report(new Outcome(null, Result.UNREADABLE, "the event is not valid JSON", null, null, null)));
        }
        if (records == null || !records.isArray() || records.isEmpty()) {
            return List.of(report(new Outcome(null, Result.UNREADABLE, "the event has no Records: not an SNS event", null, null, null)));
        }
        List<Outcome> out = new ArrayList<>();
        for (JsonNode record : records) {
            out.add(report(handle(record)));
        }
        return out;
    }

    private Outcome handle(JsonNode record) {
        SnsNotification n;
        try {
            n = SnsNotification.fromRecord(record);
        } catch (UnreadableMessageException e) {
            return new Outcome(null, Result.UNREADABLE, e.getMessage(), null, null, null);
        }
        Decision d = policy.decide(n);
        return switch (d.verdict()) {
            case START -> start(n, d);
            case IGNORED -> new Outcome(n.messageId(), Result.IGNORED, d.reason(), d.trigger(), null, null);
            case REFUSED -> new Outcome(n.messageId(), Result.REFUSED, d.reason(), d.trigger(), null, null);
            case UNREADABLE -> new Outcome(n.messageId(), Result.UNREADABLE, d.reason(), d.trigger(), null, null);
        };
    }

    /** How many executions one alarm may start, each after the one before ended without pausing anything lasting. */
    public static final int MAX_STARTS = 10;

    /**
     * Starts the alarm's pause under the first of its names ({@link ExecutionNames#attempt}) that is not taken by an
     * execution that ended {@link #endedWithoutEffect without effect}: a pause refused because a resume held the
     * lock ({@code HitBreaks.OperationInProgress}) or one that failed, so the redelivered or repeated alarm pauses
     * after all. A running, succeeded or aborted (stopped by a person) execution under a name means the alarm has
     * started its pause: nothing new.
     */
    private Outcome start(SnsNotification n, Decision d) {
        String before = null;
        for (int attempt = 0; attempt < MAX_STARTS; attempt++) {
            String name = ExecutionNames.attempt(d.executionName(), attempt);
            String arn = policy.config().executionArn(name);
            Optional<DescribeExecutionResponse> existing = describe(arn);
            if (existing.isPresent() && endedWithoutEffect(existing.get())) {
                before = name + " ended " + existing.get().statusAsString()
                        + (existing.get().error() == null ? "" : " (" + existing.get().error() + ")");
                continue;
            }
            String reason = before == null ? d.reason() : d.reason() + "; started again: " + before;
            if (existing.isPresent()) {
                return new Outcome(n.messageId(), Result.ALREADY_STARTED, reason + ": already started", d.trigger(), name, arn);
            }
            try {
                StartExecutionResponse r = sfn.startExecution(b -> b.stateMachineArn(policy.config().stateMachineArn())
                        .name(name).input(d.input()));
                return new Outcome(n.messageId(), Result.STARTED, reason, d.trigger(), name, r.executionArn());
            } catch (ExecutionAlreadyExistsException e) {
                // another delivery of the same alarm won the race, or it ran with other settings: no second pause
                return new Outcome(n.messageId(), Result.ALREADY_STARTED, reason + ": already started", d.trigger(), name, arn);
            } catch (RuntimeException e) {
                log.error("hit-breaks trigger: FAILED message " + n.messageId() + ": could not start " + name
                        + " (" + e.getClass().getSimpleName() + "); the invocation fails so Lambda retries it");
                throw e;
            }
        }
        return new Outcome(n.messageId(), Result.REFUSED, d.reason() + ": its last " + MAX_STARTS
                + " executions all ended without pausing (the last: " + before + "); start a pause by hand", d.trigger(),
                ExecutionNames.attempt(d.executionName(), MAX_STARTS - 1), null);
    }

    /** Plan errors after which starting again cannot help: the request or the stored snapshot needs a person. */
    private static final Set<String> NEEDS_A_PERSON = Set.of(
            dev.awshitbreaks.core.BrakeError.INVALID_REQUEST.executionError(),
            dev.awshitbreaks.core.BrakeError.CORRUPT_SNAPSHOT.executionError());

    /**
     * Whether an execution of the alarm ended so that the alarm may start another: FAILED or TIMED_OUT, except for
     * errors that would only repeat ({@link #NEEDS_A_PERSON}). A pause is safe to run again: it joins the active
     * snapshot and keeps every original state recorded first (docs/reliability.md).
     */
    static boolean endedWithoutEffect(DescribeExecutionResponse e) {
        return (e.status() == ExecutionStatus.FAILED || e.status() == ExecutionStatus.TIMED_OUT)
                && !NEEDS_A_PERSON.contains(e.error());
    }

    private Optional<DescribeExecutionResponse> describe(String executionArn) {
        try {
            return Optional.of(sfn.describeExecution(b -> b.executionArn(executionArn)));
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        }
    }

    private Outcome report(Outcome o) {
        StringBuilder line = new StringBuilder("hit-breaks trigger: ").append(o.result());
        line.append(" message ").append(o.messageId() == null ? "(none)" : o.messageId()).append(": ").append(o.reason());
        if (o.executionName() != null) {
            line.append(" [execution ").append(o.executionName()).append(']');
        }
        log.log(o.result() == Result.REFUSED || o.result() == Result.UNREADABLE ? EngineLog.Level.WARN
                : EngineLog.Level.INFO, line.toString());
        return o;
    }
}
