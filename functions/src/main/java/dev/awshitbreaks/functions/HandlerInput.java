package dev.awshitbreaks.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.engine.Plan;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Reads the state machine's documents that the target, readiness and summary steps receive: everything is
 * checked before the first AWS call (ids by shape, the request as {@link Request#validated()}, regions known),
 * and any problem is an {@link InvalidRequestException} naming it, which the state machine catches by name.
 */
final class HandlerInput {
    private HandlerInput() {
    }

    /** The input as a JSON object. */
    static JsonNode tree(String input) {
        if (input == null || input.isBlank()) {
            throw new InvalidRequestException("the input is empty: expected a JSON object");
        }
        JsonNode in;
        try {
            in = Json.mapper().readTree(input);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("the input is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (in == null || !in.isObject()) {
            throw new InvalidRequestException("the input is not a JSON object");
        }
        return in;
    }

    /** The plan's fields of a step's input (operationId, snapshotId, action, dryRun, request, startedAt). */
    static Plan plan(JsonNode in) {
        String operationId = text(in, "operationId", true);
        String snapshotId = text(in, "snapshotId", false);
        Action action = Action.fromId(text(in, "action", true));
        JsonNode dry = in.get("dryRun");
        if (dry != null && !dry.isNull() && !dry.isBoolean()) {
            throw new InvalidRequestException("field 'dryRun' has the wrong type: expected true or false");
        }
        JsonNode req = in.get("request");
        if (req == null || !req.isObject()) {
            throw new InvalidRequestException("field 'request' is missing or not an object");
        }
        Request request = Request.fromJson(req.toString()).validated();
        if (request.action() != action) {
            throw new InvalidRequestException("the plan's action " + action.id() + " differs from its request's "
                    + request.action().id());
        }
        Instant startedAt;
        try {
            startedAt = Instant.parse(text(in, "startedAt", true));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("field 'startedAt' " + Shown.quote(in.get("startedAt").asText())
                    + " is not a timestamp such as 2026-11-25T18:19:21Z");
        }
        return new Plan(operationId, snapshotId, action, dry != null && dry.asBoolean(), request, startedAt, List.of());
    }

    /** A {@code {region, service}} target, the region one the SDK knows. */
    static Target target(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("field '" + field + "' is missing or not an object");
        }
        String region = text(node, "region", true);
        if (!Request.isKnownRegion(region)) {
            throw new InvalidRequestException("unknown region " + Shown.quote(region) + " in field '" + field + "'");
        }
        return new Target(region, ServiceKind.fromId(text(node, "service", true)));
    }

    /** Reads a document into a type, mapping every Jackson failure to an {@link InvalidRequestException}. */
    static <T> T read(String input, Class<T> type) {
        tree(input);
        try {
            return Json.mapper().readValue(input, type);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidRequestException("unknown field " + Shown.quote(e.getPropertyName()) + " in the input");
        } catch (JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidRequestException ire) {
                    throw ire;
                }
            }
            if (e instanceof MismatchedInputException m) {
                throw new InvalidRequestException(Json.wrongType(m));
            }
            throw new InvalidRequestException("field '(root)' has the wrong type or an invalid value");
        }
    }

    private static String text(JsonNode in, String field, boolean required) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidRequestException("field '" + field + "' is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequestException("field '" + field + "' has the wrong type: expected a string");
        }
        return v.asText();
    }
}
