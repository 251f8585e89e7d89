package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.snapshot.CorruptSnapshotException;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's mapping of stored records to pauser input, and back. No AWS involved. */
class PauserInputTest {
    private static final String SNAPSHOT = "pause-20261125-181921-3fa9c1";
    private static final Instant AT = Instant.parse("2026-11-25T18:19:21Z");

    private static SnapshotRecord record(ServiceKind service, String id, Map<String, Object> original) {
        return new SnapshotRecord(SNAPSHOT, service, "us-east-1", id, "t", "n", Map.of(), original, Outcome.PAUSED, null, AT, AT);
    }

    @Test
    void aRecordBecomesItsServicesTypedStateAndTheStateIsStoredAsTheSameObject() {
        OriginalState.AutoScalingGroup group = new OriginalState.AutoScalingGroup(1, 4, 2, List.of("AZRebalance"));
        Map<String, Object> stored = PauserInput.stored(group);
        assertThat(stored).containsExactly(Map.entry("minSize", 1), Map.entry("maxSize", 4), Map.entry("desiredCapacity", 2),
                Map.entry("suspendedProcesses", List.of("AZRebalance")));
        assertThat(PauserInput.of(record(ServiceKind.AUTOSCALING, "workers", stored)).original()).isEqualTo(group);
    }

    @Test
    void anUnreadableOriginalStateIsACorruptSnapshotNamingTheRecordAndTheField() {
        assertThatThrownBy(() -> PauserInput.of(record(ServiceKind.AUTOSCALING, "workers",
                Map.of("minSize", "1", "maxSize", 4, "desiredCapacity", 2, "suspendedProcesses", List.of()))))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessage("snapshot " + SNAPSHOT + " has an unreadable record 'us-east-1#autoscaling#workers': its original "
                        + "state is unreadable: field 'minSize' has the wrong type: expected a whole number");
    }

    @Test
    void aResumeTargetReportsAnUnreadableRecordFailedAndLeavesItOutOfThePausersInput() {
        PauserInput.ForResume input = PauserInput.forResume(List.of(
                record(ServiceKind.EC2, "i-0123456789abcdef0", Map.of("state", "running", "instanceType", "t3.micro")),
                record(ServiceKind.EC2, "i-0123456789abcdef1", Map.of("instanceType", "t3.micro"))));
        assertThat(input.resources()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("i-0123456789abcdef0");
            assertThat(r.original()).isEqualTo(new OriginalState.Ec2Instance("running", "t3.micro"));
        });
        assertThat(input.unreadable()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("i-0123456789abcdef1");
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.reason()).contains("field 'state' is missing").endsWith("record left as it is");
        });
    }
}
