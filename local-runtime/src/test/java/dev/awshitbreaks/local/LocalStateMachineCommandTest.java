package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bin/local-state-machine's command: creates the table and bucket, reads stdin, prints the output. */
class LocalStateMachineCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private MotoServer moto;

    @BeforeEach
    void setUp() {
        ProjectTools.tool("local-sfn");
        moto = MotoServer.get();
        moto.reset();
    }

    @Test
    void printsTheOutputOfASucceededExecutionOnStdout() throws Exception {
        int code = run("""
                {"action":"pause","regions":["us-east-1"],"services":["ec2"]}""");

        assertThat(code).as(err()).isEqualTo(LocalStateMachineCommand.SUCCEEDED);
        JsonNode output = Json.mapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(output.path("status").asText()).isEqualTo("paused");
        assertThat(err()).contains("creating table cmd-table").contains("creating bucket cmd-bucket");
    }

    @Test
    void exitsOneWithTheErrorWhenTheExecutionFails() {
        int code = run("""
                {"action":"pause","regions":["mars-north-9"],"services":["ec2"]}""");

        assertThat(code).isEqualTo(LocalStateMachineCommand.EXECUTION_FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err()).contains("execution failed: HitBreaks.InvalidRequest").contains("mars-north-9");
    }

    @Test
    void rejectsInputThatIsNotJson() {
        assertThat(run("pause everything")).isEqualTo(LocalStateMachineCommand.USAGE);
        assertThat(err()).contains("not JSON");
    }

    private int run(String stdin) {
        return LocalStateMachineCommand.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute("--endpoint-url", moto.endpoint().toString(), "--table", "cmd-table", "--bucket", "cmd-bucket");
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
