package dev.awshitbreaks.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.LeaseRenewal;
import dev.awshitbreaks.engine.Plan;
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
        FunctionEnvironment.buildInBackground(() -> { }); // the clients are built while the input is read
    }

    public ReadinessHandler(BrakeEngine engine) {
        this(() -> engine);
    }

    private ReadinessHandler(Supplier<BrakeEngine> engine) {
        this.engine = engine;
    }

    @Override
    protected Object handle(String input, FunctionLog log) {
        JsonNode in = HandlerInput.tree(input);
        Plan plan = HandlerInput.plan(in);
        JsonNode checks = in.get("checks");
        if (checks != null && !checks.isNull() && !(checks.canConvertToInt() && checks.isIntegralNumber() && checks.intValue() >= 0)) {
            throw new InvalidRequestException("field 'checks' must be a whole number of checks made so far");
        }
        // each check renews the account lock's lease: the wait for databases can outlast it (BrakeEngine.renewLease)
        if (engine.get().renewLease(plan) == LeaseRenewal.NOT_HELD) {
            log.warn("aws-hit-breaks: the account lock is no longer held by " + plan.operationId());
        }
        List<String> pending = engine.get().databasesNotReady(plan);
        return new Readiness(pending.isEmpty(), pending, (checks == null ? 0 : checks.asInt(0)) + 1);
    }

    /** Whether compute may be resumed, the databases still starting, and the checks made so far. */
    public record Readiness(boolean ready, List<String> pending, int checks) {
    }
}
