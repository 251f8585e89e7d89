package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.notify.SummaryNotifier;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.RecordingProxy;
import dev.awshitbreaks.testing.ProjectTools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The summary step publishes what the operation did to the notification topic; moto delivers it over HTTP. */
class SummaryNotificationTest {
    private static final String SNAPSHOT = "pause-20261125-181921-3fa9c1";
    private final LinkedBlockingQueue<JsonNode> delivered = new LinkedBlockingQueue<>();
    private HttpServer subscriber;
    private BrakeEngine engine;
    private AwsClients clients;
    /** The handler's own clients and engine: its calls go through a recording proxy, checked against SummarizeFunctionRole. */
    private RecordingProxy recording;
    private AwsClients summarizeClients;
    private BrakeEngine summarizeEngine;
    private MotoAccount account;

    @BeforeEach
    void setUp() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        account = new MotoAccount(moto.endpoint());
        clients = new AwsClients(new AwsSettings(moto.endpoint(), "us-east-1", "notify-test", "notify-test-bucket"),
                MotoAccount.CREDENTIALS);
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), "us-east-1");
        storage.createTable("notify-test");
        storage.createBucket("notify-test-bucket", false);
        engine = BrakeEngine.create(clients, EngineSettings.defaults());
        recording = RecordingProxy.forFunction("Summarize", moto.endpoint());
        summarizeClients = new AwsClients(new AwsSettings(recording.endpoint(), "us-east-1", "notify-test", "notify-test-bucket"),
                MotoAccount.CREDENTIALS);
        summarizeEngine = BrakeEngine.create(summarizeClients, EngineSettings.defaults());
        subscriber = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        subscriber.createContext("/", exchange -> {
            delivered.add(Json.mapper().readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        subscriber.start();
    }

    @AfterEach
    void tearDown() {
        subscriber.stop(0);
        summarizeClients.close();
        recording.close();
    }

    private JsonNode summarize(SummarizeHandler handler) throws Exception {
        return summarize(handler, null);
    }

    private JsonNode summarize(SummarizeHandler handler, com.amazonaws.services.lambda.runtime.Context context) throws Exception {
        String event = Files.readString(ProjectTools.root().resolve("events/summarize.json"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return Json.mapper().readTree(out.toByteArray());
    }

    private void snapshotHeader() throws Exception {
        Request request = Request.fromJson(Files.readString(ProjectTools.root().resolve("events/plan-pause.json"))).validated();
        engine.store().putHeader(new OperationHeader(SNAPSHOT, Action.PAUSE, false, OperationHeader.PAUSING, "manual",
                request, Instant.now(), Instant.now(), null));
    }

    @Test
    void theSummaryIsPublishedWithItsCountsFailuresAndWhereTheReportIs() throws Exception {
        String topic = clients.sns().createTopic(b -> b.name("hit-breaks-notifications")).topicArn();
        clients.sns().subscribe(b -> b.topicArn(topic).protocol("http")
                .endpoint("http://127.0.0.1:" + subscriber.getAddress().getPort() + "/"));
        delivered.poll(5, TimeUnit.SECONDS); // a subscription confirmation, if the emulator sends one
        delivered.clear();
        snapshotHeader();

        JsonNode summary = summarize(new SummarizeHandler(summarizeEngine, new SummaryNotifier(summarizeClients.sns(), topic, "notify-test-bucket")));

        assertThat(summary.path("notification").asText()).isEqualTo("sent");
        JsonNode note = delivered.poll(10, TimeUnit.SECONDS);
        assertThat(note).as("a notification reached the subscriber").isNotNull();
        assertThat(note.path("Subject").asText()).startsWith("aws-hit-breaks: pause partial").contains("with failures");
        assertThat(note.path("Message").asText())
                .contains("Operation: " + SNAPSHOT)
                .contains("target ec2 eu-west-1: java.lang.IllegalStateException: eu-west-1 is unreachable")
                .contains("s3://notify-test-bucket/reports/" + SNAPSHOT + ".json");
    }

    @Test
    void aNotificationThatCannotBeSentIsLoggedAsAnErrorThroughTheInvocationsLambdaLoggerNotStderr() throws Exception {
        snapshotHeader();
        String missing = "arn:aws:sns:us-east-1:123456789012:no-such-topic";
        java.util.List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.io.PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            summarize(new SummarizeHandler(summarizeEngine, new SummaryNotifier(summarizeClients.sns(), missing, "notify-test-bucket")),
                    new LoggingContext(logged::add));
        } finally {
            System.setErr(stderr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).as("nothing on System.err").doesNotContain("notification was not sent");
        assertThat(logged).singleElement().asString()
                .startsWith("ERROR aws-hit-breaks: the summary notification was not sent: failed:");
    }

    @Test
    void aNotificationThatCannotBeSentIsReportedAndTheSummaryStillStands() throws Exception {
        snapshotHeader();
        String missing = "arn:aws:sns:us-east-1:123456789012:no-such-topic";

        JsonNode summary = summarize(new SummarizeHandler(summarizeEngine, new SummaryNotifier(summarizeClients.sns(), missing, "notify-test-bucket")));

        assertThat(summary.path("notification").asText()).startsWith("failed:");
        assertThat(summary.path("status").asText()).isEqualTo("partial");
        assertThat(summary.path("failedTargets").findValuesAsText("error")).hasSize(2)
                .anySatisfy(e -> assertThat(e).contains("eu-west-1 is unreachable"))
                .anySatisfy(e -> assertThat(e).contains("missing")); // no target step stored us-east-1's result here
    }

    @Test
    void withoutATopicNothingIsPublished() throws Exception {
        snapshotHeader();
        assertThat(summarize(new SummarizeHandler(summarizeEngine)).path("notification").asText()).isEqualTo("not configured");
    }
}
