package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.testing.Bounded;
import dev.awshitbreaks.testing.RecordingProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz tests (Jazzer) of what a person types: {@code --tag}/{@code --exclude-tag} values, and whole command lines.
 * Seeds in {@code LauncherOptionsFuzzTestInputs/<method>/}: tags one per line; a command line's arguments separated
 * by NUL bytes. Properties: tags are accepted or refused with {@link InvalidRequestException} only; any command line
 * ends with exit 0 (help, version) or 2, a one-line message without stack trace or control character, and makes no
 * AWS call (it runs with {@code --local --table !}, so even a valid line stops at the last check before AWS, and every
 * endpoint is a {@link RecordingProxy} that answers nothing); nothing hangs.
 */
class LauncherOptionsFuzzTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static RecordingProxy nowhere;

    @BeforeAll
    static void start() {
        nowhere = RecordingProxy.unanswering();
    }

    @AfterAll
    static void stop() {
        nowhere.close();
    }

    @FuzzTest
    void tagOptions(byte[] data) throws Exception {
        List<String> pairs = Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\n", -1));
        Bounded.run(LIMIT, () -> {
            try {
                Map<String, String> tags = LauncherOptions.keyValues("--tag", pairs);
                Request r = new Request(Action.PAUSE, null, null, tags, null, null, true, null, null).validated();
                assertThat(r.tags()).allSatisfy((k, v) -> {
                    assertThat(k).isNotBlank().hasSizeLessThanOrEqualTo(128);
                    assertThat(v).hasSizeLessThanOrEqualTo(256);
                    assertThat((k + v).chars().noneMatch(Character::isISOControl)).isTrue();
                });
            } catch (InvalidRequestException e) {
                assertThat(e.getMessage().chars().noneMatch(Character::isISOControl)).as(e.getMessage()).isTrue();
            }
        });
    }

    @FuzzTest
    void commandLine(byte[] data) throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\0", -1)));
        args.addAll(List.of("--local", "--table", "!"));
        nowhere.clear();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing", "AWS_ENDPOINT_URL", nowhere.endpoint().toString()), false);

        int exit = Bounded.call(LIMIT, () -> Launcher.run(t, args.toArray(String[]::new)));

        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(e).isIn(ExitCode.OK, ExitCode.INVALID_INPUT);
        assertThat(e + out.toString(StandardCharsets.UTF_8)).doesNotContain("\tat ").doesNotContain("internal error");
        assertThat(e.chars().filter(c -> c < 0x20 && c != '\n').count()).as(e).isZero();
        if (exit == ExitCode.INVALID_INPUT) {
            assertThat(e).startsWith("aws-hit-breaks: ");
        }
        assertThat(nowhere.calls()).as("AWS calls").isEmpty();
    }
}
