package dev.awshitbreaks.functions;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.restop.RdsRestopper;
import dev.awshitbreaks.restop.RestopSettings;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The seven-day trap: an EventBridge rule sends RDS-EVENT-0154 (DB instance) and RDS-EVENT-0153 (DB cluster),
 * "being started due to it exceeding the maximum allowed time being stopped", here; a database the active snapshot
 * holds paused is stopped again (see {@link RdsRestopper}). Out: a {@link dev.awshitbreaks.restop.RestopResult}.
 * The stack's schedule rule sends EventBridge's scheduled event every hour: then every region's paused databases
 * are swept ({@link RdsRestopper#sweep}), because RDS's events reach the rule from the stack's region only.
 * Every decision is logged through Lambda's logger ({@link FunctionLog}). An event it cannot use is logged and ignored; a paused database that could
 * not be stopped throws {@link dev.awshitbreaks.restop.RestopFailedException}, so Lambda retries the asynchronous
 * invocation and then hands the event to the function's on-failure destination.
 *
 * <p>Environment: as the other functions ({@code SNAPSHOT_TABLE}, {@code SNAPSHOT_BUCKET},
 * {@code HITBREAKS_STATE_REGION}, {@code HITBREAKS_ENDPOINT_URL}), plus {@code RESTOP_WAIT_SECONDS} and
 * {@code RESTOP_POLL_MILLIS} ({@link RestopSettings}).
 */
public final class RestopHandler extends JsonHandler {
    private static volatile RdsRestopper fromEnvironment;
    private final Supplier<RdsRestopper> restopper;

    public RestopHandler() {
        this(RestopHandler::fromEnvironment);
    }

    public RestopHandler(RdsRestopper restopper) {
        this(() -> restopper);
    }

    private RestopHandler(Supplier<RdsRestopper> restopper) {
        this.restopper = restopper;
    }

    @Override
    protected Object handle(String input, FunctionLog log) {
        if (RdsRestopper.isScheduledEvent(input)) {
            return restopper.get().sweep(); // the hourly sweep of every region the pause covered
        }
        return restopper.get().handle(input);
    }

    /** The sandbox's restopper, built on first use and kept: clients are created once. */
    private static RdsRestopper fromEnvironment() {
        RdsRestopper r = fromEnvironment;
        if (r == null) {
            synchronized (RestopHandler.class) {
                if (fromEnvironment == null) {
                    fromEnvironment = create(System.getenv());
                }
                r = fromEnvironment;
            }
        }
        return r;
    }

    static RdsRestopper create(Map<String, String> env) {
        AwsSettings settings = FunctionEnvironment.settings(env);
        AwsClients clients = new AwsClients(settings);
        SnapshotStore store = SnapshotStore.dynamoDbAndS3(clients.dynamoDb(), clients.s3(), settings.tableName(), settings.bucketName());
        return new RdsRestopper(clients::rds, store, RestopSettings.fromEnvironment(env), FunctionLog.runtime());
    }
}
