package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --install-alias}: the AWS CLI alias file is edited in place, other aliases kept; and {@code aws hit
 * breaks ...} then runs the launcher through the real AWS CLI v1 ({@code .tools/bin/aws}, from scripts/setup),
 * whose own global options (--region, --output, --endpoint-url) are recovered, not dropped.
 */
class AwsCliAliasTest {
    private static final String OTHERS = """
            # my aliases
            [toplevel]
            whoami = sts get-caller-identity
            running =
              ec2 describe-instances
              --filters Name=instance-state-name,Values=running

            [command ec2]
            hit = describe-instances
            """;

    @TempDir
    Path home;

    private InProcess.Run launcher(String... args) {
        return new InProcess(home).env("HITBREAKS_LAUNCHER", "/opt/aws-hit-breaks/bin/aws-hit-breaks").run(args);
    }

    @Test
    void installingTheAliasKeepsEveryOtherAliasAndUninstallingRestoresTheFileExactly() throws Exception {
        Path file = home.resolve(".aws/cli/alias");
        Files.createDirectories(file.getParent());
        Files.writeString(file, OTHERS);

        assertThat(launcher("--install-alias").exit()).isEqualTo(ExitCode.OK);
        assertThat(launcher("--install-alias").exit()).isEqualTo(ExitCode.OK); // again: replaced, not added twice

        String installed = Files.readString(file);
        assertThat(installed).startsWith("# my aliases\n[toplevel]\nhit = !f() { if [ \"$1\" = breaks ]; then shift;")
                .contains("'/opt/aws-hit-breaks/bin/aws-hit-breaks' --via-aws-cli \"$@\"")
                .contains("whoami = sts get-caller-identity\nrunning =\n  ec2 describe-instances\n")
                .contains("[command ec2]\nhit = describe-instances");
        assertThat(installed.split("\nhit = !f", -1)).hasSize(2);

        assertThat(launcher("--uninstall-alias").exit()).isEqualTo(ExitCode.OK);
        assertThat(Files.readString(file)).isEqualTo(OTHERS);
        assertThat(launcher("--uninstall-alias").err()).contains("nothing changed");
    }

    @Test
    void anAliasFileWithoutAToplevelSectionGetsOne() throws Exception {
        assertThat(launcher("--install-alias").exit()).isEqualTo(ExitCode.OK);
        assertThat(Files.readString(home.resolve(".aws/cli/alias"))).startsWith("[toplevel]\nhit = !f()");
    }

    @Test
    void someoneElsesHitAliasIsNeitherReplacedNorRemoved() throws Exception {
        Path file = home.resolve(".aws/cli/alias");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[toplevel]\nhit = s3 ls\n");

        InProcess.Run install = launcher("--install-alias");
        InProcess.Run uninstall = launcher("--uninstall-alias");

        assertThat(install.exit()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(install.err()).contains("someone else's");
        assertThat(uninstall.exit()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(Files.readString(file)).isEqualTo("[toplevel]\nhit = s3 ls\n");
    }

    @Test
    void theAwsCliGlobalOptionsAreReadBackFromItsCommandLine() {
        AwsCliInvocation i = AwsCliInvocation.parse(List.of("/usr/bin/aws", "--profile", "dev", "hit", "breaks", "--pause",
                "--region=eu-west-1", "--output", "text", "--debug", "--endpoint-url", "http://localhost:4566"));
        assertThat(i.regions()).containsExactly("eu-west-1");
        assertThat(i.profile()).isEqualTo("dev");
        assertThat(i.output()).isEqualTo("table");
        assertThat(i.endpointUrl()).isEqualTo("http://localhost:4566");
        assertThat(i.ignored()).containsExactly("--debug");
        assertThatThrownBy(() -> AwsCliInvocation.parse(List.of("aws", "hit", "breaks", "--no-verify-ssl")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("--no-verify-ssl");
    }

    @Test
    void whenTheAwsCliCommandLineCannotBeReadARunThroughTheAliasIsRefusedWithHowToPassOptions() {
        InProcess.Run r = new InProcess(home).env("HITBREAKS_AWS_CLI_PID", "999999999").run("--via-aws-cli", "--pause", "--yes", "--local");

        assertThat(r.exit()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.err()).contains("could not be read").contains("--regions R1,R2").contains("AWS_REGION=");
    }

    // ---- through the real AWS CLI

    private record Result(int exit, String out, String err) {
    }

    private Result process(List<String> command) throws Exception {
        Path root = ProjectTools.root();
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("HITBREAKS_CLASSPATH", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        List.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE").forEach(pb.environment()::remove);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private Result aws(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProjectTools.tool("aws").toString()));
        cmd.addAll(List.of(args));
        return process(cmd);
    }

    @Test
    void awsHitBreaksRunsTheLauncherThroughTheAwsCliWithTheOptionsTheCliTookForItself() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        MotoAccount account = new MotoAccount(moto.endpoint());
        String east = account.runInstance("us-east-1", "t3.micro");
        String west = account.runInstance("eu-west-1", "t3.micro");
        Result install = process(List.of(ProjectTools.root().resolve("bin/aws-hit-breaks").toString(), "--install-alias"));
        assertThat(install.exit()).as(install.err()).isEqualTo(0);

        Result status = aws("hit", "breaks", "--status", "--local", "--state-region", "us-east-1", "--output", "json",
                "--endpoint-url", moto.endpoint().toString());

        assertThat(status.exit()).as(status.err()).isEqualTo(ExitCode.OK);
        assertThat(Json.mapper().readTree(status.out()).path("operations").isArray()).isTrue(); // --output json arrived

        // --region is taken by the AWS CLI; the launcher reads it back: only eu-west-1 is scanned
        Result discover = aws("--region", "eu-west-1", "hit", "breaks", "--discover", "--local", "--yes", "--output", "json",
                "--endpoint-url", moto.endpoint().toString());

        assertThat(discover.exit()).as(discover.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = Json.mapper().readTree(discover.out());
        assertThat(doc.path("regions").toString()).isEqualTo("[\"eu-west-1\"]");
        assertThat(discover.out()).contains(west).doesNotContain(east);

        Result wrong = aws("hit", "pause");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("usage: aws hit breaks");
    }
}
