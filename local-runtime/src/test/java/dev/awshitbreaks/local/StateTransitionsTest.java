package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.testing.AddedKinds;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A state machine execution over 17 regions and every service takes at most 400 state transitions (issue #16), and
 * as many for an account holding resources as for an empty one: the count depends on the (region, service) targets,
 * never on the resources. Counted from the history of a real local run (aws-local-stepfunctions, real handlers,
 * moto), with the six first kinds and every added kind ({@code AddedKinds}) seeded in three regions. Not a timing test.
 *
 * <p>Issue #17 adds the read-only still-billing kind: one more target per region on a pause or discover (17 x 15), none
 * on a resume (nothing of it is recorded). The bound on resume, worked out from the definition: Plan, two Maps with one
 * Task per target (17 x 14 = 238),
 * the phase Choice, and the database wait (Pass, then at most 40 rounds of Task, Choice and Wait: 121), then
 * Summarize: 238 + 121 + about 10 = 369 at worst, before any retries.
 */
class StateTransitionsTest {
    static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
            "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1",
            "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1");
    /** Issues #16, #17: 17 regions x every service (15), about $0.01 an execution at Step Functions' $0.025 per 1,000. */
    private static final int MAX_TRANSITIONS = 400;

    @Test
    void pauseAndResumeOverSeventeenRegionsAndEveryServiceTakeAtMostFourHundredTransitionsWhateverTheResources() {
        assertThat(REGIONS).hasSize(17);
        try (AddedKinds.Endpoint stub = AddedKinds.endpoint(MotoServer.get().endpoint());
                StateMachineFixture fx = new StateMachineFixture(stub.uri())) {
            ExecutionResult emptyPause = fx.run(request("pause", true));
            assertThat(emptyPause.succeeded()).as("%s%n%s", emptyPause, fx.log()).isTrue();

            try (MixedAccount account = new MixedAccount(stub.uri())) {
                for (String region : REGIONS.subList(0, 3)) {
                    String suffix = region.replace("-", "");
                    fx.launch(region, 5, Map.of());
                    account.rdsInstance(region, "db-" + suffix, true, Map.of());
                    account.auroraCluster(region, "cl-" + suffix, true, Map.of());
                    account.ecsService(region, "c-" + suffix, "svc", 2, Optional.empty(), Map.of());
                    account.autoScalingGroup(region, "g-" + suffix, 0, 3, 1, List.of(), Map.of());
                    account.lambdaFunctionWithProvisionedConcurrency(region, "f-" + suffix, "live", 2, Map.of());
                }
                AddedKinds.seed(account, REGIONS.subList(0, 3));
            }
            ExecutionResult dryPause = fx.run(request("pause", true));
            ExecutionResult pause = fx.run(request("pause", false));
            assertThat(pause.succeeded()).as("%s%n%s", pause, fx.log()).isTrue();
            assertThat(pause.output().path("counts").path("paused").asInt()).as("resources were paused").isGreaterThan(20);
            ExecutionResult resume = fx.run(request("resume", false));
            assertThat(resume.succeeded()).as("%s%n%s", resume, fx.log()).isTrue();
            assertThat(resume.output().path("status").asText()).isEqualTo("resumed");

            System.out.printf("state transitions over 17 regions x " + ServiceKind.values().length + " services: dry-run pause (empty account) %d, "
                    + "dry-run pause (seeded) %d, pause %d, resume %d%n", emptyPause.stateTransitions(),
                    dryPause.stateTransitions(), pause.stateTransitions(), resume.stateTransitions());
            assertThat(dryPause.stateTransitions()).as("independent of the resources")
                    .isEqualTo(emptyPause.stateTransitions());
            for (ExecutionResult run : List.of(emptyPause, dryPause, pause, resume)) {
                assertThat(run.stateTransitions()).as("%s", run.history()).isLessThanOrEqualTo(MAX_TRANSITIONS);
            }
        }
    }

    private static String request(String action, boolean dryRun) {
        return """
                {"action":"%s","regions":[%s],"services":[%s],"dryRun":%s,"trigger":"manual"}""".formatted(action,
                quoted(REGIONS), quoted(Arrays.stream(ServiceKind.values()).map(ServiceKind::id).toList()), dryRun);
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(","));
    }
}
