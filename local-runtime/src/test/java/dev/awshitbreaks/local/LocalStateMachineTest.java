package dev.awshitbreaks.local;

import static dev.awshitbreaks.local.StateMachineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.local.LocalLambdaEndpoint.LambdaServiceFault;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real definition (statemachine/brake.asl.json), run by aws-local-stepfunctions, invoking the real
 * handlers through the local Lambda endpoint, against moto server with the real SDK.
 */
class LocalStateMachineTest {
    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";

    private StateMachineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new StateMachineFixture();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void stateMachinePausesAndResumesEc2InTwoRegions() {
        List<String> usRunning = fx.launch(US, 2, Map.of("env", "dev"));
        List<String> usStopped = fx.launch(US, 1, Map.of());
        fx.stop(US, usStopped);
        List<String> usProtected = fx.launch(US, 1, Map.of("aws-hit-breaks:protect", "true"));
        List<String> euRunning = fx.launch(EU, 1, Map.of());

        ExecutionResult pause = fx.run(request("pause", US, EU));

        assertThat(pause.succeeded()).as("%s%n%s", pause, fx.log()).isTrue();
        JsonNode out = pause.output();
        assertThat(out.path("status").asText()).isEqualTo("paused");
        assertThat(out.path("action").asText()).isEqualTo("pause");
        assertThat(out.path("counts").path("paused").asInt()).isEqualTo(3);
        assertThat(out.path("counts").path("skipped").asInt()).isEqualTo(1);
        assertThat(out.path("failures")).isEmpty();
        assertThat(out.path("failedTargets")).isEmpty();
        assertThat(out.path("snapshotId").asText()).isEqualTo(out.path("operationId").asText()).startsWith("pause-");
        assertThat(out.path("reportKey").asText()).contains(out.path("operationId").asText());
        assertThat(pause.count("StateEntered", "RunFirstPhaseTarget")).as("one Map iteration per region, EC2 in the compute phase").isEqualTo(2);
        usRunning.forEach(id -> assertThat(fx.states(US)).containsEntry(id, "stopped"));
        assertThat(fx.states(US)).containsEntry(usStopped.get(0), "stopped").containsEntry(usProtected.get(0), "running");
        assertThat(fx.states(EU)).containsEntry(euRunning.get(0), "stopped");

        ExecutionResult resume = fx.run(request("resume", US, EU));

        assertThat(resume.succeeded()).as("%s%n%s", resume, fx.log()).isTrue();
        JsonNode summary = resume.output();
        assertThat(summary.path("status").asText()).isEqualTo("resumed");
        assertThat(summary.path("snapshotId").asText()).isEqualTo(out.path("snapshotId").asText());
        assertThat(summary.path("counts").path("resumed").asInt()).isEqualTo(3);
        assertThat(summary.path("failedTargets")).isEmpty();
        usRunning.forEach(id -> assertThat(fx.states(US)).containsEntry(id, "running"));
        assertThat(fx.states(US)).containsEntry(usStopped.get(0), "stopped").containsEntry(usProtected.get(0), "running");
        assertThat(fx.states(EU)).containsEntry(euRunning.get(0), "running");
    }

    @Test
    void oneFailingTargetIsCaughtWhileOthersComplete() {
        List<String> us = fx.launch(US, 2, Map.of());
        List<String> eu = fx.launch(EU, 2, Map.of());
        Map<String, RequestStreamHandler> handlers = fx.handlers();
        handlers.put(LocalStateMachine.TARGET_FUNCTION, new FailingInRegion(EU, handlers.get(LocalStateMachine.TARGET_FUNCTION)));

        ExecutionResult pause = fx.run(request("pause", US, EU), handlers);

        assertThat(pause.succeeded()).as("%s%n%s", pause, fx.log()).isTrue();
        assertThat(pause.count("StateCaught", "RunFirstPhaseTarget")).isEqualTo(1);
        JsonNode out = pause.output();
        assertThat(out.path("counts").path("paused").asInt()).isEqualTo(2);
        assertThat(out.path("status").asText()).isEqualTo("partial");
        JsonNode failed = out.path("failedTargets");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("region").asText()).isEqualTo(EU);
        assertThat(failed.get(0).path("service").asText()).isEqualTo("ec2");
        assertThat(failed.get(0).path("error").asText())
                .contains(RegionUnavailableException.class.getName())
                .contains("eu-west-1 is unreachable from here");
        us.forEach(id -> assertThat(fx.states(US)).containsEntry(id, "stopped"));
        eu.forEach(id -> assertThat(fx.states(EU)).containsEntry(id, "running"));

        ExecutionResult resume = fx.run(request("resume", US, EU));

        assertThat(resume.succeeded()).as("the lock was released, so a resume runs: %s%n%s", resume, fx.log()).isTrue();
        assertThat(resume.output().path("counts").path("resumed").asInt()).isEqualTo(2);
        us.forEach(id -> assertThat(fx.states(US)).containsEntry(id, "running"));
    }

    @Test
    void invalidRequestFailsBeforeAnyChange() {
        List<String> us = fx.launch(US, 2, Map.of());
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(fx.handlers(), System.err)) {
            ExecutionResult result = fx.run("""
                    {"action":"pause","regions":["us-east-1","mars-north-9"],"services":["ec2"]}""", endpoint);

            assertThat(result.succeeded()).isFalse();
            assertThat(result.error()).isEqualTo("HitBreaks.InvalidRequest");
            assertThat(result.cause()).contains("mars-north-9").doesNotContain("stackTrace");
            assertThat(endpoint.invocations(LocalStateMachine.TARGET_FUNCTION)).isZero();
            assertThat(endpoint.invocations(LocalStateMachine.SUMMARIZE_FUNCTION)).isZero();
        }
        us.forEach(id -> assertThat(fx.states(US)).containsEntry(id, "running"));

        ExecutionResult pause = fx.run(request("pause", US));
        assertThat(pause.succeeded()).as("no lock was left behind: %s", pause).isTrue();
    }

    @Test
    void resumeWithoutSnapshotFailsWithSnapshotNotFound() {
        ExecutionResult result = fx.run(request("resume", US));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.error()).isEqualTo("HitBreaks.SnapshotNotFound");
        assertThat(result.cause()).contains("no paused snapshot");
    }

    @Test
    void lambdaServiceErrorsAreRetriedByTheStateMachine() {
        List<String> us = fx.launch(US, 1, Map.of());
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(fx.handlers(), System.err)) {
            endpoint.failNext(LocalStateMachine.PLAN_FUNCTION, 2, LambdaServiceFault.TOO_MANY_REQUESTS);
            endpoint.failNext(LocalStateMachine.TARGET_FUNCTION, 1, LambdaServiceFault.SERVICE);
            endpoint.failNext(LocalStateMachine.SUMMARIZE_FUNCTION, 1, LambdaServiceFault.TOO_MANY_REQUESTS);

            ExecutionResult pause = fx.run(request("pause", US), endpoint);

            assertThat(pause.succeeded()).as("%s%n%s", pause, fx.log()).isTrue();
            assertThat(pause.output().path("status").asText()).isEqualTo("paused");
            assertThat(pause.count("StateRetried", "Plan")).isEqualTo(2);
            assertThat(pause.count("StateRetried", "RunFirstPhaseTarget")).isEqualTo(1);
            assertThat(pause.count("StateRetried", "Summarize")).isEqualTo(1);
            assertThat(pause.history()).filteredOn(e -> "StateFailed".equals(e.type()))
                    .extracting(ExecutionResult.Event::error)
                    .containsExactlyInAnyOrder("Lambda.TooManyRequestsException", "Lambda.TooManyRequestsException",
                            "Lambda.ServiceException", "Lambda.TooManyRequestsException");
            assertThat(endpoint.invocations(LocalStateMachine.PLAN_FUNCTION)).isEqualTo(3);
            assertThat(endpoint.invocations(LocalStateMachine.TARGET_FUNCTION)).isEqualTo(2);
        }
        assertThat(fx.states(US)).containsEntry(us.get(0), "stopped");
    }

    @Test
    void discoverAndDryRunChangeNothingAndSucceed() {
        List<String> us = fx.launch(US, 2, Map.of());

        ExecutionResult discover = fx.run(request("discover", US, EU));
        assertThat(discover.succeeded()).as("%s%n%s", discover, fx.log()).isTrue();
        assertThat(discover.output().path("counts").path("discovered").asInt()).isEqualTo(2);

        ExecutionResult dryRun = fx.run("""
                {"action":"pause","regions":["us-east-1"],"services":["ec2"],"dryRun":true}""");
        assertThat(dryRun.succeeded()).as("%s%n%s", dryRun, fx.log()).isTrue();
        assertThat(dryRun.output().path("dryRun").asBoolean()).isTrue();
        us.forEach(id -> assertThat(fx.states(US)).containsEntry(id, "running"));
    }

    /** The error a target handler throws for one region, as a whole target can fail (an outage, a bug). */
    static final class RegionUnavailableException extends RuntimeException {
        RegionUnavailableException(String message) {
            super(message);
        }
    }

    /** Delegates to the real target handler, except for one region, where it throws. */
    private static final class FailingInRegion implements RequestStreamHandler {
        private final String region;
        private final RequestStreamHandler delegate;

        FailingInRegion(String region, RequestStreamHandler delegate) {
            this.region = region;
            this.delegate = delegate;
        }

        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
            byte[] payload = input.readAllBytes();
            if (region.equals(Json.mapper().readTree(payload).path("target").path("region").asText())) {
                throw new RegionUnavailableException(region + " is unreachable from here");
            }
            delegate.handleRequest(new ByteArrayInputStream(payload), output, context);
        }
    }
}
