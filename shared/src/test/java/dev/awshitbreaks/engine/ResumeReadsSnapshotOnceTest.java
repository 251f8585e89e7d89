package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoAccount;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An in-process resume reads its snapshot's records from DynamoDB once (its plan's integrity check) and works from
 * them: no query per target, none per readiness check, none in the summary when every target ended. On DynamoDB's
 * emulator each such query goes through the whole snapshot, which made a resume take 2.6 times its pause
 * (bench/RESULTS.md). Every call goes through a counting proxy to moto; the resume's outcomes are still read back
 * from the services, and the table and the S3 copy end as a read of the table says.
 */
class ResumeReadsSnapshotOnceTest {
    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private EngineFixture f;
    private FaultProxy proxy;
    private AwsClients through;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
        proxy = FaultProxy.builder(f.moto.endpoint()).start();
        through = new AwsClients(new AwsSettings(proxy.endpoint(), US, EngineFixture.TABLE, EngineFixture.BUCKET),
                MotoAccount.CREDENTIALS);
    }

    @AfterEach
    void tearDown() {
        through.close();
        proxy.close();
    }

    private BrakeEngine engine() {
        SnapshotStore store = SnapshotStore.dynamoDbAndS3(through.dynamoDb(), through.s3(), EngineFixture.TABLE, EngineFixture.BUCKET);
        return new BrakeEngine(through, store, EngineFixture.FAST, Clock.systemUTC(), SecureRandom::new,
                BrakeEngine.pausers(through, EngineFixture.FAST));
    }

    private static Request request(Action action) {
        return new Request(action, List.of(US, EU), List.of("ec2", "rds"), null, null, null, false, null, null);
    }

    @Test
    void aResumeOfFourTargetsQueriesItsSnapshotOnceAndEndsWithTheTableAndS3CopyAgreeing() throws Exception {
        MixedAccount account = new MixedAccount(f.moto.endpoint());
        account.rdsInstance(US, "orders-db", true, Map.of());
        account.rdsInstance(EU, "billing-db", true, Map.of());
        String web = f.account.runInstance(US, "t3.micro");
        String api = f.account.runInstance(EU, "t3.micro");
        OperationReport pause = engine().run(request(Action.PAUSE), ProgressListener.NONE);
        assertThat(pause.status()).isEqualTo(OperationHeader.PAUSED);
        proxy.resetCounts();

        OperationReport resume = engine().run(request(Action.RESUME), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo(OperationHeader.RESUMED);
        assertThat(resume.resources()).hasSize(4).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.RESUMED));
        assertThat(f.account.state(US, web)).isEqualTo("running");
        assertThat(f.account.state(EU, api)).isEqualTo("running");
        assertThat(proxy.counts().getOrDefault("dynamodb:Query", 0L))
                .as("the snapshot's records are queried once, by the plan's integrity check: " + proxy.counts())
                .isEqualTo(1L);
        // what the run held is what the table holds, and the S3 copy it wrote says the same
        List<SnapshotRecord> table = f.store.records(pause.snapshotId(), null, null);
        assertThat(table).hasSize(4).allSatisfy(r -> assertThat(r.phase()).isEqualTo(Outcome.RESUMED));
        SnapshotDocument doc = dev.awshitbreaks.core.Json.mapper().readValue(
                f.store.getDocument(SnapshotStore.snapshotKey(pause.snapshotId())).orElseThrow(), SnapshotDocument.class);
        assertThat(doc.records()).containsExactlyElementsOf(table);
        assertThat(new SnapshotIntegrity(f.store).check(pause.snapshotId()).dynamoDbProblems()).isEmpty();
    }
}
