package dev.awshitbreaks.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.core.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduled resume's configuration and the reading of a schedule's time (no AWS: ScheduledResumeTest has moto). */
class ResumeScheduleTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/aws-hit-breaks-ResumeSchedulerRole-AbC1";

    @Test
    void withoutAGroupScheduledResumesAreOffAndABadValueIsNamed() {
        assertThat(ResumeSchedule.fromEnvironment(Map.of())).isEmpty();
        assertThat(ResumeSchedule.fromEnvironment(Map.of(ResumeSchedule.GROUP_ENV, "", ResumeSchedule.ROLE_ENV, ""))).isEmpty();
        assertThat(ResumeSchedule.fromEnvironment(Map.of(ResumeSchedule.GROUP_ENV, "aws-hit-breaks-ResumeScheduleGroup-1",
                ResumeSchedule.ROLE_ENV, ROLE))).contains(new ResumeSchedule.Names("aws-hit-breaks-ResumeScheduleGroup-1", ROLE));
        assertThatThrownBy(() -> ResumeSchedule.fromEnvironment(Map.of(ResumeSchedule.GROUP_ENV, "a/b", ResumeSchedule.ROLE_ENV, ROLE)))
                .hasMessageContaining("RESUME_SCHEDULE_GROUP").hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> ResumeSchedule.fromEnvironment(Map.of(ResumeSchedule.GROUP_ENV, "g")))
                .hasMessageContaining("RESUME_SCHEDULE_ROLE_ARN is not set");
        assertThatThrownBy(() -> ResumeSchedule.fromEnvironment(Map.of(ResumeSchedule.GROUP_ENV, "g", ResumeSchedule.ROLE_ENV,
                "arn:aws:iam::123456789012:user/someone"))).hasMessageContaining("RESUME_SCHEDULE_ROLE_ARN");
    }

    @Test
    void aScheduleTimeIsReadOnlyFromAnAtExpressionInUtc() throws Exception {
        assertThat(ResumeSchedule.atOf(Json.mapper().readTree(
                "{\"ScheduleExpression\":\"at(2026-12-01T00:00:00)\",\"ScheduleExpressionTimezone\":\"UTC\"}")))
                .contains(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(ResumeSchedule.atOf(Json.mapper().readTree(
                "{\"ScheduleExpression\":\"at(2026-12-01T00:00:00)\",\"ScheduleExpressionTimezone\":\"Europe/Paris\"}"))).isEmpty();
        assertThat(ResumeSchedule.atOf(Json.mapper().readTree("{\"ScheduleExpression\":\"rate(1 day)\"}"))).isEmpty();
    }

    @Test
    void theNotificationLineSaysWhenOrThatNoneIsScheduled() {
        assertThat(new ResumeSchedule.Outcome("scheduled", Instant.parse("2026-12-01T00:00:00Z"), "the start of the budget's next period").line())
                .isEqualTo("Scheduled resume: 2026-12-01T00:00:00Z (UTC), the start of the budget's next period");
        assertThat(new ResumeSchedule.Outcome("none", null, null).line()).isEqualTo("Scheduled resume: none");
        assertThat(new ResumeSchedule.Outcome("failed", null, "AccessDenied").line()).isEqualTo("Scheduled resume: FAILED: AccessDenied");
    }
}
