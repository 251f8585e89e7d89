package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.engine.TargetSummary;
import dev.awshitbreaks.functions.TargetHandler.TargetTask;
import dev.awshitbreaks.testing.ProjectTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The sample events in events/ are inputs the handlers accept: plan-*, target-*, summarize*. */
class HandlerEventsTest {
    private final Path events = ProjectTools.root().resolve("events");

    @Test
    void planEventsAreValidRequests() throws IOException {
        List<Path> files = files("plan-");
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("plan-pause.json", "plan-resume.json", "plan-discover.json");
        for (Path f : files) {
            Request r = Request.fromJson(Files.readString(f)).validated();
            assertThat(r.action()).as(f.toString()).isNotNull();
        }
    }

    @Test
    void targetEventsAreTargetTasks() throws IOException {
        List<Path> files = files("target-");
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            TargetTask task = Json.mapper().readValue(Files.readString(f), TargetTask.class);
            assertThat(task.operationId()).as(f.toString()).isNotBlank();
            assertThat(task.target()).as(f.toString()).isNotNull();
            assertThat(task.startedAt()).as(f.toString()).isNotNull();
            task.request().validated();
        }
    }

    @Test
    void summarizeEventsHoldThePlanAndEveryKindOfTargetResult() throws IOException {
        List<Path> files = files("summarize");
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            JsonNode in = Json.mapper().readTree(Files.readString(f));
            Json.mapper().treeToValue(in.path("request"), Request.class).validated();
            assertThat(in.path("startedAt").asText()).isNotBlank();
            List<JsonNode> results = new java.util.ArrayList<>();
            in.path("firstResults").forEach(results::add);
            in.path("secondResults").forEach(results::add);
            assertThat(results).as(f + ": the two phases' results").isNotEmpty();
            for (JsonNode result : results) {
                if (result.has("error")) {
                    Json.mapper().treeToValue(result.path("target"), Target.class);
                    assertThat(result.path("error").path("Error").asText()).isNotBlank();
                } else {
                    Json.mapper().treeToValue(result, TargetSummary.class);
                }
            }
        }
    }

    private List<Path> files(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(events)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
