package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.BrakeError;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.ProjectTools;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One error contract: the named errors of {@link BrakeError} are exactly those the state machine catches from its
 * functions and fails executions with, and each has one exit code, the launcher's.
 */
class ErrorContractTest {

    private static JsonNode asl() throws Exception {
        return Json.mapper().readTree(Files.readString(ProjectTools.root().resolve("statemachine/brake.asl.json")));
    }

    /** Every ErrorEquals name and every Error a Pass or Fail state sets, anywhere in the definition. */
    private static void collect(JsonNode node, Set<String> caught, Set<String> raised) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("ErrorEquals")) {
                    e.getValue().forEach(n -> caught.add(n.asText()));
                } else if (e.getKey().equals("Error") && e.getValue().isTextual()) {
                    raised.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), caught, raised);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, caught, raised));
        }
    }

    @Test
    void theStateMachineCatchesAndRaisesExactlyTheNamedErrors() throws Exception {
        Set<String> caught = new TreeSet<>();
        Set<String> raised = new TreeSet<>();
        collect(asl(), caught, raised);

        // AWS's own names (States.*, Lambda.*) are not ours; every other caught name is one of our exceptions
        Set<String> ourCaught = caught.stream().filter(n -> !n.startsWith("States.") && !n.startsWith("Lambda."))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(ourCaught).as("exception names the ASL catches")
                .isEqualTo(Arrays.stream(BrakeError.values()).map(BrakeError::caughtAs).collect(Collectors.toCollection(TreeSet::new)));
        assertThat(raised).as("error names the ASL fails executions with")
                .isEqualTo(Arrays.stream(BrakeError.values()).map(BrakeError::executionError).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void eachNamedErrorHasTheLaunchersDocumentedExitCode() {
        assertThat(BrakeError.INVALID_REQUEST.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(BrakeError.SNAPSHOT_NOT_FOUND.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(BrakeError.OPERATION_IN_PROGRESS.exitCode()).isEqualTo(ExitCode.CONFLICT);
        assertThat(BrakeError.CORRUPT_SNAPSHOT.exitCode()).isEqualTo(ExitCode.AWS_ERROR);
        for (BrakeError e : BrakeError.values()) {
            assertThat(BrakeError.fromExecutionError(e.executionError())).contains(e);
            assertThat(BrakeError.of(e.toException("x"))).contains(e);
        }
    }
}
