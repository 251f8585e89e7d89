package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.aws.SchedulerApi;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.functions.SummarizeHandler;
import dev.awshitbreaks.schedule.ResumeSchedule;
import dev.awshitbreaks.testing.MotoScheduleGroups;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduled resume through the real definition: Summarize is given the state machine's own ARN
 * ({@code $$.StateMachine.Id}) as the schedule's target, and the input the schedule would start resumes the pause like
 * a manual resume. (moto's EventBridge Scheduler never runs a schedule: the test starts the execution with its input.)
 */
class ScheduledResumeStateMachineTest {
    private static final String US = "us-east-1";
    private static final String GROUP = "aws-hit-breaks-resume";
    private static final String ROLE = "arn:aws:iam::123456789012:role/aws-hit-breaks-ResumeSchedulerRole";
    /** What run-state-machine.cjs gives as $$.StateMachine.Id. */
    private static final String LOCAL_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:hit-breaks-local";

    private StateMachineFixture fx;
    private SchedulerApi scheduler;

    @BeforeEach
    void setUp() {
        fx = new StateMachineFixture();
        MotoScheduleGroups.create(fx.moto.endpoint(), StateMachineFixture.credentials(), US, GROUP);
        scheduler = SchedulerApi.of(fx.clients);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private Map<String, RequestStreamHandler> handlers() {
        Map<String, RequestStreamHandler> handlers = fx.handlers();
        handlers.put(LocalStateMachine.SUMMARIZE_FUNCTION, new SummarizeHandler(fx.engine, null,
                new ResumeSchedule(scheduler, GROUP, ROLE, Clock.systemUTC())));
        return handlers;
    }

    @Test
    void aBudgetPauseSchedulesTheStateMachineItselfAndTheScheduledInputResumesThePause() throws Exception {
        List<String> running = fx.launch(US, 2, Map.of());
        Instant next = Instant.now().plus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS);

        ExecutionResult pause = fx.run("{\"action\":\"pause\",\"regions\":[\"us-east-1\"],\"services\":[\"ec2\"],"
                + "\"trigger\":\"budget:prod-monthly\",\"resumeAt\":\"" + next + "\"}", handlers());

        assertThat(pause.succeeded()).as("%s%n%s", pause, fx.log()).isTrue();
        assertThat(pause.output().path("scheduledResume").path("status").asText()).isEqualTo("scheduled");
        assertThat(pause.output().path("scheduledResume").path("at").asText()).isEqualTo(next.toString());
        running.forEach(id -> assertThat(fx.states(US)).containsEntry(id, "stopped"));
        JsonNode schedule = scheduler.getSchedule(GROUP, ResumeSchedule.SCHEDULE_NAME).orElseThrow();
        assertThat(schedule.path("Target").path("Arn").asText()).as("$$.StateMachine.Id").isEqualTo(LOCAL_MACHINE);
        String input = schedule.path("Target").path("Input").asText();
        assertThat(Json.mapper().readTree(input).path("snapshotId").asText()).isEqualTo(pause.output().path("snapshotId").asText());

        ExecutionResult resume = fx.run(input, handlers()); // what EventBridge Scheduler starts at the period's start

        assertThat(resume.succeeded()).as("%s%n%s", resume, fx.log()).isTrue();
        assertThat(resume.output().path("status").asText()).isEqualTo("resumed");
        assertThat(resume.output().path("counts").path("resumed").asInt()).isEqualTo(2);
        running.forEach(id -> assertThat(fx.states(US)).containsEntry(id, "running"));
        assertThat(resume.output().path("scheduledResume").path("status").asText()).isEqualTo("none");
        assertThat(resume.output().path("scheduledResume").path("detail").asText()).endsWith("this is the scheduled resume");
        assertThat(scheduler.getSchedule(GROUP, ResumeSchedule.SCHEDULE_NAME)).isEmpty();
    }
}
