package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Faulty network through the state machine: the real definition run by aws-local-stepfunctions, its handlers'
 * every AWS call (the services, DynamoDB, S3) passing a {@link FaultProxy} that throttles 20%, answers 5% with a
 * server error and drops 2% of connections. A pause then a resume of a two-region account holding every service
 * end with every resource exactly as before. Seed: {@code -Dreliability.seed=N}.
 */
class StateMachineFaultyNetworkTest {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    private static final long SEED = Long.getLong("reliability.seed", 20261125L);

    private ProvisionedConcurrencyStub stub;
    private FaultProxy proxy;
    private StateMachineFixture fx;
    private MixedAccount account;

    @BeforeEach
    void setUp() {
        stub = ProvisionedConcurrencyStub.start(MotoServer.get().endpoint());
        proxy = FaultProxy.builder(stub.endpoint()).seed(SEED).throttle(0.20).serverError(0.05).drop(0.02).start();
        // resets moto; creates the table and bucket through the proxy, which the handlers call directly (no recording proxy)
        fx = new StateMachineFixture(proxy.endpoint(), false);
        account = new MixedAccount(stub.endpoint());
    }

    @AfterEach
    void tearDown() {
        account.close();
        fx.close();
        proxy.close();
        stub.close();
    }

    @Test
    void stateMachinePausesAndResumesEveryServiceExactlyDespiteThrottlesErrorsAndDrops() {
        EveryServiceAccount every = new EveryServiceAccount(account);
        every.seed(REGIONS);
        Map<String, String> before = account.observe(REGIONS);
        proxy.resetCounts();

        long start = System.nanoTime();
        ExecutionResult pause = fx.run(request("pause"));
        long pauseMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(pause.succeeded()).as("seed %d: %s%n%s", SEED, pause, fx.log()).isTrue();
        JsonNode out = pause.output();
        assertThat(out.path("status").asText()).as("seed %d: %s", SEED, out).isEqualTo("paused");
        assertThat(out.path("counts").path("paused").asInt()).isEqualTo(EveryServiceAccount.PAUSED_PER_REGION * 2);
        assertThat(account.observe(REGIONS)).as("seed %d", SEED).isEqualTo(every.expectedWhilePaused(before));
        Map<String, Long> pauseFaults = proxy.faults();
        long pauseCalls = proxy.calls().size();
        proxy.resetCounts();

        start = System.nanoTime();
        ExecutionResult resume = fx.run(request("resume"));
        long resumeMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(resume.succeeded()).as("seed %d: %s%n%s", SEED, resume, fx.log()).isTrue();
        assertThat(resume.output().path("status").asText()).as("seed %d: %s", SEED, resume.output()).isEqualTo("resumed");
        assertThat(account.observe(REGIONS)).as("exactly as before the pause; seed %d", SEED).isEqualTo(before);

        assertThat(pauseFaults.getOrDefault("throttled", 0L) + proxy.faults().getOrDefault("throttled", 0L))
                .as("the faults really happened").isPositive();
        System.out.printf("FIGURES state machine faulty network seed=%d pause: %d calls %s in %d ms; resume: %d calls %s in %d ms%n",
                SEED, pauseCalls, pauseFaults, pauseMillis, proxy.calls().size(), proxy.faults(), resumeMillis);
    }

    private static String request(String action) {
        return """
                {"action":"%s","regions":["us-east-1","eu-west-1"],"services":["ec2","rds","aurora","ecs","autoscaling","lambda"],\
                "trigger":"manual"}""".formatted(action);
    }
}
