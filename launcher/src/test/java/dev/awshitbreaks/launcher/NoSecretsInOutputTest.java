package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.CapturedOutput;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoAuth;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.RecordingProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No credential, session token or request signature ever appears in what the launcher writes or logs, on its
 * successful paths and its error paths (unreachable endpoint, credentials refused, permission refused, invalid
 * input). The launcher runs with distinctive fake credentials; everything is captured: its stdout and stderr, the
 * JVM's {@code System.out}/{@code System.err}, and java.util.logging with every logger at {@code ALL} (where the JDK's
 * HTTP client, which the SDK uses, would print request headers). The SDK's own logging goes through SLF4J, bound to
 * {@code slf4j-nop} in the launcher: the most verbose level our setup allows is none, which the test checks too.
 * The signatures and tokens that really went over the wire are recorded by a {@link RecordingProxy} and looked
 * for as well.
 */
class NoSecretsInOutputTest {
    static final String ACCESS_KEY = "AKIAMARKER7ACCESS0ID";
    static final String SECRET_KEY = "MarkerSecret/Key+0123456789abcdefGHIJKLMN";
    static final String TOKEN = "IQoJMarkerSessionToken//" + "Zq9".repeat(40) + "==";

    private CapturedOutput captured;

    @BeforeEach
    void captureEverything() {
        captured = CapturedOutput.start();
    }

    @AfterEach
    void restore() {
        captured.close();
    }

    /** What the test's own seeding clients logged (with the test's credentials) is not the launcher's. */
    private void forgetSeeding() {
        captured.forget();
    }

    record Run(int exit, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        int code = Launcher.run(t, args);
        Run r = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        captured.add(r.out() + r.err());
        return r;
    }

    private static Map<String, String> markers(String endpoint) {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_SESSION_TOKEN", TOKEN,
                "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", endpoint);
    }

    private void assertNoSecrets(List<String> secrets) {
        captured.assertContainsNone(secrets);
    }

    @Test
    void theSdkLogsThroughSlf4jNopSoItsMostVerboseLevelPrintsNothing() {
        assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).isEqualTo("org.slf4j.helpers.NOPLoggerFactory");
    }

    @Test
    void aPauseAndResumeWithEveryOutputNeverShowCredentialsTokensOrSignatures() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        try (MixedAccount account = new MixedAccount(moto.endpoint()); RecordingProxy proxy = RecordingProxy.forwardingTo(moto.endpoint())) {
            account.ec2Instance("us-east-1", "t3.micro", true, Map.of());
            Map<String, String> env = markers(proxy.endpoint().toString());
            forgetSeeding();

            assertThat(run(env, "--local", "--discover", "--region", "us-east-1", "--yes", "--output", "json").exit()).isEqualTo(ExitCode.OK);
            Run pause = run(env, "--local", "--pause", "--region", "us-east-1", "--yes", "--output", "json");
            assertThat(pause.exit()).as(pause.err()).isEqualTo(ExitCode.OK);
            String snapshot = Json.mapper().readTree(pause.out()).path("snapshotId").asText();
            assertThat(run(env, "--local", "--status").exit()).isEqualTo(ExitCode.OK);
            assertThat(run(env, "--local", "--status", "--snapshot", snapshot, "--output", "json").exit()).isEqualTo(ExitCode.OK);
            assertThat(run(env, "--local", "--resume", "--yes").exit()).isEqualTo(ExitCode.OK);
            assertThat(run(env, "--local", "--resume", "--snapshot", "../" + snapshot, "--yes").exit()).isEqualTo(ExitCode.INVALID_INPUT);
            assertThat(run(env, "--local", "--resume", "--yes").exit()).as("nothing left to resume").isEqualTo(ExitCode.INVALID_INPUT);

            assertThat(proxy.signaturesAndTokens()).as("the token and signatures really went over the wire").contains(TOKEN)
                    .hasSizeGreaterThan(10);
            List<String> secrets = new ArrayList<>(List.of(ACCESS_KEY, SECRET_KEY, TOKEN));
            secrets.addAll(proxy.signaturesAndTokens());
            assertNoSecrets(secrets);
        }
    }

    @Test
    void refusedCredentialsRefusedPermissionsAndAnUnreachableEndpointNeverShowThem() {
        MotoServer own = MotoServer.start();
        try (RecordingProxy proxy = RecordingProxy.forwardingTo(own.endpoint())) {
            MotoAuth.AccessKey nobody = MotoAuth.userWithoutPermissions(own.endpoint(), "nobody");
            MotoAuth.enable(own.endpoint());
            forgetSeeding();

            Run refused = run(markers(proxy.endpoint().toString()), "--local", "--pause", "--yes");
            assertThat(refused.exit()).as(refused.err()).isEqualTo(ExitCode.AWS_ERROR);
            assertThat(refused.err()).contains("credentials were refused");
            Run refusedByDynamoDb = run(markers(proxy.endpoint().toString()), "--local", "--status", "--bucket", "some-bucket");
            assertThat(refusedByDynamoDb.exit()).as(refusedByDynamoDb.err()).isEqualTo(ExitCode.AWS_ERROR);
            assertThat(refusedByDynamoDb.err()).contains("refused");
            assertThat(refused.err()).doesNotContain("null");

            Map<String, String> nobodyEnv = new HashMap<>(Map.of("AWS_ACCESS_KEY_ID", nobody.id(), "AWS_SECRET_ACCESS_KEY",
                    nobody.secret(), "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", proxy.endpoint().toString()));
            // with --bucket the first call is DynamoDB's (not STS GetCallerIdentity), which moto answers AccessDeniedException
            Run denied = run(nobodyEnv, "--local", "--status", "--bucket", "some-bucket");
            assertThat(denied.exit()).as(denied.err()).isEqualTo(ExitCode.AWS_ERROR);
            // moto's authorization errors carry no error code the SDK reads, so this is the launcher's HTTP 403 message
            assertThat(denied.err()).containsAnyOf("missing permission", "refused the call (HTTP 403", "the AWS credentials were refused");

            Run unreachable = run(markers("http://127.0.0.1:1"), "--local", "--status");
            assertThat(unreachable.exit()).as(unreachable.err()).isEqualTo(ExitCode.AWS_ERROR);
            assertThat(unreachable.err()).contains("cannot reach AWS");

            assertThat(proxy.signaturesAndTokens()).contains(TOKEN);
            List<String> secrets = new ArrayList<>(List.of(ACCESS_KEY, SECRET_KEY, TOKEN, nobody.id(), nobody.secret()));
            secrets.addAll(proxy.signaturesAndTokens());
            assertNoSecrets(secrets);
        } finally {
            own.stop();
        }
    }
}
