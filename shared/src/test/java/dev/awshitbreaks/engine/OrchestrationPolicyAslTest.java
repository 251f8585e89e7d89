package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.core.BrakeError;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.ProjectTools;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The deployed state machine follows the one {@link OrchestrationPolicy} the in-process runner follows: the two Map
 * states' concurrency and phases, the readiness wait's seconds and check count, the error names every Retry and Catch
 * names and the errors the plan's refusals fail the execution with. Each check is also run against a copy of the
 * definition changed in that one place, and must then report the difference.
 */
class OrchestrationPolicyAslTest {

    private static ObjectNode asl() throws Exception {
        return (ObjectNode) Json.mapper().readTree(Files.readString(ProjectTools.root().resolve("statemachine/brake.asl.json")));
    }

    @Test
    void theStateMachineFollowsTheOrchestrationPolicy() throws Exception {
        assertThat(differences(asl())).isEmpty();
    }

    @Test
    void theInProcessDefaultsAreThePolicysNumbers() {
        EngineSettings defaults = EngineSettings.defaults();
        assertThat(defaults.parallelTargets()).isEqualTo(OrchestrationPolicy.TARGET_CONCURRENCY).isEqualTo(10);
        assertThat(defaults.databaseWait()).isEqualTo(OrchestrationPolicy.DATABASE_WAIT);
        assertThat(OrchestrationPolicy.DATABASE_WAIT.checks()).isEqualTo(40);
        assertThat(OrchestrationPolicy.DATABASE_WAIT.interval()).hasSeconds(30);
        assertThat(OrchestrationPolicy.DATABASE_WAIT.total()).isEqualTo(EngineSettings.DEFAULT_DATABASE_WAIT).hasMinutes(20);
    }

    @Test
    void aDefinitionThatDriftsFromThePolicyIsReported() throws Exception {
        Map<String, Consumer<ObjectNode>> drifts = new LinkedHashMap<>();
        drifts.put("RunFirstTargets: MaxConcurrency", a -> state(a, "RunFirstTargets").put("MaxConcurrency", 32));
        drifts.put("RunSecondTargets: MaxConcurrency", a -> state(a, "RunSecondTargets").remove("MaxConcurrency"));
        drifts.put("RunFirstTargets: ItemsPath", a -> state(a, "RunFirstTargets").put("ItemsPath", "$.secondTargets"));
        drifts.put("WaitForDatabases: Seconds", a -> state(a, "WaitForDatabases").put("Seconds", 15));
        drifts.put("DatabasesReady: the check count", a -> ((ObjectNode) state(a, "DatabasesReady").path("Choices").get(1))
                .put("NumericGreaterThanEquals", 80));
        drifts.put("AfterFirstPhase", a -> ((ObjectNode) state(a, "AfterFirstPhase").path("Choices").get(0).path("And").get(1))
                .put("BooleanEquals", true));
        drifts.put("Plan: Retry", a -> ((ArrayNode) state(a, "Plan").path("Retry").get(0).path("ErrorEquals")).remove(3));
        drifts.put("RunFirstPhaseTarget: Retry", a -> ((ArrayNode) mapTask(a, "RunFirstTargets", "RunFirstPhaseTarget")
                .path("Retry").get(1).path("ErrorEquals")).set(0, "States.TaskFailed"));
        drifts.put("RunSecondPhaseTarget: Catch", a -> ((ArrayNode) mapTask(a, "RunSecondTargets", "RunSecondPhaseTarget")
                .path("Catch").get(0).path("ErrorEquals")).set(0, "States.TaskFailed"));
        drifts.put("CheckDatabases: Catch", a -> ((ArrayNode) state(a, "CheckDatabases").path("Catch").get(0)
                .path("ErrorEquals")).add("Lambda.ServiceException"));
        drifts.put("Plan: Catch", a -> ((ArrayNode) state(a, "Plan").path("Catch").get(3).path("ErrorEquals"))
                .set(0, "dev.awshitbreaks.snapshot.SomeOtherException"));
        drifts.put("CorruptSnapshot: Error", a -> ((ObjectNode) state(a, "CorruptSnapshot").path("Parameters"))
                .put("Error", "HitBreaks.Corrupt"));

        for (var drift : drifts.entrySet()) {
            ObjectNode changed = asl();
            drift.getValue().accept(changed);
            assertThat(differences(changed)).as("changed: " + drift.getKey())
                    .anySatisfy(d -> assertThat(d).startsWith(drift.getKey()));
        }
    }

    // ---------------------------------------------------------------- the comparison

    /** Every way the definition differs from the policy, one line each, starting with the state's name. */
    static List<String> differences(JsonNode asl) {
        List<String> out = new ArrayList<>();
        JsonNode states = asl.path("States");

        // phases and concurrency: two Map states, phase 1's targets then phase 2's, each at most TARGET_CONCURRENCY at once
        expect(out, "RunFirstTargets: ItemsPath", states.path("RunFirstTargets").path("ItemsPath").asText(), "$.firstTargets");
        expect(out, "RunSecondTargets: ItemsPath", states.path("RunSecondTargets").path("ItemsPath").asText(), "$.secondTargets");
        List<String> maps = new ArrayList<>();
        states.properties().forEach(e -> {
            if ("Map".equals(e.getValue().path("Type").asText())) {
                maps.add(e.getKey());
                expect(out, e.getKey() + ": MaxConcurrency", e.getValue().path("MaxConcurrency").asInt(0),
                        OrchestrationPolicy.TARGET_CONCURRENCY);
            }
        });
        expect(out, "Map states", maps, List.of("RunFirstTargets", "RunSecondTargets"));

        // the wait between the phases: only on a real resume; checks x interval
        JsonNode after = states.path("AfterFirstPhase").path("Choices");
        boolean waitsOnRealResume = after.size() == 1 && after.get(0).path("Next").asText().equals("StartWaitingForDatabases")
                && after.get(0).path("And").size() == 2
                && after.get(0).path("And").get(0).path("Variable").asText().equals("$.action")
                && after.get(0).path("And").get(0).path("StringEquals").asText().equals("resume")
                && after.get(0).path("And").get(1).path("Variable").asText().equals("$.dryRun")
                && after.get(0).path("And").get(1).path("BooleanEquals").isBoolean()
                && OrchestrationPolicy.waitsForDatabases(dev.awshitbreaks.core.Action.RESUME,
                        after.get(0).path("And").get(1).path("BooleanEquals").asBoolean())
                && !OrchestrationPolicy.waitsForDatabases(dev.awshitbreaks.core.Action.RESUME,
                        !after.get(0).path("And").get(1).path("BooleanEquals").asBoolean());
        if (!waitsOnRealResume) {
            out.add("AfterFirstPhase: waits for databases other than exactly on a real resume (action resume, dryRun false)");
        }
        expect(out, "WaitForDatabases: Seconds", states.path("WaitForDatabases").path("Seconds").asLong(-1),
                OrchestrationPolicy.DATABASE_WAIT.interval().toSeconds());
        Integer checkLimit = null;
        for (JsonNode c : states.path("DatabasesReady").path("Choices")) {
            if (c.path("Variable").asText().equals("$.readiness.checks") && c.has("NumericGreaterThanEquals")) {
                checkLimit = c.path("NumericGreaterThanEquals").asInt();
            }
        }
        expect(out, "DatabasesReady: the check count", checkLimit, OrchestrationPolicy.DATABASE_WAIT.checks());

        // error names: every task retries Lambda's transient errors; targets also a timeout, once
        Map<String, JsonNode> tasks = new LinkedHashMap<>();
        states.properties().forEach(e -> {
            if ("Task".equals(e.getValue().path("Type").asText())) {
                tasks.put(e.getKey(), e.getValue());
            }
        });
        for (String map : List.of("RunFirstTargets", "RunSecondTargets")) {
            states.path(map).path("ItemProcessor").path("States").properties().forEach(e -> {
                if ("Task".equals(e.getValue().path("Type").asText())) {
                    tasks.put(e.getKey(), e.getValue());
                }
            });
        }
        Set<String> targetTasks = Set.of("RunFirstPhaseTarget", "RunSecondPhaseTarget");
        tasks.forEach((name, task) -> {
            List<Set<String>> retried = new ArrayList<>();
            task.path("Retry").forEach(r -> retried.add(names(r.path("ErrorEquals"))));
            List<Set<String>> expected = new ArrayList<>();
            expected.add(new TreeSet<>(OrchestrationPolicy.TRANSIENT_LAMBDA_ERRORS));
            if (targetTasks.contains(name)) {
                expected.add(new TreeSet<>(Set.of(OrchestrationPolicy.TASK_TIMEOUT)));
            }
            expect(out, name + ": Retry", retried, expected);
        });
        expect(out, "Task states", new TreeSet<>(tasks.keySet()), new TreeSet<>(Set.of("Plan", "CheckDatabases", "Summarize",
                "RunFirstPhaseTarget", "RunSecondPhaseTarget")));

        // Catch: a target's and a database check's every error; the plan's named errors, each raised as its HitBreaks.* name
        for (String name : List.of("RunFirstPhaseTarget", "RunSecondPhaseTarget", "CheckDatabases")) {
            List<Set<String>> caught = new ArrayList<>();
            tasks.getOrDefault(name, Json.mapper().createObjectNode()).path("Catch")
                    .forEach(c -> caught.add(names(c.path("ErrorEquals"))));
            expect(out, name + ": Catch", caught, List.of(Set.of(OrchestrationPolicy.ANY_ERROR)));
        }
        expect(out, "Summarize: Catch", tasks.getOrDefault("Summarize", Json.mapper().createObjectNode()).has("Catch"), false);
        Map<String, String> raisedFor = new LinkedHashMap<>();
        for (JsonNode c : states.path("Plan").path("Catch")) {
            String pass = c.path("Next").asText();
            JsonNode error = states.path(pass).path("Parameters").path("Error");
            if (error.isMissingNode()) {
                out.add(pass + ": Error is missing");
            }
            if (!states.path(pass).path("Next").asText().equals("PlanRejected")) {
                out.add(pass + ": does not end in PlanRejected");
            }
            c.path("ErrorEquals").forEach(n -> raisedFor.put(n.asText(), pass + "=" + error.asText()));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (BrakeError e : OrchestrationPolicy.planErrors()) {
            String pass = raisedFor.getOrDefault(e.caughtAs(), "?=").split("=")[0];
            expected.put(e.caughtAs(), pass + "=" + e.executionError());
        }
        expect(out, "Plan: Catch", new TreeSet<>(raisedFor.keySet()), new TreeSet<>(expected.keySet()));
        expected.forEach((caught, raised) -> {
            String actual = raisedFor.get(caught);
            if (actual != null && !actual.equals(raised)) {
                out.add(actual.split("=")[0] + ": Error " + actual + ", expected " + raised);
            }
        });
        expect(out, "PlanRejected: Type", states.path("PlanRejected").path("Type").asText(), "Fail");
        return out;
    }

    private static Set<String> names(JsonNode errorEquals) {
        Set<String> names = new TreeSet<>();
        errorEquals.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static void expect(List<String> out, String what, Object actual, Object expected) {
        if (!java.util.Objects.equals(actual, expected)) {
            out.add(what + ": " + actual + " in the definition, " + expected + " in OrchestrationPolicy");
        }
    }

    private static ObjectNode state(ObjectNode asl, String name) {
        return (ObjectNode) asl.path("States").path(name);
    }

    private static ObjectNode mapTask(ObjectNode asl, String map, String task) {
        return (ObjectNode) state(asl, map).path("ItemProcessor").path("States").path(task);
    }
}
