package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.engine.SnapshotDocument;
import dev.awshitbreaks.engine.SnapshotIntegrity;
import dev.awshitbreaks.snapshot.SnapshotStore;
import dev.awshitbreaks.testing.EveryServiceAccount;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Snapshot integrity through the launcher: the S3 document and the DynamoDB items agree; when one is damaged or
 * missing, resume says so and {@code --rebuild-from} restores it from the other.
 */
class SnapshotIntegrityTest {
    private static final List<String> REGIONS = List.of("us-east-1");
    private static final String TABLE = Launcher.DEFAULT_TABLE;
    private static final String BUCKET = "aws-hit-breaks-123456789012-us-east-1";

    private ProvisionedConcurrencyStub stub;
    private MixedAccount account;
    private AwsClients clients;
    private SnapshotStore store;
    private Map<String, String> before;
    private Map<String, String> paused;
    private String snapshotId;

    @BeforeEach
    void setUp() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        stub = ProvisionedConcurrencyStub.start(moto.endpoint());
        account = new MixedAccount(stub.endpoint());
        EveryServiceAccount every = new EveryServiceAccount(account);
        every.seed(REGIONS);
        before = account.observe(REGIONS);
        LauncherRun pause = LauncherRun.local(stub.endpoint(), EveryServiceAccount.pauseArgs("--region", "us-east-1", "--yes", "--output", "json"));
        assertThat(pause.exit()).as(pause.err()).isZero();
        snapshotId = pause.json().path("snapshotId").asText();
        paused = account.observe(REGIONS);
        assertThat(paused).isEqualTo(every.expectedWhilePaused(before));
        clients = new AwsClients(new AwsSettings(stub.endpoint(), "us-east-1", TABLE, BUCKET), MotoAccount.CREDENTIALS);
        store = SnapshotStore.dynamoDbAndS3(clients.dynamoDb(), clients.s3(), TABLE, BUCKET);
    }

    @AfterEach
    void tearDown() {
        clients.close();
        account.close();
        stub.close();
    }

    private LauncherRun resume(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--resume", "--yes"));
        args.addAll(List.of(more));
        return LauncherRun.local(stub.endpoint(), args.toArray(String[]::new));
    }

    private Map<String, AttributeValue> key(String sk) {
        return Map.of("pk", AttributeValue.fromS("SNAPSHOT#" + snapshotId), "sk", AttributeValue.fromS(sk));
    }

    @Test
    void theS3DocumentAndTheDynamoDbItemsAgreeAfterPauseAndAfterResume() throws Exception {
        assertAgree();
        assertThat(resume().exit()).isZero();
        assertAgree();
        assertThat(account.observe(REGIONS)).isEqualTo(before);
    }

    private void assertAgree() throws Exception {
        SnapshotIntegrity.Check check = new SnapshotIntegrity(store).check(snapshotId);
        assertThat(check.dynamoDbProblems()).isEmpty();
        assertThat(check.s3Problem()).isEmpty();
        SnapshotDocument doc = Json.mapper().readValue(store.getDocument(SnapshotStore.snapshotKey(snapshotId)).orElseThrow(),
                SnapshotDocument.class);
        assertThat(doc.records()).hasSize(EveryServiceAccount.PAUSED_PER_REGION)
                .containsExactlyInAnyOrderElementsOf(store.records(snapshotId, null, null));
        assertThat(doc.header()).isEqualTo(store.header(snapshotId).orElseThrow());
    }

    @Test
    void damagedAndMissingDynamoDbRecordsAreNamedAndTheResumeRefusedUntilRebuiltFromS3() {
        List<String> keys = store.records(snapshotId, null, null).stream().map(SnapshotStore::recordKey).sorted().toList();
        String damaged = keys.get(0);
        String missing = keys.get(1);
        clients.dynamoDb().updateItem(b -> b.tableName(TABLE).key(key(damaged))
                .updateExpression("SET original = :x").expressionAttributeValues(Map.of(":x", AttributeValue.fromS("{not json"))));
        clients.dynamoDb().deleteItem(b -> b.tableName(TABLE).key(key(missing)));

        LauncherRun refused = resume();

        assertThat(refused.exit()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(refused.err()).contains("snapshot " + snapshotId + " is damaged in DynamoDB")
                .contains("record " + damaged + " is unreadable").contains("record " + missing + " is missing")
                .contains("--rebuild-from s3").doesNotContain("\tat ");
        assertThat(account.observe(REGIONS)).as("nothing was changed").isEqualTo(paused);

        LauncherRun rebuilt = resume("--rebuild-from", "s3");

        assertThat(rebuilt.exit()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.err()).contains("restored 2 item(s) from its S3 copy");
        assertThat(account.observe(REGIONS)).as("every original state restored exactly").isEqualTo(before);
    }

    @Test
    void aMissingHeaderIsNamedAndRebuiltFromS3() {
        clients.dynamoDb().deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("OPERATION"),
                "sk", AttributeValue.fromS(snapshotId))));

        LauncherRun refused = resume("--snapshot", snapshotId);
        assertThat(refused.exit()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(refused.err()).contains("its header (pk OPERATION, sk " + snapshotId + ") is missing").contains("--rebuild-from s3");

        LauncherRun rebuilt = resume("--snapshot", snapshotId, "--rebuild-from", "s3");
        assertThat(rebuilt.exit()).as(rebuilt.err()).isZero();
        assertThat(account.observe(REGIONS)).isEqualTo(before);
    }

    @Test
    void aMissingS3CopyIsReportedAndTheResumeWorksFromDynamoDbAndRewritesIt() {
        clients.s3().deleteObject(b -> b.bucket(BUCKET).key(SnapshotStore.snapshotKey(snapshotId)));

        LauncherRun r = resume();

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("Warning: snapshot " + snapshotId + ": its S3 copy is damaged")
                .contains("is missing").contains("DynamoDB items are intact");
        assertThat(account.observe(REGIONS)).isEqualTo(before);
        assertThat(new SnapshotIntegrity(store).check(snapshotId).s3Intact()).as("rewritten at the end").isTrue();
    }

    @Test
    void aDamagedS3CopyIsRebuiltFromDynamoDbOnRequest() {
        clients.s3().putObject(b -> b.bucket(BUCKET).key(SnapshotStore.snapshotKey(snapshotId)), RequestBody.fromString("{\"formatVersion\":"));

        LauncherRun r = resume("--rebuild-from", "dynamodb", "--dry-run");
        assertThat(r.exit()).isEqualTo(ExitCode.INVALID_INPUT);

        r = resume("--rebuild-from", "dynamodb");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("its S3 copy was damaged").contains("is unreadable").contains("rewritten from DynamoDB");
        assertThat(account.observe(REGIONS)).isEqualTo(before);
    }

    @Test
    void whenBothCopiesAreDamagedTheResumeIsRefusedSayingSoAndChangesNothing() {
        String first = store.records(snapshotId, null, null).stream().map(SnapshotStore::recordKey).sorted().findFirst().orElseThrow();
        clients.dynamoDb().deleteItem(b -> b.tableName(TABLE).key(key(first)));
        clients.s3().deleteObject(b -> b.bucket(BUCKET).key(SnapshotStore.snapshotKey(snapshotId)));
        // with the S3 copy gone, a missing record cannot be seen: damage an item instead
        String second = store.records(snapshotId, null, null).stream().map(SnapshotStore::recordKey).sorted().findFirst().orElseThrow();
        clients.dynamoDb().updateItem(b -> b.tableName(TABLE).key(key(second))
                .updateExpression("SET phase = :x").expressionAttributeValues(Map.of(":x", AttributeValue.fromS("exploded"))));

        LauncherRun r = resume("--rebuild-from", "s3");

        assertThat(r.exit()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).contains("cannot rebuild snapshot " + snapshotId + " from S3").contains("is missing");
        assertThat(resume().err()).contains("Its S3 copy cannot help");
        assertThat(account.observe(REGIONS)).as("nothing was changed").isEqualTo(paused);
    }

    @Test
    void rebuildFromNeedsAResumeAndAKnownCopy() {
        assertThat(LauncherRun.local(stub.endpoint(), "--pause", "--rebuild-from", "s3", "--yes").exit()).isEqualTo(ExitCode.INVALID_INPUT);
        LauncherRun bad = resume("--rebuild-from", "tape");
        assertThat(bad.exit()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(bad.err()).contains("invalid --rebuild-from 'tape'");
    }
}
