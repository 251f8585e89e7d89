package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.restop.RdsRestopper;
import dev.awshitbreaks.restop.RestopSettings;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.CapturedOutput;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoAuth;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import dev.awshitbreaks.testing.RecordingProxy;
import dev.awshitbreaks.trigger.TriggerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * No credential, session token or request signature ever appears in what the Lambda handlers write, log or
 * throw (the Lambda runtime logs a thrown error's message and stack trace, so those are captured as it would),
 * on success and on error paths (unreachable endpoint, credentials refused by moto with IAM authentication on). The
 * handlers run with distinctive fake session credentials; what they log through Lambda's logger (the invocation's
 * context, to which the trigger's and the re-stop's logs are bound too), System.out/err and java.util.logging at ALL
 * are captured. The functions bind no SLF4J backend, so the SDK's own logging prints nothing at any level (checked).
 */
class NoSecretsInHandlerLogsTest {
    static final String ACCESS_KEY = "AKIAMARKERHANDLER0ID";
    static final String SECRET_KEY = "HandlerMarkerSecret/Key+0123456789abcdefGH";
    static final String TOKEN = "IQoJHandlerMarkerToken//" + "Qx7".repeat(40) + "==";
    static final StaticCredentialsProvider MARKERS =
            StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, TOKEN));

    private CapturedOutput captured;
    /** The invocation's context: its Lambda logger's lines are captured. */
    private LoggingContext context;

    @BeforeEach
    void captureEverything() {
        captured = CapturedOutput.start();
        context = new LoggingContext(line -> captured.add(line));
    }

    @AfterEach
    void restore() {
        captured.close();
    }

    private void record(String s) {
        captured.add(s);
    }

    private void forgetSeeding() {
        captured.forget();
    }

    /** Invokes a handler as Lambda would; what it returns or throws (message and stack trace) is captured. */
    private String invoke(RequestStreamHandler handler, String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, context);
            String result = out.toString(StandardCharsets.UTF_8);
            record(result);
            return result;
        } catch (Exception e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            record(e.getClass().getName() + ": " + e.getMessage() + "\n" + trace);
            return null;
        }
    }

    private static String event(String name) throws Exception {
        return Files.readString(ProjectTools.root().resolve("events").resolve(name));
    }

    private static BrakeEngine engine(URI endpoint) {
        AwsClients clients = new AwsClients(new AwsSettings(endpoint, "us-east-1", "secrets-test", "secrets-test-bucket",
                dev.awshitbreaks.aws.RetrySettings.defaults().withMaxAttempts(2).withApiCallTimeout(Duration.ofSeconds(20))), MARKERS);
        return BrakeEngine.create(clients, EngineSettings.defaults());
    }

    private void assertNoSecrets(List<String> secrets) {
        captured.assertContainsNone(secrets);
    }

    @Test
    void theFunctionsBindNoSlf4jBackendSoTheSdkLogsNothingAtAnyLevel() {
        assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).isEqualTo("org.slf4j.helpers.NOPLoggerFactory");
    }

    @Test
    void theStateMachineStepsTriggerAndRestopNeverShowCredentialsOnSuccessOrFailure() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        try (MixedAccount account = new MixedAccount(moto.endpoint()); RecordingProxy proxy = RecordingProxy.forwardingTo(moto.endpoint())) {
            account.ec2Instance("us-east-1", "t3.micro", true, Map.of());
            AwsClients seeding = new AwsClients(new AwsSettings(moto.endpoint(), "us-east-1", "secrets-test", "secrets-test-bucket"),
                    MotoAccount.CREDENTIALS);
            StateStorage storage = new StateStorage(seeding.dynamoDb(), seeding.s3(), "us-east-1");
            storage.createTable("secrets-test");
            storage.createBucket("secrets-test-bucket", false);
            SfnClient sfn = SfnClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(MARKERS).httpClient(UrlConnectionHttpClient.create()).build();
            forgetSeeding();

            BrakeEngine engine = engine(proxy.endpoint());
            String plan = invoke(new PlanHandler(engine), "{\"action\": \"pause\", \"regions\": [\"us-east-1\"], \"services\": [\"ec2\"]}");
            assertThat(plan).contains("pause-");
            var task = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(plan);
            task.remove(List.of("targets", "firstTargets", "secondTargets"));
            task.set("target", Json.mapper().readTree("{\"region\": \"us-east-1\", \"service\": \"ec2\"}"));
            assertThat(invoke(new TargetHandler(engine), Json.write(task))).contains("paused");
            task.remove("target");
            task.set("firstResults", Json.mapper().readTree("[{\"region\": \"us-east-1\", \"service\": \"ec2\"}]"));
            assertThat(invoke(new SummarizeHandler(engine), Json.write(task))).contains("paused");
            String machine = sfn.createStateMachine(b -> b.name("brake")
                    .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}")
                    .roleArn("arn:aws:iam::123456789012:role/brake-state-machine")).stateMachineArn();
            TriggerHandler trigger = new TriggerHandler(TriggerConfig.fromEnvironment(Map.of(TriggerConfig.TOPIC_ARN,
                    "arn:aws:sns:us-east-1:123456789012:aws-hit-breaks-alarms", TriggerConfig.STATE_MACHINE_ARN, machine)), sfn,
                    FunctionLog.of(context));
            assertThat(invoke(trigger, event("sns-budget-actual.json"))).contains("STARTED");
            RdsRestopper restopper = new RdsRestopper(engine.clients()::rds, engine.store(), RestopSettings.fromEnvironment(Map.of()),
                    FunctionLog.of(context));
            assertThat(invoke(new RestopHandler(restopper), event("rds-event-0154-instance.json"))).isNotNull();

            BrakeEngine unreachable = engine(URI.create("http://127.0.0.1:1"));
            assertThat(invoke(new PlanHandler(unreachable), "{\"action\": \"pause\"}")).as("fails").isNull();
            sfn.close();

            assertThat(proxy.signaturesAndTokens()).as("the token and signatures went over the wire").contains(TOKEN).hasSizeGreaterThan(5);
            List<String> secrets = new ArrayList<>(List.of(ACCESS_KEY, SECRET_KEY, TOKEN));
            secrets.addAll(proxy.signaturesAndTokens());
            assertNoSecrets(secrets);
        }
    }

    @Test
    void refusedCredentialsInTheHandlersNeverShowThem() throws Exception {
        MotoServer own = MotoServer.start();
        try (RecordingProxy proxy = RecordingProxy.forwardingTo(own.endpoint())) {
            MotoAuth.enable(own.endpoint());
            forgetSeeding();

            BrakeEngine engine = engine(proxy.endpoint());
            assertThat(invoke(new PlanHandler(engine), "{\"action\": \"pause\"}")).as("refused").isNull();
            assertThat(invoke(new PlanHandler(engine), "{\"action\": \"resume\"}")).as("refused").isNull();
            SfnClient sfn = SfnClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(MARKERS).httpClient(UrlConnectionHttpClient.create()).build();
            TriggerHandler trigger = new TriggerHandler(TriggerConfig.fromEnvironment(Map.of(TriggerConfig.TOPIC_ARN,
                    "arn:aws:sns:us-east-1:123456789012:aws-hit-breaks-alarms", TriggerConfig.STATE_MACHINE_ARN,
                    "arn:aws:states:us-east-1:123456789012:stateMachine:brake")), sfn, FunctionLog.of(context));
            assertThat(invoke(trigger, event("sns-budget-actual.json"))).as("the start is refused").isNull();
            sfn.close();

            assertThat(proxy.signaturesAndTokens()).contains(TOKEN);
            List<String> secrets = new ArrayList<>(List.of(ACCESS_KEY, SECRET_KEY, TOKEN));
            secrets.addAll(proxy.signaturesAndTokens());
            assertNoSecrets(secrets);
        } finally {
            own.stop();
        }
    }
}
