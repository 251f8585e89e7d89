package dev.awshitbreaks.engine;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.memory.InMemoryAccount;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import dev.awshitbreaks.snapshot.memory.InMemoryStorage;
import dev.awshitbreaks.testing.MotoAccount;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real engine ({@link BrakeEngine}: {@link InProcessRunner}, {@link PlanStep}, {@link TargetStep},
 * {@link ReadinessStep}, {@link SummaryStep}) over the in-memory storage ({@link InMemoryStorage}) and an
 * {@link InMemoryAccount} (the stand-in for the services' APIs): a pause or a resume in milliseconds, no moto. The
 * engine's AWS clients point at a closed loopback port, so any AWS call would fail the test.
 */
final class InMemoryEngine implements AutoCloseable {
    /** Short waits: a database wait of up to 200 checks 1 ms apart; targets four at a time. */
    static final EngineSettings SETTINGS = new EngineSettings(Duration.ofMillis(100), Duration.ofMillis(1),
            Duration.ofHours(1), 4, Duration.ofMillis(200), Duration.ofMillis(1));

    final InMemoryStorage memory = InMemoryStorage.create();
    final SnapshotStore store = memory.store();
    final InMemoryAccount account = new InMemoryAccount();
    private final AwsClients nowhere = new AwsClients(new AwsSettings(URI.create("http://127.0.0.1:1"), "us-east-1",
            InMemoryStorage.TABLE, InMemoryStorage.BUCKET), MotoAccount.CREDENTIALS);
    final BrakeEngine engine = new BrakeEngine(nowhere, store, SETTINGS, Clock.systemUTC(), SecureRandom::new,
            account.pausers());

    static Request request(Action action, List<String> regions) {
        return new Request(action, regions, List.of("ec2", "rds", "ecs"), null, null, null, false, null, null);
    }

    static Request dryRun(Action action, List<String> regions) {
        return new Request(action, regions, List.of("ec2", "rds", "ecs"), null, null, null, true, null, null);
    }

    /** An in-process run, as the launcher's {@code --local} mode does it. */
    OperationReport run(Request request) {
        return engine.run(request, ProgressListener.NONE);
    }

    OperationReport pause(String... regions) {
        return run(request(Action.PAUSE, List.of(regions)));
    }

    OperationReport resume(String... regions) {
        return run(request(Action.RESUME, List.of(regions)));
    }

    /** The snapshot's records by {@code region#service#id}. */
    Map<String, SnapshotRecord> records(String snapshotId) {
        Map<String, SnapshotRecord> out = new java.util.TreeMap<>();
        store.records(snapshotId, null, null).forEach(r -> out.put(SnapshotStore.recordKey(r), r));
        return out;
    }

    /** A record's original state, as its service's type. */
    static OriginalState original(SnapshotRecord r) {
        return OriginalState.read(r.service(), r.original());
    }

    @Override
    public void close() {
        nowhere.close();
    }
}
