package dev.awshitbreaks.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.awshitbreaks.snapshot.SnapshotStore;
import dev.awshitbreaks.testing.Bounded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fuzz tests (Jazzer) of the request document and of ids, the untrusted input of the state machine, the launcher
 * and the triggers. In the normal test run they replay the seed corpus in {@code RequestFuzzTestInputs/<method>/};
 * {@code JAZZER_FUZZ=1} fuzzes (see docs/reliability.md). Properties: only {@link InvalidRequestException} escapes,
 * its message shows no control character, a request that passes is within every documented bound, and nothing hangs.
 */
class RequestFuzzTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @FuzzTest
    void requestDocument(byte[] data) throws Exception {
        String json = new String(data, StandardCharsets.UTF_8);
        Bounded.run(LIMIT, () -> {
            Request r;
            try {
                r = Request.fromJson(json).validated();
            } catch (InvalidRequestException e) {
                assertThat(e.getMessage()).isNotBlank();
                assertThat(e.getMessage().chars().filter(Character::isISOControl).count())
                        .as("control characters in: %s", e.getMessage()).isZero();
                return;
            }
            assertThat(r.action()).isNotNull();
            assertThat(r.regions()).isNotEmpty().allMatch(x -> x.equals(Request.ALL_REGIONS) || Request.isKnownRegion(x));
            assertThat(r.services()).isNotEmpty().allSatisfy(ServiceKind::fromId);
            assertThat(r.snapshotId() == null || OperationId.isSnapshotId(r.snapshotId())).isTrue();
            assertThat(r.tags().keySet()).allMatch(k -> !k.isBlank() && k.length() <= 128);
            assertThat(r.excludeIds()).allMatch(id -> id.matches("[A-Za-z0-9][A-Za-z0-9:/._+=@$-]{0,254}"));
            if (r.snapshotId() != null) {
                assertThat(SnapshotStore.snapshotKey(r.snapshotId())).matches("snapshots/pause-\\d{8}-\\d{6}-[0-9a-f]{6}\\.json");
            }
        });
    }

    @FuzzTest
    void operationIds(byte[] data) throws Exception {
        String id = new String(data, StandardCharsets.UTF_8);
        Bounded.run(LIMIT, () -> {
            boolean snapshot = OperationId.isSnapshotId(id);
            try {
                OperationId.requireSnapshotId(id);
                assertThat(snapshot).isTrue();
                assertThat(SnapshotStore.snapshotKey(id)).isEqualTo("snapshots/" + id + ".json")
                        .doesNotContain("..").doesNotContain("%").doesNotContain("//").doesNotContain(":");
            } catch (InvalidRequestException e) {
                assertThat(snapshot).isFalse();
                assertThat(e.getMessage()).startsWith("invalid snapshot id");
            }
            try {
                String key = SnapshotStore.reportKey(id, "json");
                assertThat(OperationId.isOperationId(id)).isTrue();
                assertThat(key).matches("reports/(pause|resume|discover|dryrun)-\\d{8}-\\d{6}-[0-9a-f]{6}\\.json");
            } catch (InvalidRequestException e) {
                assertThat(OperationId.isOperationId(id)).isFalse();
            }
            assertThat(Shown.quote(id).chars().filter(Character::isISOControl).count()).isZero();
            assertThat(Shown.quote(id).length()).isLessThan(Shown.MAX + 40);
        });
    }
}
