package dev.awshitbreaks.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.Plan;
import dev.awshitbreaks.engine.TargetSummary;
import java.util.function.Supplier;

/**
 * State machine step 2, once per (region, service): a {@link TargetTask} in, a {@link TargetSummary} out
 * (the full results go to S3).
 */
public final class TargetHandler extends JsonHandler {
    private final Supplier<BrakeEngine> engine;

    public TargetHandler() {
        this(FunctionEnvironment::engine);
        // the clients are built, and the records' and result document's calls primed offline, while the first
        // invocation reads its input and discovers
        FunctionEnvironment.buildInBackground(() -> SnapStartPriming.primeWritePath(System.getenv("AWS_REGION")));
    }

    public TargetHandler(BrakeEngine engine) {
        this(() -> engine);
    }

    private TargetHandler(Supplier<BrakeEngine> engine) {
        this.engine = engine;
    }

    @Override
    protected Object handle(String input, FunctionLog log) {
        JsonNode in = HandlerInput.tree(input);
        Plan plan = HandlerInput.plan(in);
        Target target = HandlerInput.target(in.get("target"), "target");
        HandlerInput.read(input, TargetTask.class); // no field beyond the documented ones
        if (!plan.request().regions().contains(target.region())) {
            throw new dev.awshitbreaks.core.InvalidRequestException("the target's region " + target.region()
                    + " is not one of the plan's regions " + plan.request().regions());
        }
        return TargetSummary.of(engine.get().runTarget(plan, target));
    }

    /** The plan's fields (without its list of targets) and the one target of this Map iteration. */
    public record TargetTask(String operationId, String snapshotId, dev.awshitbreaks.core.Action action, boolean dryRun,
            dev.awshitbreaks.core.Request request, java.time.Instant startedAt, Target target) {
        Plan plan() {
            return new Plan(operationId, snapshotId, action, dryRun, request, startedAt, java.util.List.of());
        }
    }
}
