package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher in-process, with its streams captured, in --local mode against moto through the real SDK. */
class LauncherTest {
    private MotoServer moto;
    private MotoAccount account;
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path home;

    @BeforeEach
    void setUp() {
        moto = MotoServer.get();
        moto.reset();
        account = new MotoAccount(moto.endpoint());
    }

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Json.mapper().readTree(out);
        }
    }

    private Run run(String stdin, boolean interactive, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_ENDPOINT_URL", moto.endpoint().toString(), "HOME", home.toString());
        Terminal t = new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, interactive);
        int code = Launcher.run(t, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run local(String... args) {
        List<String> all = new ArrayList<>(List.of("--local", "--endpoint-url", moto.endpoint().toString(), "--state-region", "us-east-1"));
        all.addAll(List.of(args));
        return run("", false, all.toArray(String[]::new));
    }

    @Test
    void pauseAndResumeThroughTheLauncherWithJsonOutput() throws Exception {
        String a = account.runInstance("us-east-1", "t3.micro");
        String b = account.runInstance("eu-west-1", "t3.micro");
        String stopped = account.stoppedInstance("eu-west-1", "t3.micro", Map.of());
        String guarded = account.runInstance("us-east-1", "t3.micro", Map.of("aws-hit-breaks:protect", "true"));

        Run pause = local("--pause", "--region", "us-east-1", "--region", "eu-west-1", "--yes", "--output", "json");

        assertThat(pause.exit()).as(pause.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = pause.json();
        assertThat(doc.path("snapshotId").asText()).startsWith("pause-");
        Map<String, String> outcomes = new java.util.HashMap<>();
        for (JsonNode r : doc.path("resources")) {
            if (r.path("service").asText().equals("still-billing")) { // the instances' volumes: listed, never changed
                assertThat(r.path("outcome").asText()).isEqualTo("still-billing");
                assertThat(r.path("type").asText()).startsWith("ebs-volume ");
                continue;
            }
            assertThat(r.path("service").asText()).isEqualTo("ec2");
            assertThat(r.has("region")).isTrue();
            outcomes.put(r.path("id").asText(), r.path("outcome").asText());
            if (r.path("outcome").asText().equals("skipped")) {
                assertThat(r.path("reason").asText()).isNotBlank();
            }
        }
        assertThat(outcomes).containsOnly(Map.entry(a, "paused"), Map.entry(b, "paused"), Map.entry(guarded, "skipped"));
        assertThat(pause.err()).contains("Created DynamoDB table").containsPattern("\\[(\\d+)/\\1\\]"); // the last target reported
        assertThat(account.state("us-east-1", a)).isEqualTo("stopped");

        Run status = local("--status", "--output", "json");
        assertThat(status.exit()).isEqualTo(ExitCode.OK);
        JsonNode op = status.json().path("operations").get(0);
        assertThat(op.path("id").asText()).isEqualTo(doc.path("snapshotId").asText());
        assertThat(op.path("active").asBoolean()).isTrue();
        assertThat(op.path("resources").path("paused").asInt()).isEqualTo(2);

        Run held = local("--status", "--snapshot", doc.path("snapshotId").asText());
        assertThat(held.exit()).isEqualTo(ExitCode.OK);
        assertThat(held.out()).contains(a).contains(b).contains("state=running").doesNotContain(guarded);

        Run resume = local("--resume", "--yes");
        assertThat(resume.exit()).as(resume.err()).isEqualTo(ExitCode.OK);
        assertThat(resume.out()).contains("Done resume: 2 resumed.");
        assertThat(account.state("us-east-1", a)).isEqualTo("running");
        assertThat(account.state("eu-west-1", b)).isEqualTo("running");
        assertThat(account.state("eu-west-1", stopped)).isEqualTo("stopped");
    }

    @Test
    void dryRunPrintsWhatWouldChangeAndChangesNothing() {
        String a = account.runInstance("us-east-1", "t3.micro");

        Run dry = local("--pause", "--region", "us-east-1", "--dry-run", "--yes");

        assertThat(dry.exit()).as(dry.err()).isEqualTo(ExitCode.OK);
        assertThat(dry.out()).contains(a).contains("would-pause").contains("Dry run of pause: 1 still-billing, 1 would-pause."); // the instance's volume still bills
        assertThat(account.state("us-east-1", a)).isEqualTo("running");
    }

    @Test
    void aPauseWithoutYesWhenNoOneIsAtATerminalChangesNothing() {
        String a = account.runInstance("us-east-1", "t3.micro");
        assertThat(local("--discover", "--region", "us-east-1", "--yes").exit()).isEqualTo(ExitCode.OK); // storage exists

        Run r = local("--pause", "--region", "us-east-1");

        assertThat(r.exit()).isEqualTo(ExitCode.NOT_CONFIRMED);
        assertThat(r.err()).contains("without --yes");
        assertThat(account.state("us-east-1", a)).isEqualTo("running");
    }

    @Test
    void atATerminalThePauseShowsWhatItWouldDoAndOnlyAYesGoesOn() {
        String a = account.runInstance("us-east-1", "t3.micro");
        String[] args = {"--local", "--endpoint-url", moto.endpoint().toString(), "--pause", "--region", "us-east-1"};

        Run declined = run("y\nn\n", true, args); // yes to creating storage, no to the pause
        assertThat(declined.exit()).isEqualTo(ExitCode.NOT_CONFIRMED);
        assertThat(declined.err()).contains(a).contains("would-pause").contains("Continue? [y/N]");
        assertThat(account.state("us-east-1", a)).isEqualTo("running");

        Run accepted = run("y\n", true, args);
        assertThat(accepted.exit()).as(accepted.err()).isEqualTo(ExitCode.OK);
        assertThat(account.state("us-east-1", a)).isEqualTo("stopped");
    }

    @Test
    void withoutYesAndNoTerminalTheMissingStorageIsNotCreated() {
        Run r = local("--pause", "--region", "us-east-1");
        assertThat(r.exit()).isEqualTo(ExitCode.NOT_CONFIRMED);
        assertThat(r.err()).contains("without --yes");
        assertThat(local("--status").out()).contains("No snapshots");
    }

    @Test
    void invalidInputExitsTwoNamingTheBadValueBeforeAnyAwsCall() {
        String a = account.runInstance("us-east-1", "t3.micro");
        Map<String[], String> cases = new java.util.LinkedHashMap<>();
        cases.put(new String[] {"--pause", "--region", "mars-north-9", "--yes"}, "mars-north-9");
        cases.put(new String[] {"--pause", "--service", "warp", "--yes"}, "warp");
        cases.put(new String[] {"--pause", "--tag", "novalue", "--yes"}, "novalue");
        cases.put(new String[] {"--pause", "--tag", "=v", "--yes"}, "=v");
        cases.put(new String[] {"--pause", "--exclude-tag", "x", "--yes"}, "'x'");
        cases.put(new String[] {"--pause", "--exclude-id", "../etc/passwd", "--yes"}, "../etc/passwd");
        cases.put(new String[] {"--resume", "--snapshot", "../../secret", "--yes"}, "../../secret");
        cases.put(new String[] {"--pause", "--snapshot", "pause-20260101-000000-abcdef", "--yes"}, "snapshotId");
        cases.put(new String[] {"--pause", "--output", "yaml", "--yes"}, "yaml");
        cases.put(new String[] {"--pause", "--region", "all", "--region", "us-east-1", "--yes"}, "all");
        cases.put(new String[] {"--pause", "--resume"}, "mutually exclusive");
        cases.put(new String[] {"--pause", "--frobnicate"}, "--frobnicate");
        cases.put(new String[] {"--region", "us-east-1"}, "--pause"); // no mode and no terminal
        cases.put(new String[] {"--pause", "--timeout", "0", "--yes"}, "'0'");
        cases.put(new String[] {"--pause", "--report", "/nonexistent-dir/r.json", "--yes"}, "/nonexistent-dir");
        cases.put(new String[] {"--pause", "--report", "r.json", "--format", "xml", "--yes"}, "xml");
        cases.put(new String[] {"--pause", "--format", "csv", "--yes"}, "--report");
        cases.put(new String[] {"--status", "--report", "r.json"}, "--report");
        cases.put(new String[] {"--status", "--stack", "bad_name!"}, "bad_name!");
        cases.put(new String[] {"--pause", "--regions", "eu-west-1,mars-1", "--yes"}, "mars-1");
        cases.put(new String[] {"--status", "--state-region", "nowhere-1"}, "nowhere-1");
        cases.put(new String[] {"--status", "--snapshot", "pause-1"}, "pause-1");
        cases.put(new String[] {"--pause", "--wait", "-5", "--yes"}, "-5");
        cases.put(new String[] {"--pause", "--wait", "forever", "--yes"}, "forever");
        cases.put(new String[] {"--pause", "--wait", "601", "--yes"}, "601");
        for (var c : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("--local", "--endpoint-url", "http://127.0.0.1:1"));
            args.addAll(List.of(c.getKey()));
            Run r = run("", false, args.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", c.getKey()) + " -> " + r.err()).isEqualTo(ExitCode.INVALID_INPUT);
            assertThat(r.err()).as(String.join(" ", c.getKey())).contains(c.getValue()).doesNotContain("\tat ");
        }
        // the endpoint above is unreachable: had any case called AWS it would have failed with exit 4, not 2
        Run bad = run("", false, "--local", "--endpoint-url", "ftp://x", "--status");
        assertThat(bad.exit()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(bad.err()).contains("ftp://x");
        assertThat(account.state("us-east-1", a)).isEqualTo("running");
    }

    @Test
    void anUnreachableEndpointIsAClearAwsErrorNotAStackTrace() {
        Run r = run("", false, "--local", "--endpoint-url", "http://127.0.0.1:1", "--status");
        assertThat(r.exit()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).contains("cannot reach AWS").doesNotContain("\tat ");
    }

    @Test
    void aResumeWithNothingPausedSaysSoAndExitsTwo() {
        Run r = local("--resume", "--yes", "--region", "us-east-1");
        // the table is created on first use, then there is no snapshot to resume
        assertThat(r.exit()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.err()).contains("no paused snapshot");
    }
}
