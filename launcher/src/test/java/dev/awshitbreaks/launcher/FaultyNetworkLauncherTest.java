package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.testing.EveryServiceAccount;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faulty network through the launcher: every AWS call (EC2, RDS, ECS, Application Auto Scaling, Auto Scaling,
 * Lambda, DynamoDB, S3, STS) passes a {@link FaultProxy} that throttles 20%, answers 5% with a server error and
 * drops 2% of connections (half of them after moto applied the call). A pause then a resume of a two-region
 * account holding every service must end with every resource exactly as before. Seed: {@code -Dreliability.seed=N}.
 */
class FaultyNetworkLauncherTest {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    private static final long SEED = Long.getLong("reliability.seed", 20261125L);

    private ProvisionedConcurrencyStub stub;
    private MixedAccount account;
    private FaultProxy proxy;

    @BeforeEach
    void setUp() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        stub = ProvisionedConcurrencyStub.start(moto.endpoint());
        account = new MixedAccount(stub.endpoint());
        proxy = FaultProxy.builder(stub.endpoint()).seed(SEED).throttle(0.20).serverError(0.05).drop(0.02).start();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        account.close();
        stub.close();
    }

    @Test
    void pauseAndResumeThroughTheLauncherRestoreEveryResourceExactlyDespiteThrottlesErrorsAndDrops() throws Exception {
        EveryServiceAccount every = new EveryServiceAccount(account);
        every.seed(REGIONS);
        Map<String, String> before = account.observe(REGIONS);

        LauncherRun pause = LauncherRun.local(proxy.endpoint(), EveryServiceAccount.pauseArgs("--region", "us-east-1", "--region", "eu-west-1",
                "--yes", "--output", "json"));
        assertThat(pause.exit()).as("seed %d%n%s", SEED, pause.err()).isEqualTo(ExitCode.OK);
        assertThat(pause.json().path("counts").path("paused").asInt()).isEqualTo(EveryServiceAccount.PAUSED_PER_REGION * 2);
        assertThat(account.observe(REGIONS)).as("seed %d", SEED).isEqualTo(every.expectedWhilePaused(before));
        Map<String, Long> pauseFaults = proxy.faults();
        long pauseCalls = proxy.calls().size();
        proxy.resetCounts();

        LauncherRun resume = LauncherRun.local(proxy.endpoint(), "--resume", "--yes", "--output", "json");
        assertThat(resume.exit()).as("seed %d%n%s", SEED, resume.err()).isEqualTo(ExitCode.OK);
        assertThat(resume.json().path("status").asText()).isEqualTo("resumed");
        assertThat(account.observe(REGIONS)).as("exactly as before the pause; seed %d", SEED).isEqualTo(before);

        Map<String, Long> resumeFaults = proxy.faults();
        assertThat(pauseFaults.getOrDefault("throttled", 0L) + resumeFaults.getOrDefault("throttled", 0L))
                .as("the faults really happened").isPositive();
        assertThat(pauseFaults.getOrDefault("serverError", 0L) + resumeFaults.getOrDefault("serverError", 0L)).isPositive();
        System.out.printf("FIGURES launcher faulty network seed=%d pause: %d calls %s in %d ms; resume: %d calls %s in %d ms%n",
                SEED, pauseCalls, pauseFaults, pause.millis(), proxy.calls().size(), resumeFaults, resume.millis());
    }
}
