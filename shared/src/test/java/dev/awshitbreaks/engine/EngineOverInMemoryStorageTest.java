package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationInProgressException;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.core.TargetResult;
import dev.awshitbreaks.snapshot.CorruptSnapshotException;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import dev.awshitbreaks.snapshot.memory.InMemoryStorage;
import dev.awshitbreaks.testing.MotoAccount;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's plan and summary steps over the in-memory storage (milliseconds, no moto): the lock and the active
 * snapshot through the phases, a pause joining the active snapshot, a failed target making it partial, a resume
 * refused during a pause or when its records are damaged. Nothing here calls AWS: the engine's clients point at a
 * closed loopback port, so a call would fail the test. What a target does to resources (the phases, the first
 * original state kept when a pause joins, drift on resume, partial failure) is in {@link EngineOverInMemoryAccountTest}
 * and {@link RoundTripInMemoryPropertyTest}, over a stand-in for the services' APIs; with the real pausers, moto's
 * end-to-end tests ({@link Ec2PauseResumeTest}, {@link MultiServicePropertiesTest} and the others) cover it.
 */
class EngineOverInMemoryStorageTest {
    private InMemoryStorage memory;
    private SnapshotStore store;
    private AwsClients nowhere;
    private BrakeEngine engine;

    @BeforeEach
    void setUp() {
        memory = InMemoryStorage.create();
        store = memory.store();
        nowhere = new AwsClients(new AwsSettings(java.net.URI.create("http://127.0.0.1:1"), "us-east-1", InMemoryStorage.TABLE, InMemoryStorage.BUCKET),
                MotoAccount.CREDENTIALS);
        engine = new BrakeEngine(nowhere, store, EngineFixture.FAST, Clock.systemUTC(), SecureRandom::new, List.of());
    }

    @AfterEach
    void tearDown() {
        nowhere.close();
    }

    private static Request request(Action action) {
        return new Request(action, List.of("us-east-1"), List.of("ec2", "rds"), null, null, null, false, null, null);
    }

    /** What a pause target records before it changes a resource, and what it reports. */
    private TargetResult paused(Plan plan, String id) {
        Instant now = Instant.now();
        store.putRecords(List.of(new SnapshotRecord(plan.snapshotId(), ServiceKind.EC2, "us-east-1", id, "t3.micro", null, Map.of(),
                Map.of("state", "running", "instanceType", "t3.micro"), Outcome.PAUSED, null, now, now)));
        return new TargetResult("us-east-1", ServiceKind.EC2,
                List.of(new ResourceResult(ServiceKind.EC2, "us-east-1", id, "t3.micro", null, Outcome.PAUSED, null)), null);
    }

    @Test
    void aPauseHoldsTheLockAndMakesItsSnapshotActiveUntilItsSummaryWhichReleasesTheLockAndStoresTheSnapshot() throws Exception {
        Plan plan = engine.plan(request(Action.PAUSE));
        assertThat(plan.snapshotId()).isEqualTo(plan.operationId());
        assertThat(plan.firstTargets()).containsExactly(new Target("us-east-1", ServiceKind.EC2));
        assertThat(plan.secondTargets()).containsExactly(new Target("us-east-1", ServiceKind.RDS));
        assertThat(store.lock().orElseThrow().operationId()).isEqualTo(plan.operationId());
        assertThat(store.activeSnapshotId()).contains(plan.snapshotId());
        assertThat(store.header(plan.snapshotId()).orElseThrow().status()).isEqualTo(OperationHeader.PAUSING);

        OperationReport report = engine.summarize(plan, List.of(paused(plan, "i-0a")), List.of());

        assertThat(report.status()).isEqualTo(OperationHeader.PAUSED);
        assertThat(store.lock()).isEmpty();
        assertThat(store.activeSnapshotId()).contains(plan.snapshotId());
        assertThat(store.header(plan.snapshotId()).orElseThrow().status()).isEqualTo(OperationHeader.PAUSED);
        SnapshotDocument doc = Json.mapper().readValue(store.getDocument(SnapshotStore.snapshotKey(plan.snapshotId())).orElseThrow(),
                SnapshotDocument.class);
        assertThat(doc.records()).extracting(SnapshotRecord::id).containsExactly("i-0a");
        assertThat(store.getDocument(SnapshotStore.reportKey(plan.operationId(), "csv"))).isPresent();
        assertThat(memory.documents().contentType(SnapshotStore.reportKey(plan.operationId(), "html"))).contains("text/html; charset=utf-8");
    }

    @Test
    void aSecondPauseJoinsTheActiveSnapshotAndEndsCompletedWithTheSnapshotPausedAgain() {
        Plan first = engine.plan(request(Action.PAUSE));
        engine.summarize(first, List.of(paused(first, "i-0a")), List.of());

        Plan second = engine.plan(request(Action.PAUSE));
        assertThat(second.operationId()).isNotEqualTo(first.operationId());
        assertThat(second.snapshotId()).as("joins the active snapshot").isEqualTo(first.snapshotId());
        assertThat(store.header(first.snapshotId()).orElseThrow().status()).isEqualTo(OperationHeader.PAUSING);
        OperationHeader own = store.header(second.operationId()).orElseThrow();
        assertThat(own.status()).isEqualTo(OperationHeader.RUNNING);
        assertThat(own.sourceSnapshotId()).isEqualTo(first.snapshotId());

        engine.summarize(second, List.of(paused(second, "i-0b")), List.of());
        assertThat(store.header(second.operationId()).orElseThrow().status()).isEqualTo(OperationHeader.COMPLETED);
        assertThat(store.header(first.snapshotId()).orElseThrow().status()).isEqualTo(OperationHeader.PAUSED);
        assertThat(store.records(first.snapshotId(), null, null)).extracting(SnapshotRecord::id).containsExactly("i-0a", "i-0b");
        assertThat(store.lock()).isEmpty();
    }

    @Test
    void aFailedTargetMakesThePausePartialAndTheLockIsStillReleased() {
        Plan plan = engine.plan(request(Action.PAUSE));
        OperationReport report = engine.summarize(plan, List.of(paused(plan, "i-0a")),
                List.of(new OperationReport.FailedTarget("us-east-1", "rds", "States.Timeout")));
        assertThat(report.status()).isEqualTo(OperationHeader.PARTIAL);
        assertThat(store.header(plan.snapshotId()).orElseThrow().status()).isEqualTo(OperationHeader.PARTIAL);
        assertThat(store.lock()).isEmpty();
        assertThat(store.activeSnapshotId()).as("what was paused still needs its resume").contains(plan.snapshotId());
    }

    @Test
    void aResumeDuringAPauseIsRefusedSayingSoAndChangesNothing() {
        Plan pause = engine.plan(request(Action.PAUSE));
        var lock = store.lock().orElseThrow();
        assertThatThrownBy(() -> engine.plan(request(Action.RESUME))).isInstanceOf(OperationInProgressException.class)
                .hasMessageContaining("a pause is already running in this account (operation " + pause.operationId());
        assertThat(store.lock()).contains(lock);
        assertThat(store.headers()).extracting(OperationHeader::operationId).containsExactly(pause.operationId());
    }

    @Test
    void aResumeRunsOnlyWhereRecordsNeedItAndWhenNoneIsLeftTheSnapshotIsResumedAndNoLongerActive() {
        Plan pause = engine.plan(request(Action.PAUSE));
        engine.summarize(pause, List.of(paused(pause, "i-0a")), List.of());

        Plan resume = engine.plan(request(Action.RESUME));
        assertThat(resume.snapshotId()).isEqualTo(pause.snapshotId());
        assertThat(resume.targets()).containsExactly(new Target("us-east-1", ServiceKind.EC2));
        assertThat(store.header(pause.snapshotId()).orElseThrow().status()).isEqualTo(OperationHeader.RESUMING);

        // what the EC2 target does once the instance is running again
        SnapshotRecord rec = store.records(pause.snapshotId(), null, null).get(0);
        store.putRecords(List.of(rec.withPhase(Outcome.RESUMED, null, Instant.now())));
        OperationReport report = engine.summarize(resume, List.of(new TargetResult("us-east-1", ServiceKind.EC2,
                List.of(new ResourceResult(ServiceKind.EC2, "us-east-1", "i-0a", "t3.micro", null, Outcome.RESUMED, null)), null)),
                List.of());

        assertThat(report.status()).isEqualTo(OperationHeader.RESUMED);
        assertThat(store.header(pause.snapshotId()).orElseThrow().status()).isEqualTo(OperationHeader.RESUMED);
        assertThat(store.header(resume.operationId()).orElseThrow().status()).isEqualTo(OperationHeader.COMPLETED);
        assertThat(store.activeSnapshotId()).isEmpty();
        assertThat(store.lock()).isEmpty();
    }

    @Test
    void aResumeOfASnapshotWithADamagedRecordIsRefusedBeforeAnythingChangesAndFreesTheLock() {
        Plan pause = engine.plan(request(Action.PAUSE));
        engine.summarize(pause, List.of(paused(pause, "i-0a")), List.of());
        memory.records().putUnreadable(pause.snapshotId(), "us-east-1#ec2#i-0b", "its 'service' is missing or not a string");

        assertThatThrownBy(() -> engine.plan(request(Action.RESUME))).isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("record us-east-1#ec2#i-0b is unreadable")
                .hasMessageContaining("--rebuild-from s3");
        assertThat(store.lock()).isEmpty();
        assertThat(store.header(pause.snapshotId()).orElseThrow().status()).isEqualTo(OperationHeader.PAUSED);
    }
}
