package dev.awshitbreaks.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.trigger.TriggerPolicy.Decision;
import dev.awshitbreaks.trigger.TriggerPolicy.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * Handles one SNS-to-Lambda event: every record is read, decided by the {@link TriggerPolicy} and, when it
 * says so, the brake state machine is started under the alarm's idempotent execution name.
 *
 * <p>A bad message (unreadable, from another topic, not configured to trigger) never throws: it is logged
 * with its reason and starts nothing, because throwing would only make Lambda retry a message that can
 * never succeed. An execution that already exists under the name is logged as "already started" and
 * starts nothing. A Step Functions failure (after the SDK's retries) does throw: Lambda then retries the
 * asynchronous invocation, which is safe because the name is idempotent, and a lost pause is the
 * expensive failure.
 */
public final class TriggerStarter {
    private final SfnClient sfn;
    private final TriggerPolicy policy;
    private final Consumer<String> log;

    /** @param log one line per record; the Lambda handler passes stderr (CloudWatch Logs) */
    public TriggerStarter(SfnClient sfn, TriggerConfig config, Consumer<String> log) {
        this.sfn = Objects.requireNonNull(sfn, "sfn");
        this.policy = new TriggerPolicy(config);
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

    private Outcome start(SnsNotification n, Decision d) {
        String arn = policy.config().executionArn(d.executionName());
        if (exists(arn)) {
            return new Outcome(n.messageId(), Result.ALREADY_STARTED, d.reason() + ": already started", d.trigger(),
                    d.executionName(), arn);
        }
        try {
            StartExecutionResponse r = sfn.startExecution(b -> b.stateMachineArn(policy.config().stateMachineArn())
                    .name(d.executionName()).input(d.input()));
            return new Outcome(n.messageId(), Result.STARTED, d.reason(), d.trigger(), d.executionName(), r.executionArn());
        } catch (ExecutionAlreadyExistsException e) {
            // another delivery of the same alarm won the race, or it ran with other settings: no second pause
            return new Outcome(n.messageId(), Result.ALREADY_STARTED, d.reason() + ": already started", d.trigger(),
                    d.executionName(), arn);
        } catch (RuntimeException e) {
            log.accept("hit-breaks trigger: FAILED message " + n.messageId() + ": could not start " + d.executionName()
                    + " (" + e.getClass().getSimpleName() + "); the invocation fails so Lambda retries it");
            throw e;
        }
    }

    private boolean exists(String executionArn) {
        try {
            sfn.describeExecution(b -> b.executionArn(executionArn));
            return true;
        } catch (ExecutionDoesNotExistException e) {
            return false;
        }
    }

    private Outcome report(Outcome o) {
        StringBuilder line = new StringBuilder("hit-breaks trigger: ").append(o.result());
        line.append(" message ").append(o.messageId() == null ? "(none)" : o.messageId()).append(": ").append(o.reason());
        if (o.executionName() != null) {
            line.append(" [execution ").append(o.executionName()).append(']');
        }
        log.accept(line.toString());
        return o;
    }
}
