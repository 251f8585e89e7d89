package dev.awshitbreaks.functions;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.aws.RetrySettings;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.TargetResult;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.engine.TargetSummary;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * SnapStart priming. Before Lambda takes the snapshot of an initialised sandbox (a published version), the
 * handlers' code paths are run once so that the classes they load (Jackson, the engine, every pauser, the SDK's
 * marshalling, signing and HTTP client) are loaded and initialised in the snapshot rather than on the first
 * invocation after a restore: a dry-run discovery of every service through {@link TargetHandler}, against a
 * closed loopback port with one attempt, so it makes no AWS call, changes nothing and needs no permission; then
 * the calls every target makes after discovery ({@link #primeWritePath}), offline the same way. The sandbox's real
 * engine (its clients, no calls) is built too when the environment configures one.
 *
 * <p>Nothing random or time-dependent is kept from priming (the offline engine is closed and dropped).
 * Registered once, by {@link JsonHandler}'s class initialisation; outside SnapStart the hook never runs.
 */
final class SnapStartPriming implements Resource {
    /** Held strongly: a CRaC context may hold its resources weakly. */
    private static final SnapStartPriming INSTANCE = new SnapStartPriming();
    /** Port 1 on loopback: nothing listens there, so every call fails at once with "connection refused". */
    private static final URI OFFLINE = URI.create("http://127.0.0.1:1");

    private SnapStartPriming() {
    }

    static void register() {
        Core.getGlobalContext().register(INSTANCE);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime(System.getenv("AWS_REGION"));
        primeWritePath(System.getenv("AWS_REGION"));
        try {
            FunctionEnvironment.engine();
        } catch (RuntimeException notConfigured) {
            // no SNAPSHOT_TABLE etc. (the trigger and re-stop functions): their clients are built on first use
        }
        try {
            FunctionEnvironment.awaitBackground(); // no thread is mid-call when the snapshot is taken
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: credentials come from the restored environment, randomness is drawn per operation
    }

    /** Runs a dry-run discovery of every service in {@code region} through the handler, offline. */
    static int prime(String region) {
        String r = orDefault(region);
        int ran = 0;
        try (AwsClients offline = offline(r)) {
            TargetHandler handler = new TargetHandler(BrakeEngine.create(offline, EngineSettings.defaults()));
            for (ServiceKind service : ServiceKind.values()) {
                String task = """
                        {"operationId":"discover-20260101-000000-000000","snapshotId":null,"action":"discover","dryRun":true,\
                        "request":{"action":"discover","regions":["%s"],"services":["%s"],"tags":{},"excludeTags":{},\
                        "excludeIds":[],"dryRun":true,"snapshotId":null,"trigger":"manual"},\
                        "startedAt":"2026-01-01T00:00:00Z","target":{"region":"%s","service":"%s"}}"""
                        .formatted(r, service.id(), r, service.id());
                try {
                    handler.handleRequest(new ByteArrayInputStream(task.getBytes(StandardCharsets.UTF_8)),
                            new ByteArrayOutputStream(), null);
                } catch (Exception expected) {
                    // the offline endpoint refuses every call; the classes on the way are what priming is for
                }
                ran++;
            }
        }
        return ran;
    }

    /**
     * The part of a target's work that discovery does not reach, offline: reading and batch-writing the snapshot's
     * records, putting the result document, and the result's JSON. Run before a SnapStart snapshot, and by
     * {@link FunctionEnvironment#buildInBackground} in a cold start without one, where it loads these classes on
     * the initialisation thread while the first invocation discovers. Every call is refused by the closed
     * port, so nothing is written anywhere.
     *
     * @return the failures of the calls, one for each call made (each the refused connection)
     */
    static List<RuntimeException> primeWritePath(String region) {
        String r = orDefault(region);
        Instant at = Instant.EPOCH;
        String snapshot = "pause-20260101-000000-000000";
        ResourceResult result = new ResourceResult(ServiceKind.EC2, r, "i-00000000000000000", "t3.micro", "priming",
                Outcome.PAUSED, null, 0.0104, "priming");
        TargetResult target = new TargetResult(r, ServiceKind.EC2, List.of(result), null);
        String document = Json.write(target);
        Json.write(TargetSummary.of(target));
        SnapshotRecord record = new SnapshotRecord(snapshot, ServiceKind.EC2, r, result.id(), result.type(), result.name(),
                Map.of("team", "priming"), Map.of("state", "running"), Outcome.PAUSED, null, at, at, 0.0104, "priming");
        List<RuntimeException> failures = new ArrayList<>();
        try (AwsClients offline = offline(r)) {
            SnapshotStore store = SnapshotStore.dynamoDbAndS3(offline.dynamoDb(), offline.s3(), "priming", "priming");
            List<Runnable> calls = List.of(
                    () -> store.records(snapshot, r, ServiceKind.EC2),
                    () -> store.putRecords(List.of(record)),
                    () -> store.putDocument(SnapshotStore.targetKey(snapshot, r, ServiceKind.EC2), document,
                            "application/json"));
            for (Runnable call : calls) {
                try {
                    call.run();
                } catch (RuntimeException expected) {
                    failures.add(expected);
                }
            }
        }
        return failures;
    }

    private static String orDefault(String region) {
        return region == null || region.isBlank() ? "us-east-1" : region;
    }

    /** Clients whose every call goes to the closed port, once, with credentials that sign for nothing. */
    private static AwsClients offline(String region) {
        return new AwsClients(new AwsSettings(OFFLINE, region, "priming", "priming",
                RetrySettings.defaults().withMaxAttempts(1).withApiCallTimeout(Duration.ofSeconds(2))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")));
    }
}
