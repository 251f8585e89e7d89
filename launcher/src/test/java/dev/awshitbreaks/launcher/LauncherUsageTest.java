package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.testing.ProjectTools;
import dev.awshitbreaks.testing.RecordingProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the command line tells about itself: {@code --help} (every allowed value, every exit code, examples),
 * {@code --version} (the build's version), {@code --completion} (a script bash really completes with), and "did you
 * mean" for a mistyped option (still exit 2, before any AWS call: every endpoint is a {@link RecordingProxy}).
 */
class LauncherUsageTest {
    private static RecordingProxy nowhere;

    @BeforeAll
    static void start() {
        nowhere = RecordingProxy.unanswering();
    }

    @AfterAll
    static void stop() {
        nowhere.close();
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing", "AWS_ENDPOINT_URL", nowhere.endpoint().toString()), false);
        int code = Launcher.run(t, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The help text of one option: its line and the indented lines after it. */
    private static String optionHelp(String help, String option) {
        List<String> lines = help.lines().toList();
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\s+" + Pattern.quote(option) + "[= ].*")) {
                block.append(lines.get(i));
                for (int j = i + 1; j < lines.size() && lines.get(j).matches("\\s{20,}\\S.*"); j++) {
                    block.append(' ').append(lines.get(j).trim());
                }
                return block.toString().replaceAll("\\s+", " ");
            }
        }
        throw new AssertionError("no " + option + " in the help:\n" + help);
    }

    @Test
    void helpListsTheValuesEachOptionTakes() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        String help = r.out();
        String services = optionHelp(help, "--service");
        for (ServiceKind s : ServiceKind.values()) {
            assertThat(services).as("--service lists " + s.id()).containsPattern("\\b" + s.id() + "\\b");
        }
        assertThat(optionHelp(help, "--output")).contains("table").contains("json");
        assertThat(optionHelp(help, "--format")).contains("json").contains("csv");
        assertThat(optionHelp(help, "--rebuild-from")).contains("s3").contains("dynamodb");
        assertThat(optionHelp(help, "--region")).contains("'all'").contains("eu-west-1");
        assertThat(optionHelp(help, "--wait")).contains("0 to 600");
        assertThat(optionHelp(help, "--timeout")).contains("1 to 86400");
        assertThat(optionHelp(help, "--completion")).contains("bash").contains("zsh");
    }

    @Test
    void helpListsEveryExitCodeWithItsMeaning() throws IllegalAccessException {
        String help = run("--help").out();
        String exitCodes = help.substring(help.indexOf("Exit codes:"));
        List<Integer> codes = new ArrayList<>();
        for (Field f : ExitCode.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                codes.add(f.getInt(null));
            }
        }
        assertThat(codes).contains(0, 1, 2, 3, 4, 5, 6, 70);
        for (int code : codes) {
            Matcher m = Pattern.compile("(?m)^\\s+" + code + "\\s+(\\S.{10,})$").matcher(exitCodes);
            assertThat(m.find()).as("exit code " + code + " has a line of its own with its meaning:\n" + exitCodes).isTrue();
        }
        assertThat(exitCodes).contains("--timeout"); // 6: the stack's execution outlived --timeout
    }

    @Test
    void helpShowsExamplesThatParse() {
        String help = run("--help").out();
        assertThat(help).contains("Examples:");
        List<String> examples = help.substring(help.indexOf("Examples:")).lines().skip(1)
                .filter(l -> l.trim().startsWith("aws-hit-breaks --")).map(l -> l.replaceAll("#.*", "").trim()).toList();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
        assertThat(String.join("\n", examples)).contains("--pause").contains("--resume").contains("--status").contains("--discover");
        for (String example : examples) {
            // each parses: picocli takes every option (no exit 2 from the parser's own messages)
            picocli.CommandLine cli = Launcher.commandLine(new Terminal(new ByteArrayInputStream(new byte[0]), System.out, System.err,
                    Map.of(), false));
            List<String> args = Arrays.asList(example.split("\\s+")).subList(1, example.split("\\s+").length);
            cli.parseArgs(args.toArray(String[]::new));
        }
    }

    @Test
    void versionIsTheBuildsProjectVersion() throws Exception {
        String pom = Files.readString(ProjectTools.root().resolve("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>aws-hit-breaks-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).as("the parent pom's version").isTrue();
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out().trim()).isEqualTo("aws-hit-breaks " + m.group(1));
        assertThat(Launcher.class.getResource("build.properties")).as("written by the build").isNotNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "--stauts, --status",
            "--dryrun, --dry-run",
            "--regoin=eu-west-1, --region",
            "-pause, --pause",
            "--resum, --resume",
            "--exclude-tags, --exclude-tag",
            "--disc, --discover",
            "--endpoint, --endpoint-url",
            "--verison, --version"})
    void aMistypedOptionIsRefusedWithTheOptionItMeant(String typed, String meant) {
        nowhere.clear();
        Run r = run("--local", typed, "--yes");
        assertThat(r.exit()).isEqualTo(ExitCode.INVALID_INPUT);
        List<String> lines = r.err().lines().toList();
        assertThat(lines.get(0)).startsWith("aws-hit-breaks: ").contains(typed);
        assertThat(r.err()).contains("Did you mean " + meant + " instead of '" + typed + "'?");
        assertThat(nowhere.calls()).as("AWS calls").isEmpty();
    }

    @Test
    void aFarOffOrHiddenOptionGetsNoSuggestion() {
        Run r = run("--local", "--frobnicate", "--via-aws-clx", "--yes");
        assertThat(r.exit()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.err()).contains("--frobnicate").doesNotContain("Did you mean");
        assertThat(nowhere.calls()).isEmpty();
    }

    @Test
    void aPositionalWordIsNotTakenForAnOption() {
        Run r = run("--local", "--pause", "pause", "--yes");
        assertThat(r.exit()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.err()).contains("Unmatched argument").doesNotContain("Did you mean");
    }

    @Test
    void completionPrintsAScriptThatBashCompletesWith(@TempDir Path dir) throws Exception {
        Run r = run("--completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_aws-hit-breaks")
                .contains("ZSH_VERSION").contains("bashcompinit");
        Path script = dir.resolve("aws-hit-breaks.bash");
        Files.writeString(script, r.out());

        assertThat(complete(script, "--ser")).containsExactly("--service");
        assertThat(complete(script, "--re")).contains("--resume", "--region", "--regions", "--report", "--rebuild-from");
        assertThat(complete(script, "--service", "")).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ServiceKind.values()).map(ServiceKind::id).toList());
        assertThat(complete(script, "--output", "")).containsExactlyInAnyOrder("table", "json");
        assertThat(complete(script, "--rebuild-from", "")).containsExactlyInAnyOrder("s3", "dynamodb");
        assertThat(complete(script, "--region", "eu-west-")).contains("eu-west-1", "eu-west-2").allMatch(s -> s.startsWith("eu-west-"));
        assertThat(complete(script, "--region", "")).contains("all", "us-east-1");
        assertThat(complete(script, "--")).doesNotContain("--via-aws-cli").contains("--pause", "--completion", "--version");
    }

    /** What bash offers for {@code aws-hit-breaks WORDS...<TAB>}, the last word being the one completed. */
    private static List<String> complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder("aws-hit-breaks");
        for (String w : words) {
            array.append(" '").append(w).append('\'');
        }
        String bash = "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + array + "); COMP_CWORD=" + words.length
                + "; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _complete_aws-hit-breaks 2>/dev/null;"
                + " printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "--noprofile", "--norc", "-c", bash).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
