package dev.awshitbreaks.engine;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.snapshot.SnapshotStore;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** moto, reset; the real engine over the real SDK pointed at it; the table and bucket created. */
final class EngineFixture {
    static final String TABLE = "hit-breaks-test";
    static final String BUCKET = "hit-breaks-test-bucket";
    static final EngineSettings FAST = new EngineSettings(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofHours(1), 4,
            Duration.ofSeconds(2), Duration.ofMillis(50));

    final MotoServer moto;
    final MotoAccount account;
    final AwsClients clients;
    final SnapshotStore store;

    EngineFixture() {
        this(null);
    }

    /**
     * moto reset; the engine's calls go through {@code proxy} when one is given (to make moto's answer what AWS answers),
     * the account's seeding calls straight to moto.
     */
    EngineFixture(dev.awshitbreaks.testing.FaultProxy proxy) {
        this(MotoServer.get(), proxy);
    }

    /** As {@link #EngineFixture(dev.awshitbreaks.testing.FaultProxy)}, on this moto server rather than the JVM's. */
    EngineFixture(MotoServer moto, dev.awshitbreaks.testing.FaultProxy proxy) {
        this.moto = moto;
        moto.reset();
        account = new MotoAccount(moto.endpoint());
        clients = new AwsClients(new AwsSettings(proxy == null ? moto.endpoint() : proxy.endpoint(), "us-east-1", TABLE, BUCKET),
                MotoAccount.CREDENTIALS);
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), "us-east-1");
        storage.createTable(TABLE);
        storage.createBucket(BUCKET, false);
        store = SnapshotStore.dynamoDbAndS3(clients.dynamoDb(), clients.s3(), TABLE, BUCKET);
    }

    BrakeEngine engine() {
        return engine(p -> p);
    }

    /** The engine with every AWS call going through {@code proxy} (to make moto answer what AWS answers); the same store. */
    BrakeEngine engineThrough(dev.awshitbreaks.testing.FaultProxy proxy) {
        AwsClients through = new AwsClients(new AwsSettings(proxy.endpoint(), "us-east-1", TABLE, BUCKET), MotoAccount.CREDENTIALS);
        return new BrakeEngine(through, store, FAST, Clock.systemUTC(), SecureRandom::new, BrakeEngine.pausers(through, FAST));
    }

    /** The engine with every pauser wrapped (to observe one, or to add a resource AWS will refuse). */
    BrakeEngine engine(UnaryOperator<ResourcePauser> wrap) {
        return new BrakeEngine(clients, store, FAST, Clock.systemUTC(), SecureRandom::new,
                BrakeEngine.pausers(clients, FAST).stream().map(wrap).toList());
    }
}
