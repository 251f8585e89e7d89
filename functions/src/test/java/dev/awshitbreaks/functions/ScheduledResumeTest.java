package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.aws.SchedulerApi;
import dev.awshitbreaks.core.EngineLog;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.notify.SummaryNotifier;
import dev.awshitbreaks.schedule.ResumeSchedule;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoScheduleGroups;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import dev.awshitbreaks.testing.RecordingProxy;
import dev.awshitbreaks.trigger.BudgetDescriber;
import dev.awshitbreaks.trigger.TriggerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The opt-in way back ({@code ResumeAtNextBudgetPeriod}): a budget alert's pause schedules its resume at the start of
 * the budget's next period, a manual resume or a new pause cancels it, a dry run or a disabled stack makes no scheduler
 * call. The real handlers (Trigger, Plan, Summarize) against moto's Budgets, Step Functions, DynamoDB, S3, SNS and
 * EventBridge Scheduler over HTTP; the Trigger's and the Summarize function's calls go through their recording proxies
 * (checked against their roles in template.yaml).
 */
class ScheduledResumeTest {
    private static final String REGION = "us-east-1";
    private static final String TABLE = "resume-test";
    private static final String BUCKET = "resume-test-bucket";
    private static final String GROUP = "aws-hit-breaks-resume";
    private static final String ROLE = "arn:aws:iam::123456789012:role/aws-hit-breaks-ResumeSchedulerRole";
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:aws-hit-breaks-alarms"; // the events' topic
    private static final long SEED = Long.getLong("scheduledResume.seed", System.nanoTime());
    private static final int CASES = Integer.getInteger("scheduledResume.cases", 100);

    private MotoServer moto;
    private RecordingProxy summarizeCalls;
    private RecordingProxy triggerCalls;
    private AwsClients summarizeClients;
    private BrakeEngine planEngine;
    private BrakeEngine summarizeEngine;
    private SchedulerApi scheduler;
    private SfnClient sfn;
    private SfnClient triggerSfn;
    private String machine;
    private String topic;
    private HttpServer subscriber;
    private final LinkedBlockingQueue<JsonNode> delivered = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws IOException {
        moto = MotoServer.get();
        moto.reset();
        AwsClients clients = new AwsClients(new AwsSettings(moto.endpoint(), REGION, TABLE, BUCKET), MotoAccount.CREDENTIALS);
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), REGION);
        storage.createTable(TABLE);
        storage.createBucket(BUCKET, false);
        planEngine = BrakeEngine.create(clients, EngineSettings.defaults());
        scheduler = SchedulerApi.of(clients);
        MotoScheduleGroups.create(moto.endpoint(), MotoAccount.CREDENTIALS, REGION, GROUP);
        summarizeCalls = RecordingProxy.forFunction("Summarize", moto.endpoint());
        summarizeClients = new AwsClients(new AwsSettings(summarizeCalls.endpoint(), REGION, TABLE, BUCKET), MotoAccount.CREDENTIALS);
        summarizeEngine = BrakeEngine.create(summarizeClients, EngineSettings.defaults());
        sfn = SfnClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        machine = sfn.createStateMachine(b -> b.name("brake")
                .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}")
                .roleArn("arn:aws:iam::123456789012:role/brake-state-machine")).stateMachineArn();
        triggerCalls = RecordingProxy.forFunction("Trigger", moto.endpoint());
        triggerSfn = SfnClient.builder().endpointOverride(triggerCalls.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        topic = clients.sns().createTopic(b -> b.name("hit-breaks-notifications")).topicArn();
        subscriber = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        subscriber.createContext("/", exchange -> {
            delivered.add(Json.mapper().readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        subscriber.start();
        clients.sns().subscribe(b -> b.topicArn(topic).protocol("http")
                .endpoint("http://127.0.0.1:" + subscriber.getAddress().getPort() + "/"));
        try {
            delivered.poll(2, TimeUnit.SECONDS); // a subscription confirmation, if the emulator sends one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivered.clear();
    }

    @AfterEach
    void tearDown() {
        subscriber.stop(0);
        sfn.close();
        triggerSfn.close();
        summarizeClients.close();
        summarizeCalls.close();
        triggerCalls.close();
    }

    // ------------------------------------------------------------------ the handlers

    private SummarizeHandler enabledSummarize() {
        return new SummarizeHandler(summarizeEngine, new SummaryNotifier(summarizeClients.sns(), topic, BUCKET),
                new ResumeSchedule(SchedulerApi.of(summarizeClients), GROUP, ROLE, Clock.systemUTC()));
    }

    private SummarizeHandler disabledSummarize() {
        return new SummarizeHandler(summarizeEngine, new SummaryNotifier(summarizeClients.sns(), topic, BUCKET));
    }

    private static JsonNode invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.mapper().readTree(out.toByteArray());
    }

    /** Plan (PlanHandler), then Summarize (no target results), as the state machine passes them; the summary. */
    private JsonNode run(String request, SummarizeHandler summarize) throws IOException {
        JsonNode plan = invoke(new PlanHandler(planEngine), request);
        ObjectNode input = ((ObjectNode) plan).deepCopy();
        input.putArray("firstResults");
        input.putArray("secondResults");
        input.put("stateMachineArn", machine); // $$.StateMachine.Id
        return invoke(summarize, input.toString());
    }

    private static String pause(String trigger, Instant resumeAt) {
        return "{\"action\":\"pause\",\"regions\":[\"us-east-1\"],\"services\":[\"ec2\"],\"trigger\":\"" + trigger + "\""
                + (resumeAt == null ? "" : ",\"resumeAt\":\"" + resumeAt + "\"") + "}";
    }

    private Optional<JsonNode> schedule() {
        return scheduler.getSchedule(GROUP, ResumeSchedule.SCHEDULE_NAME);
    }

    private List<RecordingProxy.Call> schedulerCalls() {
        return summarizeCalls.calls().stream().filter(c -> c.path().startsWith("/schedules")).toList();
    }

    private String notification() throws InterruptedException {
        JsonNode note = delivered.poll(10, TimeUnit.SECONDS);
        assertThat(note).as("a notification reached the subscriber").isNotNull();
        return note.path("Message").asText();
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void aBudgetPauseSchedulesItsResumeWhichResumesLikeAManualOne() throws Exception {
        Instant next = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();

        JsonNode summary = run(pause("budget:prod-monthly", next), enabledSummarize());

        assertThat(summary.path("scheduledResume").path("status").asText()).isEqualTo("scheduled");
        assertThat(summary.path("scheduledResume").path("at").asText()).isEqualTo(next.toString());
        JsonNode s = schedule().orElseThrow(() -> new AssertionError("no schedule " + GROUP + "/" + ResumeSchedule.SCHEDULE_NAME));
        assertThat(s.path("ScheduleExpression").asText()).isEqualTo("at(" + next.toString().replace("Z", "") + ")");
        assertThat(s.path("ScheduleExpressionTimezone").asText()).isEqualTo("UTC");
        assertThat(s.path("ActionAfterCompletion").asText()).isEqualTo("DELETE");
        assertThat(s.path("FlexibleTimeWindow").path("Mode").asText()).isEqualTo("OFF");
        assertThat(s.path("Target").path("Arn").asText()).isEqualTo(machine);
        assertThat(s.path("Target").path("RoleArn").asText()).isEqualTo(ROLE);
        JsonNode resume = Json.mapper().readTree(s.path("Target").path("Input").asText());
        assertThat(resume.path("action").asText()).isEqualTo("resume");
        assertThat(resume.path("snapshotId").asText()).isEqualTo(summary.path("snapshotId").asText());
        assertThat(resume.path("trigger").asText()).isEqualTo("scheduled:budget:prod-monthly");
        assertThat(notification()).contains("Scheduled resume: " + next + " (UTC), the start of the budget's next period")
                .contains("a manual resume or a new pause cancels it");

        // what EventBridge Scheduler starts is a resume like any other: the same Plan, the same report
        JsonNode resumed = run(s.path("Target").path("Input").asText(), enabledSummarize());
        assertThat(resumed.path("action").asText()).isEqualTo("resume");
        assertThat(resumed.path("status").asText()).isEqualTo("resumed");
        assertThat(resumed.path("scheduledResume").path("status").asText()).isEqualTo("none");
        String report = planEngine.store().getDocument(resumed.path("reportKey").asText()).orElseThrow();
        assertThat(Json.mapper().readTree(report).path("trigger").asText()).isEqualTo("scheduled:budget:prod-monthly");
    }

    @Test
    void aManualResumeCancelsTheScheduledResume() throws Exception {
        Instant next = Instant.now().plus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        run(pause("budget:prod-monthly", next), enabledSummarize());
        assertThat(schedule()).as("scheduled by the budget's pause").isPresent();
        delivered.clear();

        JsonNode resumed = run("{\"action\":\"resume\"}", enabledSummarize());

        assertThat(schedule()).as("cancelled by the manual resume").isEmpty();
        assertThat(resumed.path("scheduledResume").path("status").asText()).isEqualTo("none");
        assertThat(resumed.path("scheduledResume").path("detail").asText()).isEqualTo("cancelled the resume scheduled for " + next);
        assertThat(notification()).contains("Scheduled resume: none (cancelled the resume scheduled for " + next + ")");
    }

    @Test
    void aResumeOfAnotherSnapshotLeavesTheScheduledResumeOfThePausedOne() throws Exception {
        String older = run(pause("manual", null), enabledSummarize()).path("snapshotId").asText();
        run("{\"action\":\"resume\"}", enabledSummarize());
        Instant next = Instant.now().plus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        String paused = run(pause("budget:prod-monthly", next), enabledSummarize()).path("snapshotId").asText();
        assertThat(paused).isNotEqualTo(older);

        JsonNode other = run("{\"action\":\"resume\",\"snapshotId\":\"" + older + "\"}", enabledSummarize());

        assertThat(schedule()).as("the paused snapshot's resume stands").isPresent();
        assertThat(other.path("scheduledResume").path("status").asText()).isEqualTo("scheduled");
        assertThat(other.path("scheduledResume").path("at").asText()).isEqualTo(next.toString());
        assertThat(other.path("scheduledResume").path("detail").asText()).contains("it resumes snapshot " + paused);
    }

    @Test
    void aNewPauseCancelsTheScheduledResumeAndANewBudgetPauseReplacesIt() throws Exception {
        Instant first = Instant.now().plus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        run(pause("budget:prod-monthly", first), enabledSummarize());

        JsonNode manual = run(pause("manual", null), enabledSummarize());
        assertThat(schedule()).as("cancelled by a manual pause").isEmpty();
        assertThat(manual.path("scheduledResume").path("detail").asText())
                .isEqualTo("cancelled the resume scheduled for " + first + "; only a budget alert's pause schedules one");

        run(pause("budget:prod-monthly", first), enabledSummarize());
        Instant second = first.plus(Duration.ofDays(1));
        JsonNode again = run(pause("budget:prod-daily", second), enabledSummarize());
        assertThat(again.path("scheduledResume").path("at").asText()).isEqualTo(second.toString());
        assertThat(again.path("scheduledResume").path("detail").asText()).endsWith("cancelled the resume scheduled for " + first);
        assertThat(schedule().orElseThrow().path("ScheduleExpression").asText()).isEqualTo("at(" + second.toString().replace("Z", "") + ")");
    }

    @Test
    void aResumeTimeAlreadyPastIsMovedAMinuteAhead() throws Exception {
        Instant past = Instant.now().minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant before = Instant.now();

        JsonNode summary = run(pause("budget:prod-daily", past), enabledSummarize());

        Instant at = Instant.parse(summary.path("scheduledResume").path("at").asText());
        assertThat(at).isBetween(before.plus(Duration.ofSeconds(59)), Instant.now().plus(Duration.ofMinutes(1)));
        assertThat(summary.path("scheduledResume").path("detail").asText()).contains("the period began at " + past);
    }

    @Test
    void aDryRunOrADiscoverMakesNoSchedulerCallAndLeavesTheScheduleAlone() throws Exception {
        Instant next = Instant.now().plus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        run(pause("budget:prod-monthly", next), enabledSummarize());
        summarizeCalls.clear();

        JsonNode dry = run("{\"action\":\"pause\",\"regions\":[\"us-east-1\"],\"services\":[\"ec2\"],\"dryRun\":true}", enabledSummarize());
        JsonNode discover = run("{\"action\":\"discover\",\"regions\":[\"us-east-1\"],\"services\":[\"ec2\"]}", enabledSummarize());

        assertThat(schedulerCalls()).as("no scheduler call").isEmpty();
        assertThat(dry.has("scheduledResume")).isFalse();
        assertThat(discover.has("scheduledResume")).isFalse();
        assertThat(schedule()).as("still scheduled").isPresent();
    }

    @Test
    void withTheParameterDisabledNoSchedulerCallIsMadeAndTheNotificationSaysNothingOfIt() throws Exception {
        Instant next = Instant.now().plus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);

        JsonNode summary = run(pause("budget:prod-monthly", next), disabledSummarize());
        JsonNode resumed = run("{\"action\":\"resume\"}", disabledSummarize());

        assertThat(schedulerCalls()).as("no scheduler call").isEmpty();
        assertThat(schedule()).isEmpty();
        assertThat(summary.has("scheduledResume")).isFalse();
        assertThat(resumed.has("scheduledResume")).isFalse();
        assertThat(notification()).doesNotContain("Scheduled resume");
    }

    /**
     * Through the real trigger: budgets of each time unit alerting on random dates (the SNS Timestamp; years 2027-2399
     * so that the next period is still ahead) start a pause whose summary schedules the resume at 00:00 UTC of the
     * first day of the budget's next period, computed here from calendar rules alone (the next day; the 1st of the next
     * month; of the next quarter's first month, January, April, July or October; 1 January of the next year); and the
     * trigger, with the parameter disabled or as a dry run, gives the pause no resume time.
     */
    @Test
    void forRandomAlertDatesEachTimeUnitsPauseIsScheduledToResumeAtItsNextPeriodsStart() throws Exception {
        System.out.println("ScheduledResumeTest: seed=" + SEED + " (re-run with -DscheduledResume.seed=" + SEED + "), " + CASES + " cases");
        Map<String, String> units = Map.of("DAILY", "prod-daily", "MONTHLY", "prod-monthly", "QUARTERLY", "prod-quarterly",
                "ANNUALLY", "prod-annual");
        units.forEach((unit, budget) -> createBudget(budget, unit));
        String sample = Files.readString(ProjectTools.root().resolve("events/sns-budget-actual.json"));
        TriggerHandler trigger = trigger(Map.of(TriggerConfig.RESUME_AT_NEXT_PERIOD, "true"));
        Random random = new Random(SEED);
        long first = LocalDate.of(2027, 1, 1).toEpochDay();
        long last = LocalDate.of(2399, 12, 31).toEpochDay();
        String[] order = {"DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY"};
        // the notification's line is another test's; without a topic each case takes half the time
        SummarizeHandler summarize = new SummarizeHandler(summarizeEngine, null,
                new ResumeSchedule(SchedulerApi.of(summarizeClients), GROUP, ROLE, Clock.systemUTC()));
        java.util.Set<String> periods = new java.util.HashSet<>();
        int scheduled = 0;
        for (int n = 0; scheduled < CASES; n++) {
            String unit = order[n % order.length];
            LocalDate date = LocalDate.ofEpochDay(first + (long) (random.nextDouble() * (last - first)));
            Instant timestamp = date.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextInt(86_400));
            String event = sample.replace("prod-monthly", units.get(unit)).replace("2026-11-25T15:56:27.357Z", timestamp.toString())
                    .replace("95df01b4-ee98-5cb9-9903-4c221d41eb5e", "case-" + n);
            String what = unit + " budget alerting at " + timestamp + " (seed " + SEED + ", case " + n + ")";

            JsonNode outcome = invoke(trigger, event).path("outcomes").get(0);
            if (!periods.add(unit + " " + dev.awshitbreaks.trigger.BudgetPeriod.valueOf(unit).label(date))) {
                // a period drawn twice: its alert has started its pause already (one pause per budget period)
                assertThat(outcome.path("result").asText()).as(what).isEqualTo("ALREADY_STARTED");
                continue;
            }
            assertThat(outcome.path("result").asText()).as(what).isEqualTo("STARTED");
            String request = sfn.describeExecution(b -> b.executionArn(outcome.path("executionArn").asText())).input();
            JsonNode summary = run(request, summarize);

            Instant expected = expectedNextPeriodStart(unit, date);
            assertThat(summary.path("scheduledResume").path("at").asText()).as(what).isEqualTo(expected.toString());
            assertThat(schedule().orElseThrow().path("ScheduleExpression").asText()).as(what)
                    .isEqualTo("at(" + expected.toString().replace("Z", "") + ")");
            scheduled++;
        }

        String event = sample.replace("2026-11-25T15:56:27.357Z", "2027-03-04T05:06:07.000Z");
        Map<String, Map<String, String>> others = Map.of("prod-monthly-off", Map.of(),
                "prod-monthly-dry", Map.of(TriggerConfig.RESUME_AT_NEXT_PERIOD, "true", TriggerConfig.DRY_RUN, "true"));
        for (var other : others.entrySet()) {
            createBudget(other.getKey(), "MONTHLY");
            JsonNode outcome = invoke(trigger(other.getValue()), event.replace("prod-monthly", other.getKey())).path("outcomes").get(0);
            assertThat(outcome.path("result").asText()).as(other.getKey()).isEqualTo("STARTED");
            String request = sfn.describeExecution(b -> b.executionArn(outcome.path("executionArn").asText())).input();
            assertThat(Json.mapper().readTree(request).has("resumeAt")).as("no resume time with " + other.getValue()).isFalse();
        }
    }

    /** 00:00 UTC of the day the period after {@code date}'s begins, by the calendar. */
    private static Instant expectedNextPeriodStart(String unit, LocalDate date) {
        LocalDate day = switch (unit) {
            case "DAILY" -> date.plusDays(1);
            case "MONTHLY" -> YearMonth.from(date).plusMonths(1).atDay(1);
            case "QUARTERLY" -> {
                YearMonth m = YearMonth.from(date).plusMonths(1);
                while (m.getMonthValue() % 3 != 1) {
                    m = m.plusMonths(1);
                }
                yield m.atDay(1);
            }
            default -> LocalDate.of(date.getYear() + 1, 1, 1);
        };
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private TriggerHandler trigger(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(TriggerConfig.TOPIC_ARN, TOPIC, TriggerConfig.STATE_MACHINE_ARN, machine));
        env.putAll(extra);
        return new TriggerHandler(TriggerConfig.fromEnvironment(env), triggerSfn,
                new BudgetDescriber(UrlConnectionHttpClient.create(), MotoAccount.CREDENTIALS, triggerCalls.endpoint(), "123456789012"),
                EngineLog.lines(line -> { }));
    }

    /** A cost budget in moto's account, by AWS Budgets' CreateBudget (a signed JSON call: no SDK module is served). */
    private static void createBudget(String name, String timeUnit) {
        String body = Json.write(Map.of("AccountId", "123456789012", "Budget", Map.of("BudgetName", name,
                "BudgetLimit", Map.of("Amount", "1250", "Unit", "USD"), "TimeUnit", timeUnit, "BudgetType", "COST")));
        try (var http = UrlConnectionHttpClient.create()) {
            var answer = dev.awshitbreaks.aws.SignedJsonCall.post(http, MotoAccount.CREDENTIALS, MotoServer.get().endpoint(),
                    "budgets", REGION, "AWSBudgetServiceGateway.CreateBudget", body);
            assertThat(answer.status()).as("CreateBudget " + name).isEqualTo(200);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
