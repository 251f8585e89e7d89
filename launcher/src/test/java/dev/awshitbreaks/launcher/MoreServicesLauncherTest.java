package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.testing.AddedKinds;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every kind added by issue #16 ({@link AddedKinds}), seeded in two regions, paused and resumed by the launcher
 * ({@code --local}, each named with {@code --service}): the JSON report lists each as paused, then resumed, and the
 * account is exactly as before.
 */
class MoreServicesLauncherTest {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

    @Test
    void everyAddedKindNamedWithServiceIsPausedAndThenRestoredExactly() throws Exception {
        assertThat(AddedKinds.ALL).as("the kinds issue #16 adds").isNotEmpty();
        MotoServer moto = MotoServer.get();
        moto.reset();
        try (AddedKinds.Endpoint endpoint = AddedKinds.endpoint(moto.endpoint());
                MixedAccount account = new MixedAccount(endpoint.uri())) {
            AddedKinds.seed(account, REGIONS);
            Map<String, String> before = account.observe(REGIONS);

            LauncherRun pause = LauncherRun.local(endpoint.uri(), args("--pause"));
            assertThat(pause.exit()).as(pause.err()).isEqualTo(ExitCode.OK);
            assertEveryAddedKindReported(pause.json(), "paused", before.size());
            assertThat(account.observe(REGIONS)).as("while paused").isEqualTo(AddedKinds.expectedWhilePaused(before));

            LauncherRun resume = LauncherRun.local(endpoint.uri(), args("--resume"));
            assertThat(resume.exit()).as(resume.err()).isEqualTo(ExitCode.OK);
            assertEveryAddedKindReported(resume.json(), "resumed", before.size());
            assertThat(account.observe(REGIONS)).as("exactly as before").isEqualTo(before);
        }
    }

    private static String[] args(String action) {
        List<String> args = new ArrayList<>(List.of(action, "--yes", "--output", "json"));
        if (action.equals("--pause")) {
            REGIONS.forEach(r -> args.addAll(List.of("--region", r)));
            AddedKinds.services().forEach(s -> args.addAll(List.of("--service", s)));
        }
        return args.toArray(String[]::new);
    }

    private static void assertEveryAddedKindReported(JsonNode report, String outcome, int observed) {
        List<String> changed = new ArrayList<>();
        for (JsonNode r : report.path("resources")) {
            if (r.path("outcome").asText().equals(outcome)) {
                changed.add(r.path("service").asText() + ":" + r.path("region").asText());
            }
        }
        for (String service : AddedKinds.services()) {
            for (String region : REGIONS) {
                assertThat(changed).as("%s %s in %s: %s", outcome, service, region, report).contains(service + ":" + region);
            }
        }
        assertThat(changed).as("one %s row per resource observed", outcome).hasSize(observed);
    }
}
