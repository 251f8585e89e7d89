package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Shown;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.BrakeError;
import dev.awshitbreaks.core.BrakeException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Runs an operation on the deployed stack: starts its state machine with the request document
 * ({@code states:StartExecution}), follows the execution ({@code states:DescribeExecution}, polled with
 * backoff; progress from {@code states:GetExecutionHistory} on stderr) until it ends or {@code timeout}
 * passes, and turns its output into the operation's report (read from the stack's bucket, the same report
 * the local mode prints).
 */
final class RemoteBrake {
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    static final Duration MAX_POLL = Duration.ofSeconds(10);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final SfnClient sfn;
    private final SnapshotStore store;
    private final StackInfo stack;
    private final Terminal terminal;
    private final Duration timeout;
    private final Duration firstPoll;

    RemoteBrake(SfnClient sfn, SnapshotStore store, StackInfo stack, Terminal terminal, Duration timeout, Duration firstPoll) {
        this.sfn = sfn;
        this.store = store;
        this.stack = stack;
        this.terminal = terminal;
        this.timeout = timeout;
        this.firstPoll = firstPoll;
    }

    /** The execution's name: the action and the time, with random hex so two launchers never collide. */
    static String executionName(Request request) {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return "launcher-" + request.action().id() + (Boolean.TRUE.equals(request.dryRun()) ? "-dryrun" : "") + "-"
                + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + "-" + HexFormat.of().formatHex(random);
    }

    OperationReport run(Request request, Bar bar) {
        String input = Json.write(request);
        String arn = sfn.startExecution(b -> b.stateMachineArn(stack.stateMachineArn()).name(executionName(request)).input(input))
                .executionArn();
        terminal.err().println("Started " + (Boolean.TRUE.equals(request.dryRun()) ? "a dry run of " : "") + request.action().id()
                + " on stack " + stack.name() + " (" + stack.region() + "): execution " + arn);
        DescribeExecutionResponse d = follow(arn, bar);
        return switch (d.status()) {
            case SUCCEEDED -> report(d, request);
            case FAILED -> throw failed(d, arn);
            case TIMED_OUT -> throw new ExecutionFailedException("the execution timed out (the state machine's own time limit)"
                    + cause(d) + ": " + arn + ". What it did is in the stack's snapshots: run --status.");
            case ABORTED -> throw new ExecutionFailedException("the execution was stopped (aborted)" + cause(d) + ": " + arn
                    + ". What it did is in the stack's snapshots: run --status.");
            default -> throw new ExecutionFailedException("the execution ended with status " + d.statusAsString() + ": " + arn);
        };
    }

    private DescribeExecutionResponse follow(String arn, Bar bar) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Duration delay = firstPoll;
        String lastLine = "";
        while (true) {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
            if (d.status() != ExecutionStatus.RUNNING && d.status() != ExecutionStatus.PENDING_REDRIVE) {
                terminal.err().println("Execution " + d.statusAsString() + " after " + seconds(started) + "s.");
                return d;
            }
            String line = progress(arn, bar);
            if (!line.equals(lastLine)) {
                terminal.err().println("  " + line + " (" + seconds(started) + "s)");
                lastLine = line;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new StillRunningException("the execution is still running after " + timeout.toSeconds()
                        + "s (--timeout); it goes on and was not stopped: " + arn + ". Follow it with 'aws stepfunctions"
                        + " describe-execution --execution-arn " + arn + "', or see the result later with --status.");
            }
            sleep(Math.min(delay.toNanos(), left));
            delay = Duration.ofNanos(Math.min((long) (delay.toNanos() * 1.5), MAX_POLL.toNanos()));
        }
    }

    /** Where the execution is: targets finished of those started by the Map states, and the state it is in. */
    private String progress(String arn, Bar bar) {
        int total = 0;
        int done = 0;
        String state = null;
        try {
            for (HistoryEvent e : sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn).maxResults(1000)).events()) {
                switch (e.typeAsString()) {
                    case "MapStateStarted" -> total += e.mapStateStartedEventDetails() == null ? 0
                            : e.mapStateStartedEventDetails().length();
                    case "MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted" -> done++;
                    default -> {
                    }
                }
                if (e.stateEnteredEventDetails() != null) {
                    state = e.stateEnteredEventDetails().name();
                }
            }
        } catch (SdkException e) {
            return "running (its history is not readable: " + e.getClass().getSimpleName() + ")";
        }
        String where = state == null ? "starting" : "in state " + state;
        return total == 0 ? "running, " + where : bar.render(done, total) + " targets done, " + where;
    }

    private OperationReport report(DescribeExecutionResponse d, Request request) {
        JsonNode out;
        try {
            out = Json.mapper().readTree(d.output() == null ? "{}" : d.output());
        } catch (JsonProcessingException e) {
            throw new ExecutionFailedException("the execution succeeded but its output is not JSON: " + d.executionArn());
        }
        String operationId = out.path("operationId").asText(null);
        if (operationId == null) {
            throw new ExecutionFailedException("the execution succeeded but its output names no operationId: " + d.executionArn());
        }
        String key;
        try {
            key = SnapshotStore.reportKey(operationId, "json");
        } catch (IllegalArgumentException e) {
            throw new ExecutionFailedException("the execution's output names an invalid operationId " + Shown.quote(operationId));
        }
        try {
            var doc = store.getDocument(key);
            if (doc.isPresent()) {
                return Json.mapper().readValue(doc.get(), OperationReport.class);
            }
            terminal.err().println("The report s3://" + store.bucket() + "/" + key + " is missing; the summary follows.");
        } catch (SdkException | JsonProcessingException e) {
            terminal.err().println("The report s3://" + store.bucket() + "/" + key + " could not be read ("
                    + AwsErrors.firstLine(String.valueOf(e.getMessage())) + "); the summary follows.");
        }
        return fromSummary(out, request);
    }

    /** The execution's own summary when the full report cannot be read: counts and failures, no resource list. */
    private static OperationReport fromSummary(JsonNode out, Request request) {
        Map<String, Integer> counts = new TreeMap<>();
        out.path("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        List<OperationReport.FailedTarget> failed = new ArrayList<>();
        for (JsonNode t : out.path("failedTargets")) {
            failed.add(new OperationReport.FailedTarget(t.path("region").asText(), t.path("service").asText(), t.path("error").asText()));
        }
        Action action = out.hasNonNull("action") ? Action.fromId(out.path("action").asText()) : request.action();
        return new OperationReport(out.path("operationId").asText(), out.path("snapshotId").asText(null), action,
                out.path("dryRun").asBoolean(Boolean.TRUE.equals(request.dryRun())), out.path("status").asText(null),
                request.trigger(), null, null, request.regions(), counts, List.of(), failed);
    }

    /** A failed execution: the plan's named errors map to the exceptions local mode throws, so exit codes agree. */
    private static RuntimeException failed(DescribeExecutionResponse d, String arn) {
        String error = d.error() == null ? "" : d.error();
        String cause = d.cause() == null ? "" : Shown.plain(d.cause(), 400);
        return BrakeError.fromExecutionError(error)
                .<RuntimeException>map(named -> named.toException(named == BrakeError.INVALID_REQUEST
                        ? cause + " (refused by the stack's plan step; nothing was touched)" : cause))
                .orElseGet(() -> new ExecutionFailedException("the execution failed" + cause(d) + ": " + arn
                        + ". What it did is in the stack's snapshots: run --status."));
    }

    private static String cause(DescribeExecutionResponse d) {
        StringBuilder sb = new StringBuilder();
        if (d.error() != null && !d.error().isBlank()) {
            sb.append(" with ").append(Shown.plain(d.error()));
        }
        if (d.cause() != null && !d.cause().isBlank()) {
            sb.append(": ").append(Shown.plain(AwsErrors.firstLine(d.cause()), 400));
        }
        return sb.toString();
    }

    private static long seconds(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrakeException("interrupted while following the execution");
        }
    }

    /** The execution failed, timed out or was stopped. */
    static final class ExecutionFailedException extends BrakeException {
        ExecutionFailedException(String message) {
            super(message);
        }
    }

    /** Following gave up (--timeout); the execution goes on. */
    static final class StillRunningException extends BrakeException {
        StillRunningException(String message) {
            super(message);
        }
    }
}
