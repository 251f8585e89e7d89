package dev.awshitbreaks.restop;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.testing.Bounded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fuzz test (Jazzer) of the EventBridge events the re-stop function receives. Seed corpus in
 * {@code RdsAutoStartEventFuzzTestInputs/event/}. Properties: an event is read or refused with
 * {@link UnusableEventException} only; a read event names a known region and a valid DB identifier; nothing hangs.
 */
class RdsAutoStartEventFuzzTest {
    @FuzzTest
    void event(byte[] data) throws Exception {
        String json = new String(data, StandardCharsets.UTF_8);
        Bounded.run(Duration.ofSeconds(5), () -> {
            try {
                RdsAutoStartEvent e = RdsAutoStartEvent.read(json, note -> assertThat(note).isNotBlank());
                assertThat(Request.isKnownRegion(e.region())).isTrue();
                assertThat(e.identifier()).matches("[a-z][a-z0-9-]{0,62}");
                assertThat(e.service()).isNotNull();
            } catch (UnusableEventException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        });
    }
}
