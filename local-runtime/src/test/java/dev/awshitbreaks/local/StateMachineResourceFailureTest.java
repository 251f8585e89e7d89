package dev.awshitbreaks.local;

import static dev.awshitbreaks.local.StateMachineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MotoServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One resource the service refuses to change, through the real definition and handlers: EC2 answers the StopInstances
 * of one instance with {@code UnsupportedOperation} (a {@link FaultProxy} answers in moto's place, which stops any
 * instance). The target function records that instance as failed (the record's phase, updated in DynamoDB), the
 * others pause, and the summary says partial. Its handlers' calls are recorded like every state machine test's
 * (docs/tooling.md, "IAM policies checked against the calls"): this is the run in which the target function updates a
 * record's phase.
 */
class StateMachineResourceFailureTest {
    private static final String US = "us-east-1";

    @Test
    void anInstanceEc2RefusesToStopIsRecordedFailedWhileTheOthersPause() {
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start();
                StateMachineFixture fx = new StateMachineFixture(proxy.endpoint())) {
            List<String> ids = fx.launch(US, 3, Map.of());
            String refused = ids.get(0);
            proxy.respondInstead(c -> c.service().equals("ec2") && c.operation().equals("StopInstances")
                    && c.form().containsValue(refused), 100, c -> new FaultProxy.Answer(400, "text/xml;charset=UTF-8",
                            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>UnsupportedOperation</Code>"
                                    + "<Message>The instance '" + refused + "' cannot be stopped.</Message></Error></Errors>"
                                    + "<RequestID>8c6c3b3e-0000-4000-8000-000000000000</RequestID></Response>"));

            ExecutionResult pause = fx.run(request("pause", US));

            assertThat(pause.succeeded()).as("%s%n%s", pause, fx.log()).isTrue();
            JsonNode out = pause.output();
            assertThat(out.path("status").asText()).isEqualTo("partial");
            assertThat(out.path("counts").path("paused").asInt()).isEqualTo(2);
            assertThat(out.path("counts").path("failed").asInt()).isEqualTo(1);
            assertThat(out.toString()).contains(refused).contains("UnsupportedOperation");
            assertThat(fx.states(US)).containsEntry(refused, "running")
                    .containsEntry(ids.get(1), "stopped").containsEntry(ids.get(2), "stopped");
            assertThat(fx.engine.store().records(out.path("snapshotId").asText(), null, null))
                    .filteredOn(r -> r.id().equals(refused)).singleElement()
                    .satisfies(r -> assertThat(r.phase()).isEqualTo(Outcome.FAILED));
        }
    }
}
