package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.engine.SnapshotIntegrity;
import dev.awshitbreaks.snapshot.SnapshotStore;
import dev.awshitbreaks.testing.EveryServiceAccount;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Snapshots stored before the original state was typed still resume, and a pause still writes that format:
 * {@code stored-format/every-service-v1.json} holds every DynamoDB item and the S3 document of a pause of one
 * of every resource (EC2, RDS, Aurora, ECS with a scalable target, Auto Scaling with a process suspended,
 * Lambda provisioned concurrency), made by {@link SnapshotFormatCapture} on the version before the change.
 * The same resources are seeded again here; only what moto draws at random (instance and resource ids) is
 * substituted in the stored text.
 */
class StoredSnapshotFormatTest {
    private static final List<String> REGIONS = SnapshotFormatCapture.REGIONS;
    private static final String TABLE = Launcher.DEFAULT_TABLE;
    private static final String BUCKET = SnapshotFormatCapture.BUCKET;

    private ProvisionedConcurrencyStub stub;
    private MixedAccount account;
    private AwsClients clients;
    private SnapshotStore store;
    private Map<String, String> before;
    private String pausedNow;

    @BeforeEach
    void setUp() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        stub = ProvisionedConcurrencyStub.start(moto.endpoint());
        account = new MixedAccount(stub.endpoint());
        new EveryServiceAccount(account).seed(REGIONS);
        before = account.observe(REGIONS);
        LauncherRun pause = LauncherRun.local(stub.endpoint(), EveryServiceAccount.pauseArgs("--region", "us-east-1", "--yes", "--output", "json"));
        assertThat(pause.exit()).as(pause.err()).isZero();
        pausedNow = pause.json().path("snapshotId").asText();
        clients = new AwsClients(new AwsSettings(stub.endpoint(), "us-east-1", TABLE, BUCKET), MotoAccount.CREDENTIALS);
        store = SnapshotStore.dynamoDbAndS3(clients.dynamoDb(), clients.s3(), TABLE, BUCKET);
    }

    @AfterEach
    void tearDown() {
        clients.close();
        account.close();
        stub.close();
    }

    /** The stored snapshot of today's format, its random ids replaced by those of the resources seeded now. */
    private JsonNode capture() throws Exception {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/stored-format/every-service-v1.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode raw = Json.mapper().readTree(text);
        Map<String, String> now = new TreeMap<>();
        Map<String, String> then = new TreeMap<>();
        for (Map<String, AttributeValue> item : clients.dynamoDb().scan(b -> b.tableName(TABLE)).items()) {
            if (item.get("pk").s().equals("SNAPSHOT#" + pausedNow)) {
                now.put(item.get("sk").s().replaceFirst("#i-[0-9a-f]+$", "#i-"), item.get("original").s());
            }
        }
        for (JsonNode item : raw.path("items")) {
            if (item.path("pk").path("S").asText().startsWith("SNAPSHOT#")) {
                then.put(item.path("sk").path("S").asText().replaceFirst("#i-[0-9a-f]+$", "#i-"), item.path("original").path("S").asText());
            }
        }
        assertThat(now.keySet()).as("the same resources paused as when the format was captured").isEqualTo(then.keySet());
        Map<String, String> substitute = new LinkedHashMap<>();
        // the EC2 instance paused (the running, unprotected one)
        String ec2Now = sk(pausedNow, "ec2");
        String ec2Then = raw.path("items").findValues("sk").stream().map(n -> n.path("S").asText())
                .filter(s -> s.startsWith("us-east-1#ec2#")).findFirst().orElseThrow();
        substitute.put(ec2Then.substring(ec2Then.lastIndexOf('#') + 1), ec2Now.substring(ec2Now.lastIndexOf('#') + 1));
        // the resource ids moto draws for the DB instance and the cluster
        for (String k : List.of("us-east-1#rds#orders-useast1", "us-east-1#aurora#catalog-useast1")) {
            substitute.put(Json.mapper().readTree(then.get(k)).path("resourceId").asText(),
                    Json.mapper().readTree(now.get(k)).path("resourceId").asText());
        }
        for (var e : substitute.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        return Json.mapper().readTree(text);
    }

    private String sk(String snapshotId, String service) {
        return store.records(snapshotId, null, null).stream().filter(r -> r.service().id().equals(service))
                .map(SnapshotStore::recordKey).findFirst().orElseThrow();
    }

    @Test
    void aPauseWritesEveryOriginalStateByteForByteInTodaysFormat() throws Exception {
        JsonNode capture = capture();
        Map<String, String> then = new TreeMap<>();
        for (JsonNode item : capture.path("items")) {
            if (item.has("original")) {
                then.put(item.path("sk").path("S").asText(), item.path("original").path("S").asText());
            }
        }
        Map<String, String> now = new TreeMap<>();
        for (Map<String, AttributeValue> item : clients.dynamoDb().scan(b -> b.tableName(TABLE)).items()) {
            if (item.get("pk").s().equals("SNAPSHOT#" + pausedNow)) {
                now.put(item.get("sk").s(), item.get("original").s());
            }
        }
        assertThat(now).as("the DynamoDB items' original, byte for byte").hasSize(EveryServiceAccount.PAUSED_PER_REGION)
                .isEqualTo(then);

        Map<String, String> inDocumentThen = originals(Json.mapper().readTree(capture.path("document").asText()));
        Map<String, String> inDocumentNow = originals(Json.mapper().readTree(
                store.getDocument(SnapshotStore.snapshotKey(pausedNow)).orElseThrow()));
        assertThat(inDocumentNow).as("the S3 document's originals, field for field in the same order").isEqualTo(inDocumentThen);
    }

    private static Map<String, String> originals(JsonNode document) {
        Map<String, String> out = new TreeMap<>();
        document.path("records").forEach(r -> out.put(r.path("service").asText() + "#" + r.path("id").asText(),
                r.path("original").toString()));
        return out;
    }

    @Test
    void aSnapshotStoredInTodaysFormatResumesEveryResourceExactly() throws Exception {
        JsonNode capture = capture();
        String snapshotId = capture.path("snapshotId").asText();
        replaceStoredSnapshot(capture);
        SnapshotIntegrity.Check check = new SnapshotIntegrity(store).check(snapshotId);
        assertThat(check.dynamoDbProblems()).as("the stored snapshot is whole").isEmpty();
        assertThat(check.s3Problem()).isEmpty();

        LauncherRun resume = LauncherRun.local(stub.endpoint(), "--resume", "--yes", "--output", "json");

        assertThat(resume.exit()).as(resume.err()).isZero();
        assertThat(account.observe(REGIONS)).as("every original state of today's format restored exactly").isEqualTo(before);
        assertThat(store.records(snapshotId, null, null)).as("every record resumed")
                .hasSize(EveryServiceAccount.PAUSED_PER_REGION).allMatch(r -> r.phase().id().equals("resumed"));
    }

    /**
     * An original state that is not the one its service's pause writes, in both copies (so no copy can repair it):
     * a number written as a string, where earlier versions read "1" as 1. The resume is refused before any change,
     * naming the record and the field.
     */
    @Test
    void anOriginalStateOfTheWrongTypeInBothCopiesIsRefusedBeforeAnyChangeNamingTheField() throws Exception {
        JsonNode capture = Json.mapper().readTree(capture().toString()
                .replace("\\\"minSize\\\":1,", "\\\"minSize\\\":\\\"1\\\",")
                .replace("\\\"minSize\\\" : 1,", "\\\"minSize\\\" : \\\"1\\\","));
        assertThat(capture.toString()).as("both copies changed").contains("\\\"minSize\\\":\\\"1\\\"")
                .contains("\\\"minSize\\\" : \\\"1\\\"");
        replaceStoredSnapshot(capture);
        Map<String, String> paused = account.observe(REGIONS);

        LauncherRun resume = LauncherRun.local(stub.endpoint(), "--resume", "--yes");

        assertThat(resume.exit()).as(resume.err()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(resume.err()).contains("snapshot " + capture.path("snapshotId").asText() + " has an unreadable record "
                + "'us-east-1#autoscaling#workers-useast1': its original state is unreadable: field 'minSize' has the wrong type: "
                + "expected a whole number").doesNotContain("\tat ");
        assertThat(account.observe(REGIONS)).as("nothing was changed").isEqualTo(paused);
    }

    /** The table and the bucket hold the captured snapshot instead of the pause's made here. */
    private void replaceStoredSnapshot(JsonNode capture) {
        for (Map<String, AttributeValue> item : clients.dynamoDb().scan(b -> b.tableName(TABLE)).items()) {
            clients.dynamoDb().deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
        }
        clients.s3().deleteObject(b -> b.bucket(BUCKET).key(SnapshotStore.snapshotKey(pausedNow)));
        for (JsonNode item : capture.path("items")) {
            clients.dynamoDb().putItem(b -> b.tableName(TABLE).item(DynamoDbJson.item(item)));
        }
        clients.s3().putObject(b -> b.bucket(BUCKET).key(capture.path("documentKey").asText()),
                RequestBody.fromString(capture.path("document").asText()));
    }
}
