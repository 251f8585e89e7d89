package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the launcher says of a missing local snapshot store, word for word, for the table, the bucket or both missing
 * (against moto): {@link SnapshotStoreSetup#missing} and, without {@code --yes}, the refusal with no one at a
 * terminal, the question at one, and what it created.
 */
class SnapshotStoreSetupWordingTest {
    private static final String TABLE = "wording-snapshots";
    private static final String BUCKET = "wording-bucket";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "table | DynamoDB table wording-snapshots | does not exist | it",
        "bucket | S3 bucket wording-bucket | does not exist | it",
        "both | DynamoDB table wording-snapshots and S3 bucket wording-bucket | do not exist | them"})
    void theMissingTableOrBucketIsNamedTheSameWayInEveryMessage(String missing, String what, String doNotExist, String them) {
        MotoServer moto = MotoServer.get();
        moto.reset();
        try (AwsClients clients = new AwsClients(new AwsSettings(moto.endpoint(), "us-east-1", TABLE, BUCKET),
                MotoAccount.CREDENTIALS)) {
            StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), "us-east-1");
            if (missing.equals("bucket")) {
                storage.createTable(TABLE);
            } else if (missing.equals("table")) {
                storage.createBucket(BUCKET, false);
            }

            assertThat(SnapshotStoreSetup.missing(clients)).isEqualTo(what + " " + doNotExist + " in us-east-1");
            assertThatThrownBy(() -> SnapshotStoreSetup.ensure(clients, moto.endpoint(), false, terminal("", false)))
                    .isInstanceOf(Launcher.NotConfirmedException.class)
                    .hasMessage("the snapshot " + what + " in us-east-1 " + doNotExist + "; run again with --yes to create "
                            + them + "; nothing was changed");
            ByteArrayOutputStream declined = new ByteArrayOutputStream();
            assertThat(SnapshotStoreSetup.ensure(clients, moto.endpoint(), false, terminal("n\n", true, declined))).isFalse();
            assertThat(declined.toString(StandardCharsets.UTF_8)).startsWith("Snapshots are kept in " + what
                    + " in us-east-1, which " + doNotExist + ". Create " + them + "?");
            assertThat(SnapshotStoreSetup.missing(clients)).as("nothing created when declined").isNotNull();

            ByteArrayOutputStream created = new ByteArrayOutputStream();
            assertThat(SnapshotStoreSetup.ensure(clients, moto.endpoint(), true, terminal("", false, created))).isTrue();
            assertThat(created.toString(StandardCharsets.UTF_8)).isEqualTo("Created " + what + " in us-east-1"
                    + (missing.equals("table") ? "" : " (without the TLS-only bucket policy: the endpoint is plain HTTP)")
                    + "." + System.lineSeparator());
            assertThat(SnapshotStoreSetup.missing(clients)).isNull();
        }
    }

    private static Terminal terminal(String input, boolean interactive) {
        return terminal(input, interactive, new ByteArrayOutputStream());
    }

    private static Terminal terminal(String input, boolean interactive, ByteArrayOutputStream err) {
        return new Terminal(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), interactive);
    }
}
