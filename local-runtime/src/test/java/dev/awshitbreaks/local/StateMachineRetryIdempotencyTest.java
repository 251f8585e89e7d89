package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.local.LocalLambdaEndpoint.LambdaServiceFault;
import dev.awshitbreaks.testing.EveryServiceAccount;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The state machine retries a task whose answer was lost after it did its work (the local Lambda endpoint runs
 * the handler, then answers Lambda.ServiceException): a retried Plan re-enters its own lock (it is keyed to the
 * execution), and a retried Target does no harm (every original state recorded once, as it was).
 */
class StateMachineRetryIdempotencyTest {
    private static final List<String> REGIONS = List.of("us-east-1");

    private ProvisionedConcurrencyStub stub;
    private StateMachineFixture fx;
    private MixedAccount account;

    @BeforeEach
    void setUp() {
        stub = ProvisionedConcurrencyStub.start(MotoServer.get().endpoint());
        fx = new StateMachineFixture(stub.endpoint());
        account = new MixedAccount(stub.endpoint());
    }

    @AfterEach
    void tearDown() {
        account.close();
        fx.close();
        stub.close();
    }

    @Test
    void aPlanRetriedAfterItTookTheLockReentersItAndThePauseCompletes() {
        EveryServiceAccount every = new EveryServiceAccount(account);
        every.seed(REGIONS);
        Map<String, String> before = account.observe(REGIONS);

        ExecutionResult pause;
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(fx.handlers())) {
            endpoint.failAfterNext(LocalStateMachine.PLAN_FUNCTION, 1, LambdaServiceFault.SERVICE);
            pause = fx.run(request("pause"), endpoint);
            assertThat(endpoint.invocations(LocalStateMachine.PLAN_FUNCTION)).as("Plan ran, its answer was lost, it ran again")
                    .isEqualTo(2);
        }

        assertThat(pause.succeeded()).as("%s%n%s", pause, fx.log()).isTrue();
        assertThat(pause.output().path("status").asText()).as("not OperationInProgress: %s", pause.output()).isEqualTo("paused");
        assertThat(fx.engine.store().lock()).as("the lock is released at the end").isEmpty();
        assertThat(fx.engine.store().headers()).as("one operation, written twice the same").hasSize(1);
        assertThat(account.observe(REGIONS)).isEqualTo(every.expectedWhilePaused(before));

        ExecutionResult resume = fx.run(request("resume"));
        assertThat(resume.succeeded()).as("%s%n%s", resume, fx.log()).isTrue();
        assertThat(account.observe(REGIONS)).as("exactly as before").isEqualTo(before);
    }

    @Test
    void aTargetRetriedAfterItPausedItsResourcesDoesNoHarm() {
        EveryServiceAccount every = new EveryServiceAccount(account);
        every.seed(REGIONS);
        Map<String, String> before = account.observe(REGIONS);

        ExecutionResult pause;
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(fx.handlers())) {
            // Every compute target's first attempt pauses its resources, then its answer is lost.
            endpoint.failAfterNext(LocalStateMachine.TARGET_FUNCTION, 4, LambdaServiceFault.SERVICE);
            pause = fx.run(request("pause"), endpoint);
            assertThat(endpoint.invocations(LocalStateMachine.TARGET_FUNCTION)).as("6 targets, 4 of them twice").isEqualTo(10);
        }

        assertThat(pause.succeeded()).as("%s%n%s", pause, fx.log()).isTrue();
        JsonNode out = pause.output();
        assertThat(out.path("status").asText()).as("%s", out).isEqualTo("paused");
        assertThat(out.path("counts").path("paused").asInt()).as("what the first attempts paused is still reported: %s", out)
                .isEqualTo(EveryServiceAccount.PAUSED_PER_REGION);
        assertThat(account.observe(REGIONS)).isEqualTo(every.expectedWhilePaused(before));

        ExecutionResult resume;
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(fx.handlers())) {
            endpoint.failAfterNext(LocalStateMachine.TARGET_FUNCTION, 6, LambdaServiceFault.SERVICE);
            resume = fx.run(request("resume"), endpoint);
        }
        assertThat(resume.succeeded()).as("%s%n%s", resume, fx.log()).isTrue();
        assertThat(account.observe(REGIONS)).as("the original states, recorded once, restored exactly").isEqualTo(before);
    }

    private static String request(String action) {
        return """
                {"action":"%s","regions":["us-east-1"],"services":["ec2","rds","aurora","ecs","autoscaling","lambda"],\
                "trigger":"manual"}""".formatted(action);
    }
}
