package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.EngineLog;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.restop.RdsRestopper;
import dev.awshitbreaks.restop.RestopSettings;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import dev.awshitbreaks.testing.RecordingProxy;
import dev.awshitbreaks.trigger.TriggerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The catalogue of malformed input for the functions, {@code src/test/resources/bad-input/handler-inputs.txt}:
 * state machine documents for the plan, target, readiness and summary steps, SNS events for the trigger and
 * EventBridge events for the re-stop. Every handler runs for real against a seeded moto account behind a
 * {@link RecordingProxy}. The state machine steps must throw {@link InvalidRequestException} (which the state
 * machine catches by name) naming the problem before any AWS call; the trigger and the re-stop must not throw,
 * and report the outcome and reason, making no changing call (no execution is started). No case may take more
 * than ten seconds, show a stack trace, or change the account.
 */
class BadHandlerInputTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:aws-hit-breaks-alarms";
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    private static final Pattern REPEAT = Pattern.compile("\\{repeat:(\\d+):([^}]*)}");

    private static MixedAccount account;
    private static RecordingProxy proxy;
    private static Map<String, String> before;
    private static BrakeEngine engine;
    private static SfnClient sfn;
    private static TriggerHandler trigger;
    private static RdsRestopper restopper;
    private static final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void seed() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        account = new MixedAccount(moto.endpoint());
        account.ec2Instance("us-east-1", "t3.micro", true, Map.of());
        account.ec2Instance("eu-west-1", "t3.micro", true, Map.of());
        account.rdsInstance("us-east-1", "orders-db", false, Map.of());
        proxy = RecordingProxy.forwardingTo(moto.endpoint());
        AwsClients clients = new AwsClients(new AwsSettings(proxy.endpoint(), "us-east-1", "bad-input", "bad-input-bucket"),
                MotoAccount.CREDENTIALS);
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), "us-east-1");
        storage.createTable("bad-input");
        storage.createBucket("bad-input-bucket", false);
        engine = BrakeEngine.create(clients, EngineSettings.defaults());
        sfn = SfnClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        String machine = sfn.createStateMachine(b -> b.name("brake")
                .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}")
                .roleArn("arn:aws:iam::123456789012:role/brake-state-machine")).stateMachineArn();
        trigger = new TriggerHandler(TriggerConfig.fromEnvironment(Map.of(TriggerConfig.TOPIC_ARN, TOPIC,
                TriggerConfig.STATE_MACHINE_ARN, machine)), sfn, EngineLog.lines(log::add));
        restopper = new RdsRestopper(clients::rds, engine.store(), RestopSettings.fromEnvironment(Map.of()), EngineLog.lines(log::add));
        before = account.observe(REGIONS);
    }

    @AfterAll
    static void close() {
        sfn.close();
        proxy.close();
        account.close();
    }

    static Stream<Arguments> cases() throws IOException {
        return catalogue().stream();
    }

    /** handler, name, expected, fragment, body. */
    static List<Arguments> catalogue() throws IOException {
        String text;
        try (InputStream in = BadHandlerInputTest.class.getResourceAsStream("/bad-input/handler-inputs.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Arguments> out = new ArrayList<>();
        String[] header = null;
        List<String> body = new ArrayList<>();
        for (String line : (text + "\n=== end").split("\n")) {
            if (line.startsWith("=== ")) {
                if (header != null) {
                    out.add(Arguments.of(header[0], header[1], header[2], header[3], body(body)));
                }
                header = line.substring(4).split("\\s*\\|\\s*", 4);
                body = new ArrayList<>();
            } else if (header != null) {
                body.add(line);
            }
        }
        return out;
    }

    private static String body(List<String> lines) throws IOException {
        String first = lines.isEmpty() ? "" : lines.get(0);
        if (!first.startsWith("@")) {
            return expand(String.join("\n", lines).strip());
        }
        JsonNode doc = Json.mapper().readTree(Files.readString(ProjectTools.root().resolve(first.substring(1))));
        for (String patch : lines.subList(1, lines.size())) {
            if (patch.isBlank()) {
                continue;
            }
            int sp = patch.indexOf(' ');
            String pointer = patch.substring(0, sp);
            String rest = patch.substring(sp + 1).strip();
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = doc.at(pointer.substring(0, slash));
            String last = pointer.substring(slash + 1);
            if (rest.equals("-")) {
                ((ObjectNode) parent).remove(last);
                continue;
            }
            JsonNode value = Json.mapper().readTree(expand(rest.substring(1).strip()));
            if (parent instanceof ArrayNode array) {
                array.set(Integer.parseInt(last), value);
            } else {
                ((ObjectNode) parent).set(last, value);
            }
        }
        return Json.write(doc);
    }

    private static String expand(String s) {
        Matcher m = REPEAT.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static RequestStreamHandler handler(String name) {
        return switch (name) {
            case "plan" -> new PlanHandler(engine);
            case "target" -> new TargetHandler(engine);
            case "readiness" -> new ReadinessHandler(engine);
            case "summarize" -> new SummarizeHandler(engine);
            case "trigger" -> trigger;
            case "restop" -> new RestopHandler(restopper);
            default -> throw new IllegalArgumentException("no handler " + name);
        };
    }

    /** What the invocation gave: its output document, or the exception it threw. */
    record Result(JsonNode output, Throwable thrown) {
    }

    private static Result invoke(String handler, String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler(handler).handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
            return new Result(Json.mapper().readTree(out.toByteArray()), null);
        } catch (Exception | Error e) {
            return new Result(null, e);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void isRefusedNamingTheProblemWithoutChangingTheAccount(String handler, String name, String expected, String fragment,
            String input) {
        proxy.clear();
        log.clear();

        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> invoke(handler, input), name + " hung");

        String said;
        if (expected.equals("InvalidRequestException")) {
            assertThat(r.thrown()).as(name + " throws the named exception the state machine catches")
                    .isInstanceOf(InvalidRequestException.class);
            said = r.thrown().getMessage();
            assertThat(proxy.calls()).as(name + ": checked before the first AWS call").isEmpty();
        } else {
            assertThat(r.thrown()).as(name + " never throws").isNull();
            JsonNode outcome = handler.equals("trigger") ? r.output().path("outcomes").get(0) : r.output();
            String result = handler.equals("trigger") ? outcome.path("result").asText() : outcome.path("action").asText();
            assertThat(result).as(name + ": " + outcome).isEqualTo(expected);
            said = outcome.path("reason").asText();
            assertThat(String.join("\n", log)).as(name + ": the log").doesNotContain("\tat ").doesNotContain("Exception");
        }
        assertThat(said).as(name).contains(fragment).doesNotContain("\tat ");
        assertThat(said.length()).as(name + ": the message stays short").isLessThan(600);
        assertThat(proxy.mutatingCalls()).as(name + ": changing AWS calls").isEmpty();
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machineArn())).executions()).as(name + ": executions").isEmpty();
        assertThat(account.observe(REGIONS)).as(name + ": the account").isEqualTo(before);
    }

    /**
     * Every field each function reads, in each sample document of {@code events/}, replaced by each JSON type it is
     * not: a wrongly typed value is refused naming the field, never coerced (a number read as a string, "true" or
     * 1 read as a boolean, a fraction read as a whole number, a single value read as a list). handler, document,
     * JSON pointer of the field, the wrong value.
     */
    static Stream<Arguments> wrongTypes() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String doc : List.of("plan-pause.json", "plan-resume-snapshot.json")) {
            wrongTypesOf(out, "plan", doc, readEvent(doc), "");
        }
        for (String[] step : new String[][] {{"target", "target-pause.json"}, {"readiness", "readiness.json"},
                {"summarize", "summarize.json"}}) {
            JsonNode d = readEvent(step[1]);
            // the summary reads only the target and the error of each target result; counts and failures come from S3
            if (d.has("firstResults")) {
                ((ObjectNode) d.path("firstResults").get(0)).remove(List.of("counts", "failures"));
                ((ObjectNode) d).remove("secondResults");
            }
            wrongTypesOf(out, step[0], step[1], d, "");
        }
        // AWS's documents: only the fields the functions read (AWS may add or retype others)
        for (String pointer : List.of("/Records/0/EventSource", "/Records/0/Sns/TopicArn", "/Records/0/Sns/MessageId",
                "/Records/0/Sns/Message", "/Records/0/Sns/Timestamp", "/Records/0/Sns/Subject")) {
            wrongTypesAt(out, "trigger", "sns-cloudwatch-billing-alarm.json", pointer, textual(pointer));
        }
        for (String doc : List.of("sns-cloudwatch-billing-alarm.json", "sns-cost-anomaly.json")) {
            JsonNode message = Json.mapper().readTree(readEvent(doc).at("/Records/0/Sns/Message").asText());
            List<String> fields = doc.contains("cloudwatch")
                    ? List.of("AlarmName", "NewStateValue", "OldStateValue", "StateChangeTime", "AWSAccountId", "Trigger/MetricName",
                            "Trigger/Namespace")
                    : List.of("anomalyId", "monitorName", "subscriptionName", "anomalyStartDate", "accountId");
            for (String f : fields) {
                if (!message.at("/" + f).isMissingNode()) {
                    wrongTypesAt(out, "trigger", doc, "/Records/0/Sns/Message#/" + f, textual(f));
                }
            }
        }
        for (String pointer : List.of("/source", "/detail-type", "/region", "/detail/EventID", "/detail/SourceType",
                "/detail/SourceArn", "/detail/SourceIdentifier")) {
            wrongTypesAt(out, "restop", "rds-event-0154-instance.json", pointer, textual(pointer));
        }
        return out.stream();
    }

    private static JsonNode textual(String pointer) {
        return Json.mapper().getNodeFactory().textNode("x");
    }

    private static JsonNode readEvent(String name) throws IOException {
        return Json.mapper().readTree(Files.readString(ProjectTools.root().resolve("events/" + name)));
    }

    private static void wrongTypesOf(List<Arguments> out, String handler, String doc, JsonNode node, String pointer) {
        if (!pointer.isEmpty()) {
            wrongTypesAt(out, handler, doc, pointer, node);
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> wrongTypesOf(out, handler, doc, e.getValue(), pointer + "/" + e.getKey()));
        } else if (node.isArray() && !node.isEmpty()) {
            wrongTypesOf(out, handler, doc, node.get(0), pointer + "/0");
        }
    }

    /** The values of every JSON type but the field's own (a null in the sample stands for a string). */
    private static void wrongTypesAt(List<Arguments> out, String handler, String doc, String pointer, JsonNode sample) {
        List<String> wrong = new ArrayList<>(List.of("7", "1.5", "true", "\"true\"", "{\"a\": \"b\"}", "[\"x\"]", "[]"));
        if (sample.isTextual() || sample.isNull()) {
            wrong.removeAll(List.of("\"true\""));
        } else if (sample.isBoolean()) {
            wrong.removeAll(List.of("true"));
            wrong.add("1");
        } else if (sample.isIntegralNumber()) {
            wrong.removeAll(List.of("7"));
            wrong.add("\"1\"");
        } else if (sample.isArray()) {
            wrong.removeAll(List.of("[\"x\"]", "[]"));
            wrong.add("\"x\"");
        } else if (sample.isObject()) {
            wrong.removeAll(List.of("{\"a\": \"b\"}"));
        }
        for (String value : wrong) {
            out.add(Arguments.of(handler, doc, pointer, value));
        }
    }

    /** The document with the field at pointer (inside the SNS message's JSON after a '#') set to value. */
    private static String withValue(String doc, String pointer, String value) throws IOException {
        JsonNode root = readEvent(doc);
        if (doc.equals("summarize.json")) {
            ((ObjectNode) root.path("firstResults").get(0)).remove(List.of("counts", "failures"));
            ((ObjectNode) root).remove("secondResults");
        }
        String[] parts = pointer.split("#", 2);
        if (parts.length == 2) {
            JsonNode message = Json.mapper().readTree(root.at(parts[0]).asText());
            set(message, parts[1], Json.mapper().readTree(value));
            set(root, parts[0], Json.mapper().getNodeFactory().textNode(Json.write(message)));
        } else {
            set(root, pointer, Json.mapper().readTree(value));
        }
        return Json.write(root);
    }

    private static void set(JsonNode root, String pointer, JsonNode value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} = {3}")
    @MethodSource("wrongTypes")
    void aWronglyTypedFieldIsRefusedNamingTheFieldBeforeAnyAwsCall(String handler, String doc, String pointer, String value)
            throws IOException {
        String input = withValue(doc, pointer, value);
        proxy.clear();
        log.clear();

        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> invoke(handler, input), pointer + " hung");

        String[] names = pointer.replace("#", "").split("/");
        String field = names[names.length - 1].matches("\\d+") ? names[names.length - 2] : names[names.length - 1];
        String said;
        switch (handler) {
            case "trigger" -> {
                assertThat(r.thrown()).as("the trigger never throws").isNull();
                JsonNode outcome = r.output().path("outcomes").get(0);
                assertThat(outcome.path("result").asText()).as(outcome.toString()).isEqualTo("UNREADABLE");
                said = outcome.path("reason").asText();
            }
            case "restop" -> {
                assertThat(r.thrown()).as("the re-stop never throws").isNull();
                assertThat(r.output().path("action").asText()).as(r.output().toString()).isEqualTo("ignored");
                said = r.output().path("reason").asText();
            }
            default -> {
                assertThat(r.thrown()).as("throws the named exception the state machine catches")
                        .isInstanceOf(InvalidRequestException.class);
                said = r.thrown().getMessage();
                assertThat(proxy.calls()).as("checked before the first AWS call").isEmpty();
            }
        }
        assertThat(said).as("names the field").contains(field).doesNotContain("\tat ");
        assertThat(proxy.mutatingCalls()).as("changing AWS calls").isEmpty();
    }

    private static String machineArn() {
        return sfn.listStateMachines().stateMachines().get(0).stateMachineArn();
    }

    @Test
    void theCatalogueCoversAtLeastFortyKindsOfBadInputAcrossEveryHandler() throws IOException {
        List<Arguments> all = catalogue();
        assertThat(all).hasSizeGreaterThanOrEqualTo(40);
        assertThat(all.stream().map(a -> a.get()[0] + " " + a.get()[1]).distinct()).hasSameSizeAs(all);
        Map<Object, Long> perHandler = new HashMap<>();
        all.forEach(a -> perHandler.merge(a.get()[0], 1L, Long::sum));
        assertThat(perHandler.keySet()).containsExactlyInAnyOrder("plan", "target", "readiness", "summarize", "trigger", "restop");
    }
}
