package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.EveryServiceAccount;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Not a test of the product: the tool that made {@code stored-format/every-service-v1.json}, the snapshot
 * {@link StoredSnapshotFormatTest} resumes. It seeds one of every resource in us-east-1 in moto, pauses it through
 * the launcher, and writes every DynamoDB item of the table (as DynamoDB JSON) and the S3 document's exact text.
 * Its name keeps it out of the default test run; run it on purpose, on the version whose format is to be kept:
 * {@code mvn -pl launcher -am test -Dtest=SnapshotFormatCapture -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcapture.to=$PWD/launcher/src/test/resources/stored-format/every-service-v1.json}.
 */
class SnapshotFormatCapture {
    static final List<String> REGIONS = List.of("us-east-1");
    static final String BUCKET = "aws-hit-breaks-123456789012-us-east-1";

    @Test
    void capture() throws Exception {
        String to = System.getProperty("capture.to");
        assertThat(to).as("-Dcapture.to=<file>").isNotBlank();
        MotoServer moto = MotoServer.get();
        moto.reset();
        try (ProvisionedConcurrencyStub stub = ProvisionedConcurrencyStub.start(moto.endpoint());
                MixedAccount account = new MixedAccount(stub.endpoint());
                AwsClients clients = new AwsClients(new AwsSettings(stub.endpoint(), "us-east-1", Launcher.DEFAULT_TABLE, BUCKET),
                        MotoAccount.CREDENTIALS)) {
            EveryServiceAccount.Seeded seeded = new EveryServiceAccount(account).seed(REGIONS).get(0);
            LauncherRun pause = LauncherRun.local(stub.endpoint(), EveryServiceAccount.pauseArgs("--region", "us-east-1", "--yes", "--output", "json"));
            assertThat(pause.exit()).as(pause.err()).isZero();
            String snapshotId = pause.json().path("snapshotId").asText();

            ObjectNode out = Json.mapper().createObjectNode();
            out.put("snapshotId", snapshotId);
            out.set("seeded", Json.mapper().valueToTree(seeded));
            ArrayNode items = out.putArray("items");
            clients.dynamoDb().scanPaginator(b -> b.tableName(Launcher.DEFAULT_TABLE)).items().stream()
                    .map(DynamoDbJson::item)
                    .sorted(Comparator.comparing((ObjectNode i) -> i.path("pk").toString() + i.path("sk")))
                    .forEach(items::add);
            String key = "snapshots/" + snapshotId + ".json";
            out.put("documentKey", key);
            out.put("document", clients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asString(StandardCharsets.UTF_8));
            Files.writeString(Path.of(to), Json.writePretty(out) + "\n");
        }
    }
}
