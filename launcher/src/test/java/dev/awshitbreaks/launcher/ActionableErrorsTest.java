package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * Errors a person can act on, each saying what to do next and never printing a stack trace. Credentials and
 * permissions are checked by a moto server of its own with IAM authorisation on
 * ({@code INITIAL_NO_AUTH_ACTION_COUNT}): its first two requests create a user without policies and its key;
 * every request after that is authenticated and authorised as AWS would.
 */
class ActionableErrorsTest {
    private static MotoServer authMoto;
    private static AccessKey powerless;
    @TempDir
    Path home;

    @BeforeAll
    static void startMotoWithIamAuthorisation() {
        authMoto = MotoServer.start(Map.of("INITIAL_NO_AUTH_ACTION_COUNT", "2"));
        try (IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(authMoto.endpoint())
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            iam.createUser(b -> b.userName("no-permissions"));
            powerless = iam.createAccessKey(b -> b.userName("no-permissions")).accessKey();
        }
    }

    @AfterAll
    static void stop() {
        authMoto.stop();
    }

    private InProcess.Run withKeys(String key, String secret, String... args) {
        return new InProcess(home).env("AWS_ACCESS_KEY_ID", key).env("AWS_SECRET_ACCESS_KEY", secret).run(args);
    }

    @Test
    void aMissingPermissionIsNamedWithWhatToDo() {
        InProcess.Run local = withKeys(powerless.accessKeyId(), powerless.secretAccessKey(), "--status", "--local",
                "--endpoint-url", authMoto.endpoint().toString(), "--state-region", "us-east-1", "--bucket", "some-bucket");
        InProcess.Run remote = withKeys(powerless.accessKeyId(), powerless.secretAccessKey(), "--status",
                "--endpoint-url", authMoto.endpoint().toString(), "--state-region", "us-east-1");

        assertThat(local.exit()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(local.err()).contains("missing permission dynamodb:DescribeTable").contains("Grant dynamodb:DescribeTable")
                .doesNotContain("\tat ");
        assertThat(remote.exit()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(remote.err()).contains("missing permission cloudformation:DescribeStacks").doesNotContain("\tat ");
    }

    @Test
    void refusedCredentialsSayToRefreshThem() {
        InProcess.Run r = withKeys("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "--status", "--local",
                "--endpoint-url", authMoto.endpoint().toString(), "--state-region", "us-east-1", "--bucket", "some-bucket");

        assertThat(r.exit()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).contains("the AWS credentials were refused").contains("aws sso login").doesNotContain("\tat ");
    }

    @Test
    void noCredentialsAtAllSayHowToConfigureThem() throws Exception {
        Path root = ProjectTools.root();
        ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/aws-hit-breaks").toString(), "--status", "--local",
                "--endpoint-url", authMoto.endpoint().toString(), "--state-region", "us-east-1");
        new ArrayList<>(pb.environment().keySet()).stream().filter(k -> k.startsWith("AWS_")).forEach(pb.environment()::remove);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put("HITBREAKS_CLASSPATH", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(out).contains("no AWS credentials were found").contains("aws configure").doesNotContain("\tat ");
    }

    @Test
    void anUnreachableEndpointSaysWhatToCheck() {
        InProcess.Run r = withKeys("testing", "testing", "--status", "--stack", "aws-hit-breaks", "--state-region", "us-east-1",
                "--endpoint-url", "http://127.0.0.1:1");

        assertThat(r.exit()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).contains("cannot reach AWS").contains("--endpoint-url").doesNotContain("\tat ");
    }

    @Test
    void noStackFoundSaysHowToDeployIt() {
        InProcess.Run r = withKeys("testing", "testing", "--pause", "--yes", "--stack", "not-deployed", "--state-region", "eu-west-1",
                "--endpoint-url", MotoServer.get().endpoint().toString());

        assertThat(r.exit()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).contains("no stack named 'not-deployed' in eu-west-1").contains("sam build && sam deploy --guided")
                .contains("--local").doesNotContain("\tat ");
        assertThat(List.of(r.out())).containsExactly("");
        assertThat(Files.exists(home.resolve(".aws-hit-breaks"))).isFalse();
    }
}
