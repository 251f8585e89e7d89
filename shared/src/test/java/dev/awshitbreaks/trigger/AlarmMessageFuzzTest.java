package dev.awshitbreaks.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.testing.Bounded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Fuzz tests (Jazzer) of what arrives on the alarm topic: a notification body (Budgets text, CloudWatch alarm JSON,
 * anomaly JSON) and a whole SNS event through the trigger's policy. Seed corpus in
 * {@code AlarmMessageFuzzTestInputs/<method>/}. Properties: a body is read or refused with
 * {@link UnreadableMessageException} only; the policy decides every record of any event without throwing, and when
 * it starts a pause its input is a valid request and its execution name one Step Functions accepts; nothing hangs.
 */
class AlarmMessageFuzzTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final TriggerPolicy POLICY = new TriggerPolicy(TriggerConfig.fromEnvironment(Map.of(
            TriggerConfig.TOPIC_ARN, "arn:aws:sns:us-east-1:123456789012:aws-hit-breaks-alarms",
            TriggerConfig.STATE_MACHINE_ARN, "arn:aws:states:us-east-1:123456789012:stateMachine:brake",
            TriggerConfig.ALERT_TYPES, "ACTUAL,FORECASTED")));

    @FuzzTest
    void notificationBody(byte[] data) throws Exception {
        String body = new String(data, StandardCharsets.UTF_8);
        Bounded.run(LIMIT, () -> {
            try {
                AlarmMessage m = AlarmMessage.parse(body);
                assertThat(m).isNotNull();
                assertThat(m.accountId().map(a -> a.matches("\\d{12}")).orElse(true)).isTrue();
            } catch (UnreadableMessageException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        });
    }

    @FuzzTest
    void snsEvent(byte[] data) throws Exception {
        String event = new String(data, StandardCharsets.UTF_8);
        Bounded.run(LIMIT, () -> {
            JsonNode records;
            try {
                records = Json.mapper().readTree(event).path("Records");
            } catch (JsonProcessingException | NullPointerException e) {
                return; // TriggerStarter answers UNREADABLE before any record is looked at
            }
            for (JsonNode record : records) {
                SnsNotification n;
                try {
                    n = SnsNotification.fromRecord(record);
                } catch (UnreadableMessageException e) {
                    continue;
                }
                TriggerPolicy.Decision d = POLICY.decide(n);
                assertThat(d.verdict()).isNotNull();
                assertThat(d.reason()).isNotBlank();
                if (d.verdict() == TriggerPolicy.Verdict.START) {
                    assertThat(d.executionName()).matches("[A-Za-z0-9_-]{1,80}");
                    assertThat(Request.fromJson(d.input()).validated().action()).isNotNull();
                }
            }
        });
    }
}
