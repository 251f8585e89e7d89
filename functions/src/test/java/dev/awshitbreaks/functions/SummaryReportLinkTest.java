package dev.awshitbreaks.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.engine.ProgressListener;
import dev.awshitbreaks.notify.SummaryNotifier;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The summary states the estimated savings and links the HTML report with a pre-signed GET; moto delivers it over HTTP. */
class SummaryReportLinkTest {
    private final LinkedBlockingQueue<JsonNode> delivered = new LinkedBlockingQueue<>();
    private HttpServer subscriber;
    private AwsClients clients;
    private MotoAccount account;

    @BeforeEach
    void setUp() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        account = new MotoAccount(moto.endpoint());
        clients = new AwsClients(new AwsSettings(moto.endpoint(), "us-east-1", "link-test", "link-test-bucket"),
                MotoAccount.CREDENTIALS);
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), "us-east-1");
        storage.createTable("link-test");
        storage.createBucket("link-test-bucket", false);
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
        clients.close();
    }

    @Test
    void theSummaryStatesHourlyAndMonthlySavingsAndLinksTheHtmlReportWithAPresignedGet() throws Exception {
        account.runInstance("us-east-1", "t3.micro");
        account.runInstance("us-east-1", "m5.large");
        String topic = clients.sns().createTopic(b -> b.name("hit-breaks-notifications")).topicArn();
        clients.sns().subscribe(b -> b.topicArn(topic).protocol("http")
                .endpoint("http://127.0.0.1:" + subscriber.getAddress().getPort() + "/"));
        delivered.poll(5, TimeUnit.SECONDS); // a subscription confirmation, if the emulator sends one
        delivered.clear();
        BrakeEngine engine = BrakeEngine.create(clients, EngineSettings.defaults());
        OperationReport pause = engine.run(new Request(Action.PAUSE, List.of("us-east-1"), List.of("ec2"), null, null, null,
                false, null, null), ProgressListener.NONE);
        SummaryNotifier notifier = new SummaryNotifier(clients.sns(), topic, "link-test-bucket", clients.s3Presigner());

        assertThat(notifier.publish(pause)).isEqualTo("sent");

        JsonNode note = delivered.poll(10, TimeUnit.SECONDS);
        assertThat(note).as("a notification reached the subscriber").isNotNull();
        String message = note.path("Message").asText();
        // t3.micro 0.0104 + m5.large 0.096 = 0.1064 per hour; x 730 = 77.672 per month
        assertThat(message).contains("Estimated savings: USD 0.1064 per hour, USD 77.672 per month (730 h)");
        Matcher link = Pattern.compile("(http\\S+/reports/" + pause.operationId() + "\\.html\\?\\S+)").matcher(message);
        assertThat(link.find()).as(message).isTrue();
        String url = link.group(1);
        assertThat(url).contains("X-Amz-Signature=").contains("X-Amz-Expires=604800"); // 7 days

        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("<svg id=\"by-service\"").contains("USD 77.67");
    }
}
