package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.ProjectTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** statemachine/brake.asl.json: valid ASL, and the retry and catch policy the design asks for. */
class BrakeDefinitionTest {
    private static final List<String> LAMBDA_SERVICE_ERRORS = List.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.TooManyRequestsException");

    private final Path definition = ProjectTools.root().resolve("statemachine/brake.asl.json");

    @Test
    void definitionPassesAslValidatorWithPlaceholdersAndWithLocalArns(@TempDir Path tmp) throws Exception {
        Path substituted = tmp.resolve("substituted.asl.json");
        Files.writeString(substituted, LocalStateMachine.substitute(Files.readString(definition)));

        for (Path file : List.of(definition, substituted)) {
            Process p = new ProcessBuilder(ProjectTools.tool("asl-validator").toString(), "--json-path", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
        }
    }

    @Test
    void everyTaskRetriesLambdaServiceErrorsWithBackoffAndFullJitter() throws IOException {
        List<JsonNode> tasks = tasks(Json.mapper().readTree(Files.readString(definition)));

        assertThat(tasks).as("Plan, one target task per phase, the resume's database check, Summarize").hasSize(5);
        for (JsonNode task : tasks) {
            JsonNode retry = task.path("Retry").get(0);
            assertThat(retry.path("ErrorEquals")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(LAMBDA_SERVICE_ERRORS);
            assertThat(retry.path("BackoffRate").asDouble()).isEqualTo(2.0);
            assertThat(retry.path("JitterStrategy").asText()).isEqualTo("FULL");
            assertThat(retry.path("MaxAttempts").asInt()).isBetween(3, 10);
            assertThat(task.path("TimeoutSeconds").asInt()).as("local-sfn would otherwise stop a task after 60 s").isPositive();
        }
    }

    @Test
    void aTargetsEveryErrorIsCaughtInsideTheMapSoTheSummaryAlwaysRuns() throws IOException {
        JsonNode asl = Json.mapper().readTree(Files.readString(definition));
        assertThat(asl.path("States").path("RunFirstTargets").path("Next").asText()).isEqualTo("AfterFirstPhase");
        assertThat(asl.path("States").path("AfterFirstPhase").path("Default").asText()).isEqualTo("RunSecondTargets");
        assertThat(asl.path("States").path("CheckDatabases").path("Catch").get(0).path("Next").asText())
                .as("a failing database check never stops compute from being resumed").isEqualTo("RunSecondTargets");
        assertThat(asl.path("States").path("RunSecondTargets").path("Next").asText()).isEqualTo("Summarize");
        for (String phase : List.of("FirstPhase", "SecondPhase")) {
            JsonNode map = asl.path("States").path(phase.equals("FirstPhase") ? "RunFirstTargets" : "RunSecondTargets");
            JsonNode target = map.path("ItemProcessor").path("States").path("Run" + phase + "Target");
            assertThat(target.path("Catch").get(0).path("Next").asText()).isEqualTo("Record" + phase + "TargetFailure");
            assertThat(target.path("Catch").get(0).path("ErrorEquals")).as(phase).extracting(JsonNode::asText)
                    .containsExactly("States.ALL");
            assertThat(map.has("Catch")).as(phase).isFalse();
        }
        assertThat(asl.path("States").path("Summarize").path("End").asBoolean()).isTrue();
    }

    @Test
    void placeholdersAreExactlyTheTemplatesDefinitionSubstitutions() throws IOException {
        Set<String> placeholders = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([^}]*)}").matcher(Files.readString(definition));
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        assertThat(placeholders).isEqualTo(new TreeSet<>(LocalStateMachine.SUBSTITUTIONS.keySet()));

        String template = Files.readString(ProjectTools.root().resolve("template.yaml"));
        int at = template.indexOf("DefinitionSubstitutions:");
        assertThat(at).as("template.yaml has DefinitionSubstitutions").isNotNegative();
        placeholders.forEach(p -> assertThat(template.substring(at)).contains(p + ":"));
    }

    @Test
    void substitutionLeavesNoPlaceholderAndRejectsUnknownOnes() throws IOException {
        String local = LocalStateMachine.substitute(Files.readString(definition));

        assertThat(local).doesNotContain("${")
                .contains("arn:aws:lambda:us-east-1:123456789012:function:hit-breaks-plan:live");
        assertThatThrownBy(() -> LocalStateMachine.substitute("{\"Resource\":\"${OtherFunctionArn}\"}"))
                .hasMessageContaining("OtherFunctionArn");
    }

    private static List<JsonNode> tasks(JsonNode machine) {
        List<JsonNode> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : machine.path("States").properties()) {
            JsonNode state = e.getValue();
            if ("Task".equals(state.path("Type").asText())) {
                out.add(state);
            }
            if (state.has("ItemProcessor")) {
                out.addAll(tasks(state.path("ItemProcessor")));
            }
        }
        return out;
    }
}
