package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.AddedKinds;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every kind added by issue #16 ({@link AddedKinds}), seeded in two regions, paused and resumed by the real state
 * machine with the real handlers (whose calls are checked against their roles in template.yaml by the IAM coverage
 * check): while paused each is as a correct pause leaves it, and after the resume the account is exactly as before.
 */
class MoreServicesStateMachineTest {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

    @Test
    void everyAddedKindIsPausedAndThenRestoredExactlyByTheStateMachine() {
        assertThat(AddedKinds.ALL).as("the kinds issue #16 adds").isNotEmpty();
        try (AddedKinds.Endpoint endpoint = AddedKinds.endpoint(MotoServer.get().endpoint());
                StateMachineFixture fx = new StateMachineFixture(endpoint.uri());
                MixedAccount account = new MixedAccount(endpoint.uri())) {
            AddedKinds.seed(account, REGIONS);
            Map<String, String> before = account.observe(REGIONS);
            for (String service : AddedKinds.services()) {
                for (String region : REGIONS) {
                    assertThat(before.keySet()).as("seeded and observed: %s in %s", service, region)
                            .anyMatch(k -> k.startsWith(service + ":" + region + ":"));
                }
            }

            ExecutionResult pause = fx.run(request("pause"));
            assertThat(pause.succeeded()).as("%s%n%s", pause, fx.log()).isTrue();
            assertThat(pause.output().path("status").asText()).as("%s", pause.output()).isEqualTo("paused");
            assertThat(account.observe(REGIONS)).as("while paused").isEqualTo(AddedKinds.expectedWhilePaused(before));

            ExecutionResult resume = fx.run(request("resume"));
            assertThat(resume.succeeded()).as("%s%n%s", resume, fx.log()).isTrue();
            assertThat(resume.output().path("status").asText()).as("%s", resume.output()).isEqualTo("resumed");
            assertThat(account.observe(REGIONS)).as("exactly as before").isEqualTo(before);
        }
    }

    private static String request(String action) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("action", action);
        request.put("regions", REGIONS);
        request.put("services", AddedKinds.services());
        request.put("trigger", "manual");
        return Json.write(request);
    }
}
