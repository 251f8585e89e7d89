package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.core.ServiceKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class SnapStartPrimingTest {
    @Test
    void primingRunsADiscoveryOfEveryServiceOfflineWithoutThrowing() {
        // the offline endpoint (closed loopback port) refuses every call; priming swallows that and goes on
        assertThat(SnapStartPriming.prime("eu-west-1")).isEqualTo(ServiceKind.values().length);
        assertThat(SnapStartPriming.prime(null)).as("no AWS_REGION: us-east-1").isEqualTo(ServiceKind.values().length);
    }

    @Test
    void theWritePathIsPrimedOfflineEachCallRefusedByTheClosedPort() {
        long start = System.nanoTime();
        List<RuntimeException> failures = SnapStartPriming.primeWritePath("eu-west-1");
        double seconds = (System.nanoTime() - start) / 1e9;
        // the records' query, their batch write and the result document's PUT: each made, each refused
        assertThat(failures).hasSize(3).allSatisfy(f -> assertThat(f).isInstanceOf(SdkClientException.class)
                .hasMessageContaining("Connection refused").hasMessageContaining("Attempt Count: 1"));
        assertThat(seconds).as("refused at once, never retried or waited on").isLessThan(10);
    }

    @Test
    void aHandlerBuiltWithoutItsEnvironmentReportsWhatIsMissingOnItsInvocation() throws Exception {
        // the constructor starts building the engine in the background; that build fails (no SNAPSHOT_TABLE here)
        // and the invocation must still fail with the same error, naming the variable, rather than hang or hide it
        TargetHandler handler = new TargetHandler();
        String task = """
                {"operationId":"pause-20261125-120000-000001","snapshotId":"pause-20261125-120000-000001",\
                "action":"pause","dryRun":false,"request":{"action":"pause","regions":["us-east-1"],"services":["ec2"],\
                "tags":{},"excludeTags":{},"excludeIds":[],"dryRun":false,"snapshotId":null,"trigger":"manual"},\
                "startedAt":"2026-11-25T12:00:00Z","target":{"region":"us-east-1","service":"ec2"}}""";
        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream(task.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SNAPSHOT_TABLE");
        FunctionEnvironment.awaitBackground(); // and the background thread has ended
    }
}
