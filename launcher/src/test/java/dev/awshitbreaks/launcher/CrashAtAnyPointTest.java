package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.testing.EveryServiceAccount;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.FaultProxy.HoldPoint;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crash at any point: a real child JVM runs {@code aws-hit-breaks --pause --local --yes} through a {@link FaultProxy};
 * the proxy holds its k-th resource-changing call (after moto applied it: the change is made, its answer not yet
 * seen) and the test kills the child with SIGKILL ({@link Process#destroyForcibly} on Linux; checked by exit status
 * 137). Then the same pause, run again, takes over the dead run's lock and completes the operation, and a resume
 * restores every original state exactly. For every k, until the child finishes without meeting the hold; k = 0
 * holds the first changing call before it reaches moto (killed after the records were written, before any change).
 */
class CrashAtAnyPointTest {
    private static final List<String> REGIONS = List.of("us-east-1");
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(4);

    private MotoServer moto;
    private ProvisionedConcurrencyStub stub;
    private FaultProxy proxy;

    @BeforeEach
    void setUp() {
        moto = MotoServer.get();
        stub = ProvisionedConcurrencyStub.start(moto.endpoint());
        proxy = FaultProxy.builder(stub.endpoint()).start();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        stub.close();
    }

    @Test
    void aPauseKilledAfterAnyChangingCallIsCompletedByARerunAndResumedExactly() throws Exception {
        List<String> figures = new ArrayList<>();
        int k = 0;
        boolean finishedUnheld = false;
        while (!finishedUnheld) {
            assertThat(k).as("a small account has few changing calls").isLessThan(30);
            moto.reset();
            stub.reset();
            proxy.resetCounts();
            try (MixedAccount account = new MixedAccount(stub.endpoint())) {
                EveryServiceAccount every = new EveryServiceAccount(account);
                every.seed(REGIONS);
                Map<String, String> before = account.observe(REGIONS);

                FaultProxy.Hold hold = proxy.holdNth(Math.max(1, k), FaultProxy.RESOURCE_CHANGING,
                        k == 0 ? HoldPoint.BEFORE_FORWARD : HoldPoint.AFTER_FORWARD);
                Path log = Files.createTempFile("crash-child-", ".log");
                Process child = startPause(log);
                long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
                boolean held = false;
                while (child.isAlive() && System.nanoTime() < deadline) {
                    if (hold.awaitHeld(Duration.ofMillis(250))) {
                        held = true;
                        break;
                    }
                }
                if (held) {
                    child.destroyForcibly();
                    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(child.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
                    hold.release();
                    String killedAt = hold.call().service() + ":" + hold.call().operation();

                    LauncherRun again = LauncherRun.local(proxy.endpoint(), EveryServiceAccount.pauseArgs("--region", "us-east-1", "--yes",
                            "--output", "json"));
                    assertThat(again.exit()).as("k=%d (killed at %s): the re-run completes the pause%n%s", k, killedAt, again.err())
                            .isEqualTo(ExitCode.OK);
                    assertThat(account.observe(REGIONS)).as("k=%d (killed at %s)", k, killedAt)
                            .isEqualTo(every.expectedWhilePaused(before));
                    figures.add("k=" + k + " " + killedAt + " rerun " + again.millis() + " ms");
                } else {
                    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended in time").isTrue();
                    assertThat(child.exitValue()).as("k=%d: no k-th changing call, the child completes: %s", k,
                            Files.readString(log)).isEqualTo(ExitCode.OK);
                    hold.release();
                    finishedUnheld = true;
                    figures.add("k=" + k + " none: " + (k - 1) + " changing calls in all");
                }
                LauncherRun resume = LauncherRun.local(proxy.endpoint(), "--resume", "--yes");
                assertThat(resume.exit()).as("k=%d%n%s", k, resume.err()).isEqualTo(ExitCode.OK);
                assertThat(account.observe(REGIONS)).as("k=%d: every original state restored exactly", k).isEqualTo(before);
                Files.deleteIfExists(log);
            }
            k++;
        }
        assertThat(k).as("at least the six resources' changes were each interrupted").isGreaterThan(6);
        System.out.println("FIGURES crash at any point: " + figures);
    }

    /** {@code java -cp <test classpath> dev.awshitbreaks.launcher.Main --pause --local --yes ...} through the proxy. */
    private Process startPause(Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                "dev.awshitbreaks.launcher.Main", "--pause", "--service", "ec2", "--service", "rds", "--service", "aurora", "--service", "ecs",
                "--service", "autoscaling", "--service", "lambda", "--local", "--yes", "--endpoint-url", proxy.endpoint().toString(),
                "--state-region", "us-east-1", "--region", "us-east-1"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("HITBREAKS_"));
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        assertThat(classpath).contains(File.pathSeparator);
        return pb.start();
    }
}
