package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
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
                TriggerConfig.STATE_MACHINE_ARN, machine)), sfn, log::add);
        restopper = new RdsRestopper(clients::rds, engine.store(), RestopSettings.fromEnvironment(Map.of()), log::add);
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
