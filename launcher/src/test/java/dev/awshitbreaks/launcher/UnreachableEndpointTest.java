package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.testing.MotoServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An unreachable endpoint ends the launcher within a minute with a clear message (exit 4), with the default retries
 * and timeouts (RetrySettings.defaults()): a port nobody listens on, and a server that accepts and never answers.
 */
class UnreachableEndpointTest {

    @Test
    void aRefusedEndpointEndsWithinAMinuteSayingAwsCannotBeReached() throws IOException {
        URI nobody = URI.create("http://127.0.0.1:" + MotoServer.freePort());

        LauncherRun r = LauncherRun.local(nobody, "--pause", "--region", "us-east-1", "--yes");

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).contains("cannot reach AWS").contains("--endpoint-url").doesNotContain("\tat ");
        assertThat(r.millis()).as("wall time").isLessThan(60_000);
        System.out.printf("FIGURES unreachable (connection refused): exit %d after %d ms: %s%n", r.exit(), r.millis(), r.err().trim());
    }

    @Test
    void anEndpointThatNeverAnswersEndsWithinAMinuteSayingAwsCannotBeReached() throws Exception {
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

            LauncherRun r = LauncherRun.local(URI.create("http://127.0.0.1:" + blackHole.getLocalPort()),
                    "--pause", "--region", "us-east-1", "--yes");

            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.AWS_ERROR);
            assertThat(r.err()).contains("cannot reach AWS").contains("did not answer").doesNotContain("\tat ");
            assertThat(r.millis()).as("wall time").isLessThan(60_000);
            System.out.printf("FIGURES unreachable (never answers): exit %d after %d ms: %s%n", r.exit(), r.millis(), r.err().trim());
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
