package dev.awshitbreaks.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.SummaryStep.TargetRef;
import dev.awshitbreaks.engine.Plan;
import dev.awshitbreaks.notify.SummaryNotifier;
import dev.awshitbreaks.schedule.ResumeSchedule;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * State machine step 3: the plan and every target's result (a {@code TargetSummary}, or the target and
 * the error the Map's Catch recorded), in {@code firstResults} and {@code secondResults} (the two phases),
 * in; the operation's {@link Summary} out.
 */
public final class SummarizeHandler extends JsonHandler {
    private final Supplier<BrakeEngine> engine;
    private final Supplier<Optional<SummaryNotifier>> notifier;
    private final Supplier<Optional<ResumeSchedule>> resumeSchedule;

    public SummarizeHandler() {
        this(FunctionEnvironment::engine, FunctionEnvironment::notifier, FunctionEnvironment::resumeSchedule);
        FunctionEnvironment.buildInBackground(() -> { }); // the clients are built while the input is read
    }

    public SummarizeHandler(BrakeEngine engine) {
        this(() -> engine, Optional::empty, Optional::empty);
    }

    /** For tests: the engine and the notifier that publishes the summary. */
    public SummarizeHandler(BrakeEngine engine, SummaryNotifier notifier) {
        this(() -> engine, () -> Optional.of(notifier), Optional::empty);
    }

    /**
     * For tests: as the stack with {@code ResumeAtNextBudgetPeriod} Enabled, the scheduled resume too ({@code notifier}
     * may be null: none).
     */
    public SummarizeHandler(BrakeEngine engine, SummaryNotifier notifier, ResumeSchedule resumeSchedule) {
        this(() -> engine, () -> Optional.ofNullable(notifier), () -> Optional.of(resumeSchedule));
    }

    private SummarizeHandler(Supplier<BrakeEngine> engine, Supplier<Optional<SummaryNotifier>> notifier,
            Supplier<Optional<ResumeSchedule>> resumeSchedule) {
        this.engine = engine;
        this.notifier = notifier;
        this.resumeSchedule = resumeSchedule;
    }

    @Override
    protected Object handle(String input, FunctionLog log) throws IOException {
        JsonNode in = HandlerInput.tree(input);
        Plan plan = HandlerInput.plan(in);
        List<TargetRef> refs = new ArrayList<>();
        for (String phase : List.of("firstResults", "secondResults", "targetResults")) {
            JsonNode results = in.path(phase);
            if (!results.isMissingNode() && !results.isNull() && !results.isArray()) {
                throw new dev.awshitbreaks.core.InvalidRequestException("field '" + phase + "' must be a list of target results");
            }
            for (JsonNode t : results) {
                if (!t.isObject()) {
                    throw new dev.awshitbreaks.core.InvalidRequestException("an entry of field '" + phase + "' is not a JSON object");
                }
                refs.add(targetRef(t));
            }
        }
        JsonNode machine = in.get("stateMachineArn");
        if (machine != null && !machine.isNull() && !machine.isTextual()) {
            throw new dev.awshitbreaks.core.InvalidRequestException("field 'stateMachineArn' has the wrong type: expected a string");
        }
        // before the summary releases the account lock: the schedule is cancelled, or set anew, by the operation that
        // holds it (ResumeAtNextBudgetPeriod; nothing, and no call, when the stack schedules no resumes)
        ResumeSchedule.Outcome scheduled = resumeSchedule.get()
                .flatMap(s -> s.apply(plan, machine == null || machine.isNull() ? null : machine.asText())).orElse(null);
        if (scheduled != null && scheduled.failed()) {
            log.error("aws-hit-breaks: " + scheduled.line());
        }
        OperationReport report = engine.get().summarizeStored(plan, refs);
        String notification = notifier.get().map(n -> n.publish(report, scheduled == null ? null : scheduled.line()))
                .orElse("not configured");
        if (notification.startsWith("failed")) {
            log.error("aws-hit-breaks: the summary notification was not sent: " + notification);
        }
        return Summary.of(report, notification, scheduled);
    }

    /** A target result is either a TargetSummary or, when the target failed as a whole, {target, error}. */
    static TargetRef targetRef(JsonNode t) {
        if (!t.isObject()) {
            throw new dev.awshitbreaks.core.InvalidRequestException("a target result is not a JSON object");
        }
        dev.awshitbreaks.core.Target target = HandlerInput.target(t.has("target") ? t.get("target") : t, "target");
        String region = target.region();
        ServiceKind service = target.service();
        if (t.hasNonNull("error")) {
            JsonNode e = t.path("error");
            if (!e.isObject()) {
                throw new dev.awshitbreaks.core.InvalidRequestException("field 'error' of a target result is not a JSON object");
            }
            for (String field : List.of("Error", "Cause")) {
                if (e.hasNonNull(field) && !e.get(field).isTextual()) {
                    throw new dev.awshitbreaks.core.InvalidRequestException("field 'error." + field
                            + "' of a target result has the wrong type: expected a string");
                }
            }
            String error = e.path("Error").asText("States.TaskFailed");
            String cause = e.path("Cause").asText("");
            return new TargetRef(region, service, error + (cause.isEmpty() ? "" : ": " + causeMessage(cause)));
        }
        return new TargetRef(region, service, null);
    }

    /** A Lambda error's Cause is a JSON document with errorMessage; show the message, not the document. */
    private static String causeMessage(String cause) {
        try {
            JsonNode c = Json.mapper().readTree(cause);
            if (c.hasNonNull("errorMessage")) {
                return c.path("errorMessage").asText();
            }
        } catch (IOException e) {
            // not JSON: the cause is plain text
        }
        return cause;
    }

    /**
     * The state machine's output: counts, every failure, and where the full report is; {@code scheduledResume} when
     * the stack schedules resumes and the operation was a real pause or resume (absent otherwise).
     */
    public record Summary(String operationId, String snapshotId, Action action, boolean dryRun, String status,
            Map<String, Integer> counts, List<ResourceResult> failures, List<OperationReport.FailedTarget> failedTargets,
            String reportKey, String snapshotKey, String notification,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            ResumeSchedule.Outcome scheduledResume) {
        static Summary of(OperationReport r, String notification, ResumeSchedule.Outcome scheduledResume) {
            return new Summary(r.operationId(), r.snapshotId(), r.action(), r.dryRun(), r.status(), r.counts(),
                    r.resources().stream().filter(x -> x.outcome() == dev.awshitbreaks.core.Outcome.FAILED).toList(),
                    r.failedTargets(), SnapshotStore.reportKey(r.operationId(), "json"),
                    r.snapshotId() == null || r.dryRun() ? null : SnapshotStore.snapshotKey(r.snapshotId()), notification,
                    scheduledResume);
        }
    }
}
