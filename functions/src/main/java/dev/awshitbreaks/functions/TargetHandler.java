package dev.awshitbreaks.functions;

import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.Plan;
import dev.awshitbreaks.engine.TargetSummary;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * State machine step 2, once per (region, service): a {@link TargetTask} in, a {@link TargetSummary} out
 * (the full results go to S3).
 */
public final class TargetHandler extends JsonHandler {
    private final Supplier<BrakeEngine> engine;

    public TargetHandler() {
        this(FunctionEnvironment::engine);
    }

    public TargetHandler(BrakeEngine engine) {
        this(() -> engine);
    }

    private TargetHandler(Supplier<BrakeEngine> engine) {
        this.engine = engine;
    }

    @Override
    protected Object handle(String input) throws IOException {
        TargetTask task = Json.mapper().readValue(input, TargetTask.class);
        return TargetSummary.of(engine.get().runTarget(task.plan(), task.target()));
    }

    /** The plan's fields (without its list of targets) and the one target of this Map iteration. */
    public record TargetTask(String operationId, String snapshotId, dev.awshitbreaks.core.Action action, boolean dryRun,
            dev.awshitbreaks.core.Request request, java.time.Instant startedAt, Target target) {
        Plan plan() {
            return new Plan(operationId, snapshotId, action, dryRun, request, startedAt, java.util.List.of());
        }
    }
}
