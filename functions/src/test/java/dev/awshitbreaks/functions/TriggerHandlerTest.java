package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import dev.awshitbreaks.testing.RecordingProxy;
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
        return new TriggerHandler(TriggerConfig.fromEnvironment(vars), triggerSfn, log::add);
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
        assertThat(input.path("services")).hasSize(6);
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
        JsonNode outcome = invoke(new TriggerHandler(TriggerConfig.fromEnvironment(vars), racing, log::add), event("sns-budget-actual.json"));
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
        TriggerHandler trigger = new TriggerHandler(TriggerConfig.fromEnvironment(vars), triggerSfn, log::add);
        assertThatThrownBy(() -> invoke(trigger, event("sns-budget-actual.json")))
                .isInstanceOf(software.amazon.awssdk.services.sfn.model.SfnException.class);
        assertThat(log).last().asString().contains("FAILED").contains("retries");
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
