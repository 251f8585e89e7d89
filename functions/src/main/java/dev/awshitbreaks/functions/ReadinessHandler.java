package dev.awshitbreaks.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.Plan;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The resume's wait loop between its phases: are the databases it started available yet? The plan's
 * fields and {@code checks} (how many times asked so far) in; {@link Readiness} out.
 */
public final class ReadinessHandler extends JsonHandler {
    private final Supplier<BrakeEngine> engine;

    public ReadinessHandler() {
        this(FunctionEnvironment::engine);
    }

    public ReadinessHandler(BrakeEngine engine) {
        this(() -> engine);
    }

    private ReadinessHandler(Supplier<BrakeEngine> engine) {
        this.engine = engine;
    }

    @Override
    protected Object handle(String input) throws IOException {
        JsonNode in = Json.mapper().readTree(input);
        Plan plan = new Plan(in.path("operationId").asText(), in.path("snapshotId").asText(null),
                Action.fromId(in.path("action").asText()), in.path("dryRun").asBoolean(false),
                Json.mapper().treeToValue(in.path("request"), Request.class),
                Instant.parse(in.path("startedAt").asText()), List.of());
        List<String> pending = engine.get().databasesNotReady(plan);
        return new Readiness(pending.isEmpty(), pending, in.path("checks").asInt(0) + 1);
    }

    /** Whether compute may be resumed, the databases still starting, and the checks made so far. */
    public record Readiness(boolean ready, List<String> pending, int checks) {
    }
}
