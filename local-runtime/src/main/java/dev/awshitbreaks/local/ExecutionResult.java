package dev.awshitbreaks.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * How one local execution ended: its output (JSON) when it succeeded, else the error name and cause, as
 * Step Functions reports them; and the history of state events, in order.
 */
public record ExecutionResult(boolean succeeded, String outputJson, String error, String cause, List<Event> history) {
    public ExecutionResult {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** The output, parsed. */
    public JsonNode output() {
        if (!succeeded) {
            throw new IllegalStateException("the execution failed (" + error + ": " + cause + "); it has no output");
        }
        try {
            return Json.mapper().readTree(outputJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many events of this type the state had (e.g. "StateRetried", "StateCaught"). */
    public long count(String type, String state) {
        return history.stream().filter(e -> type.equals(e.type()) && state.equals(e.state())).count();
    }

    /**
     * The execution's state transitions as Step Functions counts (and bills) them: one each time a state is
     * entered, inside Map iterations too, plus one for each retry of a state.
     */
    public long stateTransitions() {
        return history.stream().filter(e -> "StateEntered".equals(e.type()) || "StateRetried".equals(e.type())).count();
    }

    /**
     * One history event: its type (StateEntered, StateExited, StateFailed, StateRetried, StateCaught,
     * MapIterationStarted, ...), the state, the Map iteration index, and the error of a failure.
     */
    public record Event(String type, String state, String parentState, Integer index, String error, String cause, Integer attempt) {
        /** One line: type, state, [iteration], retry attempt, error and cause. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(type);
            if (state != null) {
                sb.append(' ').append(state);
            }
            if (parentState != null) {
                sb.append(' ').append(parentState);
            }
            if (index != null) {
                sb.append(" [").append(index).append(']');
            }
            if (attempt != null) {
                sb.append(" attempt ").append(attempt);
            }
            if (error != null) {
                sb.append(": ").append(error);
                if (cause != null && !cause.isEmpty()) {
                    sb.append(": ").append(cause.length() > 300 ? cause.substring(0, 300) + "..." : cause);
                }
            }
            return sb.toString();
        }
    }

    @Override
    public String toString() {
        return succeeded ? "SUCCEEDED " + outputJson : "FAILED " + error + ": " + cause;
    }
}
