package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.aws.RetrySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An unreachable endpoint ends the launcher within a minute with a clear message (exit 4), with the default retries
 * and timeouts (RetrySettings.defaults()): a port nobody listens on, and a server that accepts and never answers.
 */
class UnreachableEndpointTest {

    @Test
    void aRefusedEndpointEndsWithinAMinuteSayingAwsCannotBeReached() throws IOException {
        LauncherRun r;
        // a port held by a socket that is bound and never listens: connections to it are refused, and no server
        // another test JVM starts meanwhile can take it (as it could a port found free and then let go)
        try (Socket held = new Socket()) {
            held.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            URI nobody = URI.create("http://127.0.0.1:" + held.getLocalPort());
            r = LauncherRun.local(nobody, "--pause", "--region", "us-east-1", "--yes");
        }

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).contains("cannot reach AWS").contains("--endpoint-url").doesNotContain("\tat ");
        assertThat(r.millis()).as("wall time").isLessThan(60_000);
        System.out.printf("FIGURES unreachable (connection refused): exit %d after %d ms: %s%n", r.exit(), r.millis(), r.err().trim());
    }

    @Test
    void anEndpointThatNeverAnswersEndsWithinAMinuteSayingAwsCannotBeReached() throws Exception {
        LauncherRun r = againstBlackHole(Map.of());

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).contains("cannot reach AWS").contains("did not answer").doesNotContain("\tat ");
        assertThat(r.millis()).as("wall time").isLessThan(60_000);
        System.out.printf("FIGURES unreachable (never answers): exit %d after %d ms: %s%n", r.exit(), r.millis(), r.err().trim());
    }

    @Test
    void theAttemptAndCallTimeoutsFromTheEnvironmentBoundTheWait() throws Exception {
        // 2 s attempts within a 6 s call: the never-answering endpoint is given up on after about 6 s, not 45
        LauncherRun r = againstBlackHole(Map.of(RetrySettings.API_ATTEMPT_TIMEOUT_ENV, "2",
                RetrySettings.API_CALL_TIMEOUT_ENV, "6"));

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).contains("cannot reach AWS");
        assertThat(r.millis()).as("wall time").isBetween(5_000L, 20_000L);
    }

    @Test
    void anAttemptTimeoutLongerThanTheCallIsRefusedBeforeAnyCall() throws Exception {
        LauncherRun r = againstBlackHole(Map.of(RetrySettings.API_ATTEMPT_TIMEOUT_ENV, "120"));

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.err()).contains(RetrySettings.API_ATTEMPT_TIMEOUT_ENV + " '120'")
                .contains(RetrySettings.API_CALL_TIMEOUT_ENV);
        assertThat(r.millis()).as("refused at once, no call waited for").isLessThan(5_000);
    }

    /** The launcher pausing against a server that accepts connections and never answers. */
    private static LauncherRun againstBlackHole(Map<String, String> env) throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(blackHole.accept()); // accepted, never read, never answered
                    }
                } catch (IOException closed) {
                    // the test ended
                }
            }, "black-hole");
            acceptor.setDaemon(true);
            acceptor.start();

            return LauncherRun.local(URI.create("http://127.0.0.1:" + blackHole.getLocalPort()), env,
                    "--pause", "--region", "us-east-1", "--yes");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
