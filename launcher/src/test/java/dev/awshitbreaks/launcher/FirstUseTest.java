package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.RecordingProxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * First use: in an account without the snapshot table and bucket, a read-only look (--discover, --pause --dry-run)
 * works without --yes and without creating anything, listing the resources and saying that no report was stored.
 * Against moto through a {@link RecordingProxy}, the table and bucket are read back afterwards.
 */
class FirstUseTest {
    private static final String TABLE = "first-use-snapshots";
    private static final String BUCKET = "first-use-bucket";

    private MotoServer moto;
    private MotoAccount account;
    private RecordingProxy proxy;
    @TempDir
    Path home;

    @BeforeEach
    void setUp() {
        moto = MotoServer.get();
        moto.reset();
        account = new MotoAccount(moto.endpoint());
        proxy = RecordingProxy.forwardingTo(moto.endpoint());
    }

    @AfterEach
    void close() {
        proxy.close();
    }

    private InProcess.Run local(String... args) {
        List<String> all = new ArrayList<>(List.of("--local", "--endpoint-url", proxy.endpoint().toString(), "--state-region",
                "us-east-1", "--table", TABLE, "--bucket", BUCKET, "--region", "us-east-1"));
        all.addAll(List.of(args));
        return new InProcess(home).run(all.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--discover", "--pause --dry-run"})
    void aLookWithoutTheSnapshotStoreCreatesNothingAndSaysNoReportWasStored(String mode) throws Exception {
        String a = account.runInstance("us-east-1", "t3.micro");
        List<String> args = new ArrayList<>(List.of(mode.split(" ")));

        InProcess.Run json = local(concat(args, "--output", "json"));
        InProcess.Run table = local(args.toArray(String[]::new));

        assertThat(json.exit()).as(json.err()).isEqualTo(ExitCode.OK);
        JsonNode doc = json.json();
        assertThat(doc.path("resources").findValuesAsText("id")).contains(a);
        assertThat(doc.path("reportStored").asBoolean(true)).isFalse();
        assertThat(doc.path("reportNotStoredBecause").asText()).contains("no report was stored").contains(TABLE).contains(BUCKET);
        assertThat(json.err()).contains("no report was stored");
        assertThat(table.exit()).as(table.err()).isEqualTo(ExitCode.OK);
        assertThat(table.out()).contains(a).contains(mode.equals("--discover") ? "discovered" : "would-pause");
        assertThat(table.err()).contains("no report was stored").contains("--yes");

        assertThat(proxy.mutatingCalls()).as("changing AWS calls").isEmpty();
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
                S3Client s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                        .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(dynamo.listTables().tableNames()).as("tables read back").doesNotContain(TABLE);
            assertThat(s3.listBuckets().buckets()).as("buckets read back").noneMatch(b -> b.name().equals(BUCKET));
        }
        assertThat(account.state("us-east-1", a)).isEqualTo("running");
    }

    private static String[] concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
