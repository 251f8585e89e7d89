package dev.awshitbreaks.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.Target;
import java.time.Instant;
import java.util.List;

/**
 * A validated, planned operation: its id, the snapshot it works on (a pause's own or joined snapshot, or
 * the snapshot a resume restores), the request with regions resolved, and its (region, service) targets.
 * This is the plan step's output and, with one target added, each target step's input. Every field is
 * written, null included: the state machine's JSONPath selects each of them.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(value = {"firstTargets", "secondTargets"}, allowGetters = true)
public record Plan(
        String operationId,
        String snapshotId,
        Action action,
        boolean dryRun,
        Request request,
        Instant startedAt,
        List<Target> targets) {

    /**
     * Plans also come in as handler input: the ids are checked here, so a plan can never carry an id that
     * names a path or another S3 key ({@link InvalidRequestException} otherwise).
     */
    public Plan {
        OperationId.requireOperationId(operationId);
        if (snapshotId != null) {
            OperationId.requireSnapshotId(snapshotId);
        }
        if (action == null || request == null || startedAt == null) {
            throw new InvalidRequestException("the plan " + operationId + " has no " + (action == null ? "action"
                    : request == null ? "request" : "startedAt"));
        }
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** Phase 1 of the state machine: compute on pause, databases on resume. */
    @JsonProperty("firstTargets")
    public List<Target> firstTargets() {
        return targets.stream().filter(t -> OrchestrationPolicy.Phase.of(action, t) == OrchestrationPolicy.Phase.FIRST).toList();
    }

    /** Phase 2, run after phase 1 has ended: databases on pause (paused last), compute on resume. */
    @JsonProperty("secondTargets")
    public List<Target> secondTargets() {
        return targets.stream().filter(t -> OrchestrationPolicy.Phase.of(action, t) == OrchestrationPolicy.Phase.SECOND).toList();
    }

    /** Real pauses and resumes change resources, write snapshot records and hold the lock. */
    public boolean changesResources() {
        return !dryRun && action != Action.DISCOVER;
    }
}
