package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import dev.awshitbreaks.core.EngineLog;
import dev.awshitbreaks.testing.ProjectTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The functions log through Lambda's logger, each line with its level, and the stack has Lambda write those lines as
 * JSON and filter them by the {@code LogLevel} parameter. Lambda's own JSON formatting and filtering happen in its
 * managed runtime, which no local test runs (docs/deploying.md says how to see them in an account).
 */
class FunctionLogTest {
    @Test
    void eachEngineLineGoesToTheInvocationsLambdaLoggerWithItsLevel() {
        List<String> lines = new ArrayList<>();
        EngineLog log = FunctionLog.of(new LoggingContext(lines::add));
        log.info("decided");
        log.warn("odd event");
        log.error("could not stop");
        log.log(EngineLog.Level.DEBUG, "detail");
        assertThat(lines).containsExactly("INFO decided", "WARN odd event", "ERROR could not stop", "DEBUG detail");
    }

    @Test
    void theFunctionsWriteNothingToSystemOutOrSystemErr() throws IOException {
        Path sources = ProjectTools.root().resolve("functions/src/main/java");
        Pattern direct = Pattern.compile("System\\s*\\.\\s*(out|err)\\s*(\\.|::)");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (direct.matcher(lines.get(i)).find()) {
                        found.add(sources.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(found).as("use FunctionLog (Lambda's logger) instead").isEmpty();
    }

    @Test
    void theStackLogsEveryFunctionAsJsonAtTheLevelOfItsLogLevelParameter() throws IOException {
        String template = Files.readString(ProjectTools.root().resolve("template.yaml"));
        String globals = template.substring(template.indexOf("\nGlobals:\n"), template.indexOf("\nResources:\n"));
        Matcher config = Pattern.compile("(?m)^    LoggingConfig:\\n((?:      .*\\n)+)").matcher(globals);
        assertThat(config.find()).as("Globals.Function.LoggingConfig").isTrue();
        assertThat(config.group(1)).contains("      LogFormat: JSON\n", "      ApplicationLogLevel: !Ref LogLevel\n",
                "      SystemLogLevel: WARN\n");

        String parameters = template.substring(template.indexOf("\nParameters:\n"), template.indexOf("\nConditions:\n"));
        Matcher parameter = Pattern.compile("(?m)^  LogLevel:\\n((?:    .*\\n)+)").matcher(parameters);
        assertThat(parameter.find()).as("the LogLevel parameter").isTrue();
        assertThat(parameter.group(1)).contains("    Default: INFO\n");
        Matcher allowed = Pattern.compile("AllowedValues: \\[([^]]*)]").matcher(parameter.group(1));
        assertThat(allowed.find()).isTrue();
        // exactly the application log levels Lambda accepts: the library's LogLevel without UNDEFINED
        assertThat(Arrays.stream(allowed.group(1).split(",")).map(String::strip).toList())
                .containsExactlyElementsOf(Arrays.stream(LogLevel.values()).filter(l -> l != LogLevel.UNDEFINED)
                        .map(Enum::name).toList());
    }
}
