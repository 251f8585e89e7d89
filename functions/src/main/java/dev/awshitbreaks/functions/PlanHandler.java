package dev.awshitbreaks.functions;

import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.engine.BrakeEngine;
import java.util.function.Supplier;

/** State machine step 1: the request document in, the {@link dev.awshitbreaks.engine.Plan} out. */
public final class PlanHandler extends JsonHandler {
    private final Supplier<BrakeEngine> engine;

    public PlanHandler() {
        this(FunctionEnvironment::engine);
    }

    public PlanHandler(BrakeEngine engine) {
        this(() -> engine);
    }

    private PlanHandler(Supplier<BrakeEngine> engine) {
        this.engine = engine;
    }

    @Override
    protected Object handle(String input) {
        return engine.get().plan(Request.fromJson(input));
    }
}
