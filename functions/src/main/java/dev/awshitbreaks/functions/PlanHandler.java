package dev.awshitbreaks.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.PlanStep;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * State machine step 1: the request in, the {@link dev.awshitbreaks.engine.Plan} out.
 *
 * <p>The definition passes {@code {"request": <the execution input>, "executionId": $$.Execution.Id,
 * "executionStartTime": $$.Execution.StartTime}}, so the operation id and the lock belong to the execution and a
 * retried Plan (Lambda failed after the lock was taken) re-enters instead of meeting its own lock. A bare request
 * document is accepted too (a plan with a fresh operation id, owned by this process).
 */
public final class PlanHandler extends JsonHandler {
    private final Supplier<BrakeEngine> engine;

    public PlanHandler() {
        this(FunctionEnvironment::engine);
        FunctionEnvironment.buildInBackground(() -> { }); // the clients are built while the input is read
    }

    public PlanHandler(BrakeEngine engine) {
        this(() -> engine);
    }

    private PlanHandler(Supplier<BrakeEngine> engine) {
        this.engine = engine;
    }

    @Override
    protected Object handle(String input, FunctionLog log) {
        JsonNode doc = null;
        try {
            doc = input == null || input.isBlank() ? null : Json.mapper().readTree(input);
        } catch (IOException notJson) {
            // Request.fromJson names the problem
        }
        if (doc != null && doc.isObject() && doc.has("request")) {
            Request request = Request.fromJson(doc.get("request").toString());
            JsonNode id = doc.get("executionId");
            if (id == null || id.isNull()) {
                return engine.get().plan(request);
            }
            for (String field : new String[] {"executionId", "executionStartTime"}) {
                if (doc.hasNonNull(field) && !doc.get(field).isTextual()) {
                    throw new InvalidRequestException("field '" + field + "' has the wrong type: expected a string");
                }
            }
            return engine.get().plan(request, new PlanStep.Execution(id.asText(), startTime(doc.get("executionStartTime"))));
        }
        return engine.get().plan(Request.fromJson(input));
    }

    private static Instant startTime(JsonNode node) {
        try {
            return Instant.parse(node == null ? "" : node.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("invalid executionStartTime '" + (node == null ? "" : node.asText())
                    + "': expected an ISO-8601 instant");
        }
    }
}
