package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.ServiceKind;
import org.junit.jupiter.api.Test;

class SnapStartPrimingTest {
    @Test
    void primingRunsADiscoveryOfEveryServiceOfflineWithoutThrowing() {
        // the offline endpoint (closed loopback port) refuses every call; priming swallows that and goes on
        assertThat(SnapStartPriming.prime("eu-west-1")).isEqualTo(ServiceKind.values().length);
        assertThat(SnapStartPriming.prime(null)).as("no AWS_REGION: us-east-1").isEqualTo(ServiceKind.values().length);
    }
}
