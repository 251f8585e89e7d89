package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.core.EngineLog;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.RecordingProxy;
import dev.awshitbreaks.trigger.BudgetDescriber;
import dev.awshitbreaks.trigger.TriggerConfig;
import dev.awshitbreaks.trigger.TriggerConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * The trigger, fed the sample SNS events in events/, against moto's Step Functions (which records
 * executions without running them).
 */
class TriggerHandlerTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:aws-hit-breaks-alarms"; // the events' topic
    private SfnClient sfn;
    /** The handler's own client: its calls go through a recording proxy, checked against TriggerFunctionRole. */
    private RecordingProxy recording;
    private SfnClient triggerSfn;
    private String machine;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void setUp() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        sfn = SfnClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        machine = sfn.createStateMachine(b -> b.name("brake")
                .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}")
                .roleArn("arn:aws:iam::123456789012:role/brake-state-machine")).stateMachineArn();
        recording = RecordingProxy.forFunction("Trigger", moto.endpoint());
        triggerSfn = SfnClient.builder().endpointOverride(recording.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        createBudget("prod-monthly", "MONTHLY"); // the budget the sample events name
    }

    /** A cost budget in moto's account, by AWS Budgets' CreateBudget (a signed JSON call: no SDK module is served). */
    private static void createBudget(String name, String timeUnit) {
        String body = Json.write(Map.of("AccountId", "123456789012", "Budget", Map.of("BudgetName", name,
                "BudgetLimit", Map.of("Amount", "1250", "Unit", "USD"), "TimeUnit", timeUnit, "BudgetType", "COST")));
        try (var http = UrlConnectionHttpClient.create()) {
            var answer = dev.awshitbreaks.aws.SignedJsonCall.post(http, MotoAccount.CREDENTIALS, MotoServer.get().endpoint(),
                    "budgets", "us-east-1", "AWSBudgetServiceGateway.CreateBudget", body);
            assertThat(answer.status()).as("CreateBudget " + name).isEqualTo(200);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** DescribeBudget against moto, as the function does against AWS, through the function's recording proxy. */
    private BudgetDescriber budgets() {
        return new BudgetDescriber(UrlConnectionHttpClient.create(), MotoAccount.CREDENTIALS, recording.endpoint(),
                "123456789012");
    }

    @AfterEach
    void tearDown() {
        sfn.close();
        triggerSfn.close();
        recording.close();
    }

    private TriggerHandler handler(String... env) {
        Map<String, String> vars = new HashMap<>(Map.of(TriggerConfig.TOPIC_ARN, TOPIC, TriggerConfig.STATE_MACHINE_ARN, machine));
        for (int i = 0; i < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        return new TriggerHandler(TriggerConfig.fromEnvironment(vars), triggerSfn, budgets(), EngineLog.lines(log::add));
    }

    private static String event(String name) throws IOException {
        return Files.readString(ProjectTools.root().resolve("events").resolve(name));
    }

    private static JsonNode invoke(TriggerHandler handler, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.mapper().readTree(out.toByteArray()).path("outcomes");
    }

    private List<ExecutionListItem> executions() {
        return sfn.listExecutions(b -> b.stateMachineArn(machine)).executions();
    }

    private JsonNode input(ExecutionListItem e) throws IOException {
        return Json.mapper().readTree(sfn.describeExecution(b -> b.executionArn(e.executionArn())).input());
    }

    @Test
    void anActualBudgetAlertStartsExactlyOnePauseAndItsRedeliveryStartsNone() throws IOException {
        TriggerHandler trigger = handler();

        JsonNode first = invoke(trigger, event("sns-budget-actual.json"));
        assertThat(first.get(0).path("result").asText()).isEqualTo("STARTED");
        assertThat(executions()).hasSize(1);
        ExecutionListItem e = executions().get(0);
        assertThat(e.name()).isEqualTo("budget-prod-monthly-actual-1000p00-2026-11");
        JsonNode input = input(e);
        assertThat(input.path("action").asText()).isEqualTo("pause");
        assertThat(input.path("regions").toString()).isEqualTo("[\"all\"]");
        assertThat(input.path("services")).as("every service").hasSize(dev.awshitbreaks.core.ServiceKind.values().length);
        assertThat(input.path("dryRun").asBoolean()).isFalse();
        assertThat(input.path("trigger").asText()).isEqualTo("budget:prod-monthly");

        JsonNode again = invoke(trigger, event("sns-budget-actual.json"));
        assertThat(again.get(0).path("result").asText()).isEqualTo("ALREADY_STARTED");
        assertThat(executions()).as("the redelivered alarm started nothing new").hasSize(1);
        assertThat(log).last().asString().contains("ALREADY_STARTED").contains("already started");
    }

    @Test
    void aFinishedExecutionUnderTheSameNameIsAlreadyStartedEvenWithOtherSettings() throws IOException {
        invoke(handler(), event("sns-budget-actual.json"));
        sfn.stopExecution(b -> b.executionArn(executions().get(0).executionArn()));
        JsonNode outcome = invoke(handler(TriggerConfig.DRY_RUN, "true"), event("sns-budget-actual.json"));
        assertThat(outcome.get(0).path("result").asText()).isEqualTo("ALREADY_STARTED");
        assertThat(executions()).hasSize(1);
    }

    @Test
    void losingTheRaceToAnotherDeliveryIsAlreadyStartedNotAnError() throws IOException {
        invoke(handler(), event("sns-budget-actual.json"));
        // a concurrent delivery: the execution appears between our check and our start, with other settings,
        // so StartExecution itself answers ExecutionAlreadyExists
        SfnClient racing = new SfnClient() {
            @Override
            public DescribeExecutionResponse describeExecution(DescribeExecutionRequest request) {
                throw ExecutionDoesNotExistException.builder().message("not yet").build();
            }

            @Override
            public StartExecutionResponse startExecution(StartExecutionRequest request) {
                return triggerSfn.startExecution(request);
            }

            @Override
            public String serviceName() {
                return sfn.serviceName();
            }

            @Override
            public void close() {
            }
        };
        Map<String, String> vars = Map.of(TriggerConfig.TOPIC_ARN, TOPIC, TriggerConfig.STATE_MACHINE_ARN, machine,
                TriggerConfig.DRY_RUN, "true");
        JsonNode outcome = invoke(new TriggerHandler(TriggerConfig.fromEnvironment(vars), racing, budgets(), EngineLog.lines(log::add)),
                event("sns-budget-actual.json"));
        assertThat(outcome.get(0).path("result").asText()).isEqualTo("ALREADY_STARTED");
        assertThat(executions()).hasSize(1);
    }

    @Test
    void aForecastedBudgetAlertIsIgnoredUnlessForecastsAreAllowed() throws IOException {
        JsonNode ignored = invoke(handler(), event("sns-budget-forecasted.json"));
        assertThat(ignored.get(0).path("result").asText()).isEqualTo("IGNORED");
        assertThat(ignored.get(0).path("reason").asText()).contains("TRIGGER_ALERT_TYPES");
        assertThat(executions()).isEmpty();

        JsonNode started = invoke(handler(TriggerConfig.ALERT_TYPES, "ACTUAL,FORECASTED"), event("sns-budget-forecasted.json"));
        assertThat(started.get(0).path("result").asText()).isEqualTo("STARTED");
        assertThat(executions()).extracting(ExecutionListItem::name).containsExactly("budget-prod-monthly-forecasted-1000p00-2026-11");
    }

    @Test
    void aBillingAlarmStartsOnAlarmAndItsOkStateStartsNothing() throws IOException {
        ObjectNode ok = (ObjectNode) Json.mapper().readTree(event("sns-cloudwatch-billing-alarm.json"));
        ObjectNode sns = (ObjectNode) ok.path("Records").get(0).path("Sns");
        ObjectNode alarm = (ObjectNode) Json.mapper().readTree(sns.path("Message").asText());
        alarm.put("NewStateValue", "OK").put("OldStateValue", "ALARM").put("StateChangeTime", "2026-11-26T09:00:00.000+0000");
        sns.put("Message", Json.write(alarm));

        JsonNode okOutcome = invoke(handler(), Json.write(ok));
        assertThat(okOutcome.get(0).path("result").asText()).isEqualTo("IGNORED");
        assertThat(executions()).isEmpty();

        JsonNode alarmOutcome = invoke(handler(), event("sns-cloudwatch-billing-alarm.json"));
        assertThat(alarmOutcome.get(0).path("result").asText()).isEqualTo("STARTED");
        assertThat(executions()).extracting(ExecutionListItem::name)
                .containsExactly("alarm-billing-over-1000-usd-20261125T150612345Z");
        assertThat(input(executions().get(0)).path("trigger").asText()).isEqualTo("alarm:billing-over-1000-usd");
    }

    @Test
    void aCostAnomalyStartsOnePause() throws IOException {
        JsonNode outcome = invoke(handler(), event("sns-cost-anomaly.json"));
        assertThat(outcome.get(0).path("result").asText()).isEqualTo("STARTED");
        assertThat(executions()).extracting(ExecutionListItem::name).containsExactly("anomaly-12345678-abcd-ef12-3456-987654321a12");
        assertThat(input(executions().get(0)).path("trigger").asText()).isEqualTo("anomaly:12345678-abcd-ef12-3456-987654321a12");
    }

    @Test
    void aMessageFromAnotherTopicStartsNothing() throws IOException {
        String other = event("sns-budget-actual.json").replace(TOPIC, "arn:aws:sns:us-east-1:123456789012:someone-elses-topic");
        JsonNode outcome = invoke(handler(), other);
        assertThat(outcome.get(0).path("result").asText()).isEqualTo("REFUSED");
        assertThat(outcome.get(0).path("reason").asText()).contains("someone-elses-topic");
        assertThat(executions()).isEmpty();
    }

    @Test
    void unreadableInputStartsNothingAndDoesNotThrow() throws IOException {
        JsonNode outcome = invoke(handler(), event("sns-unreadable.json"));
        assertThat(outcome.get(0).path("result").asText()).isEqualTo("UNREADABLE");
        assertThat(log).singleElement().asString().contains("UNREADABLE").contains("0f9e8d7c-6b5a-5c4d-8e3f-2a1b0c9d8e7f")
                .as("the body is not logged").doesNotContain("Hello from a test publish");

        for (String bad : List.of("", "not json", "{}", "{\"Records\":[]}", "{\"Records\":[{\"EventSource\":\"aws:sqs\"}]}",
                "{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"TopicArn\":\"" + TOPIC + "\"}}]}")) {
            assertThat(invoke(handler(), bad).get(0).path("result").asText()).as(bad).isEqualTo("UNREADABLE");
        }
        assertThat(executions()).isEmpty();
    }

    @Test
    void dryRunConfigurationStartsADryRunWithTheConfiguredScope() throws IOException {
        invoke(handler(TriggerConfig.DRY_RUN, "true", TriggerConfig.REGIONS, "us-east-1,eu-west-1", TriggerConfig.SERVICES, "ec2,rds"),
                event("sns-budget-actual.json"));
        JsonNode input = input(executions().get(0));
        assertThat(input.path("dryRun").asBoolean()).isTrue();
        assertThat(input.path("regions").toString()).isEqualTo("[\"us-east-1\",\"eu-west-1\"]");
        assertThat(input.path("services").toString()).isEqualTo("[\"ec2\",\"rds\"]");
    }

    @Test
    void aBudgetNotInTheNameListStartsNothing() throws IOException {
        JsonNode outcome = invoke(handler(TriggerConfig.BUDGETS, "sandbox-monthly"), event("sns-budget-actual.json"));
        assertThat(outcome.get(0).path("result").asText()).isEqualTo("IGNORED");
        assertThat(executions()).isEmpty();
    }

    @Test
    void aStepFunctionsFailureFailsTheInvocationSoLambdaRetriesIt() {
        Map<String, String> vars = Map.of(TriggerConfig.TOPIC_ARN, TOPIC,
                TriggerConfig.STATE_MACHINE_ARN, "arn:aws:states:us-east-1:123456789012:stateMachine:deleted");
        TriggerHandler trigger = new TriggerHandler(TriggerConfig.fromEnvironment(vars), triggerSfn, budgets(), EngineLog.lines(log::add));
        assertThatThrownBy(() -> invoke(trigger, event("sns-budget-actual.json")))
                .isInstanceOf(software.amazon.awssdk.services.sfn.model.SfnException.class);
        assertThat(log).last().asString().contains("FAILED").contains("retries");
    }

    @Test
    void aPauseRefusedBecauseAResumeHeldTheLockIsStartedAgainByTheRedeliveredAlarm() throws IOException {
        String first = "budget-prod-monthly-actual-1000p00-2026-11";
        String firstArn = machine.replace(":stateMachine:", ":execution:") + ":" + first;
        // moto records executions without running them, so none ever fails; the proxy answers DescribeExecution for
        // the first one as Step Functions does for an execution whose Plan was refused during a resume (the Fail
        // state PlanRejected: status FAILED, error HitBreaks.OperationInProgress; DescribeExecution API reference)
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start();
                SfnClient viaProxy = SfnClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            Map<String, String> vars = Map.of(TriggerConfig.TOPIC_ARN, TOPIC, TriggerConfig.STATE_MACHINE_ARN, machine);
            TriggerHandler trigger = new TriggerHandler(TriggerConfig.fromEnvironment(vars), viaProxy, budgets(), EngineLog.lines(log::add));

            assertThat(invoke(trigger, event("sns-budget-actual.json")).get(0).path("result").asText()).isEqualTo("STARTED");
            proxy.respondInstead(c -> c.operation().equals("DescribeExecution") && c.body().contains("\"" + firstArn + "\""), 2,
                    c -> new FaultProxy.Answer(200, "application/x-amz-json-1.0", Json.write(Map.of(
                            "executionArn", firstArn, "stateMachineArn", machine, "name", first, "status", "FAILED",
                            "startDate", 1.7644896e9, "stopDate", 1.764489601e9, "input", "{}",
                            "error", "HitBreaks.OperationInProgress",
                            "cause", "a resume is already running in this account (operation resume-20261125-150000-0a1b2c)"))));

            JsonNode again = invoke(trigger, event("sns-budget-actual.json")).get(0);
            assertThat(again.path("result").asText()).as("the refused pause is started again").isEqualTo("STARTED");
            assertThat(again.path("executionName").asText()).isEqualTo(first + "-r1");
            assertThat(again.path("reason").asText()).contains(first + " ended FAILED (HitBreaks.OperationInProgress)");
            assertThat(executions()).extracting(ExecutionListItem::name).containsExactlyInAnyOrder(first, first + "-r1");

            JsonNode third = invoke(trigger, event("sns-budget-actual.json")).get(0);
            assertThat(third.path("result").asText()).as("the second start runs: nothing new").isEqualTo("ALREADY_STARTED");
            assertThat(third.path("executionName").asText()).isEqualTo(first + "-r1");
            assertThat(executions()).hasSize(2);
        }
    }

    @Test
    void anExecutionThatAPersonStoppedIsNotStartedAgain() throws IOException {
        invoke(handler(), event("sns-budget-actual.json"));
        sfn.stopExecution(b -> b.executionArn(executions().get(0).executionArn())); // ABORTED
        assertThat(invoke(handler(), event("sns-budget-actual.json")).get(0).path("result").asText()).isEqualTo("ALREADY_STARTED");
        assertThat(executions()).hasSize(1);
    }

    @Test
    void aBudgetsAlertsAreOnePausePerBudgetPeriodFromItsTimeUnit() throws IOException {
        createBudget("prod-daily", "DAILY");
        createBudget("prod-quarterly", "QUARTERLY");
        createBudget("prod-annual", "ANNUALLY");
        String sample = event("sns-budget-actual.json"); // SNS Timestamp 2026-11-25T15:56:27.357Z
        for (String[] c : new String[][] {{"prod-daily", "2026-11-25", "daily"}, {"prod-quarterly", "2026-Q4", "quarterly"},
                {"prod-annual", "2026", "annually"}, {"prod-monthly", "2026-11", "monthly"}}) {
            JsonNode outcome = invoke(handler(), sample.replace("prod-monthly", c[0])).get(0);
            assertThat(outcome.path("result").asText()).as(c[0]).isEqualTo("STARTED");
            assertThat(outcome.path("executionName").asText()).as(c[0]).isEqualTo("budget-" + c[0] + "-actual-1000p00-" + c[1]);
            assertThat(outcome.path("reason").asText()).as(c[0]).contains(c[2] + " period " + c[1]);
        }
        // the next day, a daily budget's alert is a new pause
        String nextDay = sample.replace("prod-monthly", "prod-daily").replace("2026-11-25T15:56:27.357Z", "2026-11-26T08:00:00.000Z");
        assertThat(invoke(handler(), nextDay).get(0).path("executionName").asText())
                .isEqualTo("budget-prod-daily-actual-1000p00-2026-11-26");

        // a budget DescribeBudget cannot find (deleted, or the permission missing): its period is taken as a day
        JsonNode unknown = invoke(handler(), sample.replace("prod-monthly", "prod-gone")).get(0);
        assertThat(unknown.path("executionName").asText()).isEqualTo("budget-prod-gone-actual-1000p00-2026-11-25");
        assertThat(unknown.path("reason").asText()).contains("taken as a day").contains("DescribeBudget failed");
    }

    @Test
    void invalidConfigurationFailsInitNamingTheVariable() {
        assertThatThrownBy(() -> new TriggerHandler(Map.of(TriggerConfig.TOPIC_ARN, TOPIC, TriggerConfig.STATE_MACHINE_ARN, machine,
                TriggerConfig.ALERT_TYPES, "SOMETIMES")))
                .isInstanceOf(TriggerConfigurationException.class).hasMessageContaining("TRIGGER_ALERT_TYPES");
        assertThatThrownBy(() -> new TriggerHandler(Map.of(TriggerConfig.TOPIC_ARN, TOPIC)))
                .isInstanceOf(TriggerConfigurationException.class).hasMessageContaining("STATE_MACHINE_ARN");
    }
}
