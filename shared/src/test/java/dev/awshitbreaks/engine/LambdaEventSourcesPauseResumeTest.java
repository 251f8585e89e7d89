package dev.awshitbreaks.engine;

import static dev.awshitbreaks.engine.LambdaThrottlePauseResumeTest.outcomes;
import static dev.awshitbreaks.engine.LambdaThrottlePauseResumeTest.reason;
import static dev.awshitbreaks.engine.LambdaThrottlePauseResumeTest.withPhantom;
import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.testing.MixedAccount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;

/**
 * Lambda event source mappings disabled ({@code lambda-event-sources}), against moto, whose UpdateEventSourceMapping
 * holds {@code Enabled} and whose listing shows it as {@code State}; SQS, Kinesis and DynamoDB Streams sources, each
 * paused mapping's report line saying how long its source keeps records while it is disabled.
 */
class LambdaEventSourcesPauseResumeTest {
    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final List<String> TWO_REGIONS = List.of(US, EU);
    private EngineFixture f;
    private MixedAccount account;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
        account = new MixedAccount(f.moto.endpoint());
    }

    @AfterEach
    void tearDown() {
        account.close();
    }

    private static Request request(Action action, boolean dryRun) {
        return new Request(action, TWO_REGIONS, List.of("lambda-event-sources"), null, null, null, dryRun, null, null);
    }

    @Test
    void pauseDisablesEnabledMappingsSayingHowLongEachSourceKeepsRecordsAndResumeEnablesThemAgain() throws Exception {
        String orders = account.lambdaEventSourceMapping(US, "orders", 4 * 86400, true, Map.of("team", "shop"), Map.of());
        String billing = account.lambdaEventSourceMapping(EU, "billing", 90 * 60, true, Map.of(), Map.of());
        String idle = account.lambdaEventSourceMapping(US, "idle", 345600, false, Map.of(), Map.of());
        String guardedFn = account.lambdaEventSourceMapping(US, "guarded", 345600, true,
                Map.of(ResourceFilter.PROTECT_TAG, "true"), Map.of());
        String guardedMapping = account.lambdaEventSourceMapping(US, "tagged", 345600, true, Map.of(),
                Map.of(ResourceFilter.PROTECT_TAG, "true"));
        String own = account.lambdaEventSourceMapping(US, "brake", 345600, true,
                Map.of(ResourceFilter.STACK_TAG, "aws-hit-breaks"), Map.of());
        String clicks = kinesisMapping(US, "clicks", 48);
        String changes = dynamoDbStreamMapping(US, "carts");
        Map<String, String> before = account.observe(TWO_REGIONS);

        OperationReport pause = f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(pause.status()).as("%s", pause.resources()).isEqualTo("paused");
        assertThat(outcomes(pause)).containsOnly(Map.entry(orders, Outcome.PAUSED), Map.entry(billing, Outcome.PAUSED),
                Map.entry(clicks, Outcome.PAUSED), Map.entry(changes, Outcome.PAUSED),
                Map.entry(guardedFn, Outcome.SKIPPED), Map.entry(guardedMapping, Outcome.SKIPPED), Map.entry(own, Outcome.SKIPPED));
        assertThat(pause.resources()).extracting(r -> r.id()).doesNotContain(idle);
        assertThat(reason(pause, guardedFn)).contains(ResourceFilter.PROTECT_TAG);
        assertThat(reason(pause, guardedMapping)).contains(ResourceFilter.PROTECT_TAG);
        assertThat(reason(pause, own)).contains("aws-hit-breaks stack itself");
        assertThat(reason(pause, orders)).isEqualTo("while disabled, SQS queue orders-q keeps each message 4 days "
                + "(MessageRetentionPeriod 345600 s), then deletes it");
        assertThat(reason(pause, billing)).isEqualTo("while disabled, SQS queue billing-q keeps each message 1 hour 30 minutes "
                + "(MessageRetentionPeriod 5400 s), then deletes it");
        assertThat(reason(pause, clicks)).isEqualTo("while disabled, Kinesis stream clicks keeps records 2 days "
                + "(RetentionPeriodHours 48), then they expire");
        assertThat(reason(pause, changes)).isEqualTo("while disabled, the DynamoDB stream of table carts keeps records "
                + "24 hours (fixed), then trims them");
        assertThat(ReportCsv.write(pause)).as("the CSV report carries the line").contains("then deletes it");
        Map<String, String> paused = account.observe(TWO_REGIONS);
        assertThat(paused).containsEntry("lambda-event-sources:" + US + ":" + orders, "state=Disabled")
                .containsEntry("lambda-event-sources:" + EU + ":" + billing, "state=Disabled")
                .containsEntry("lambda-event-sources:" + US + ":" + idle, "state=Disabled")
                .containsEntry("lambda-event-sources:" + US + ":" + guardedFn, "state=Enabled")
                .containsEntry("lambda-event-sources:" + US + ":" + guardedMapping, "state=Enabled")
                .containsEntry("lambda-event-sources:" + US + ":" + own, "state=Enabled");
        assertThat(account.lambda(US).getEventSourceMapping(b -> b.uuid(clicks)).state()).isEqualTo("Disabled");
        assertThat(f.store.records(pause.snapshotId(), EU, ServiceKind.LAMBDA_EVENT_SOURCES)).singleElement().satisfies(r -> {
            assertThat(r.original()).containsEntry("uuid", billing).containsEntry("state", "Enabled")
                    .containsEntry("eventSourceArn", "arn:aws:sqs:" + EU + ":123456789012:billing-q")
                    .containsEntry("functionArn", "arn:aws:lambda:" + EU + ":123456789012:function:billing");
            assertThat(r.type()).isEqualTo("sqs");
            assertThat(r.name()).isEqualTo("billing from billing-q");
        });
        assertThat(pause.resources()).filteredOn(r -> r.outcome() == Outcome.PAUSED).allSatisfy(r -> {
            assertThat(r.hourlyCost()).as("usage-based: unknown, never 0").isNull();
            assertThat(r.priceSource()).startsWith("unknown: usage-based");
        });

        OperationReport resume = f.engine().run(request(Action.RESUME, false), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(outcomes(resume)).containsOnly(Map.entry(orders, Outcome.RESUMED), Map.entry(billing, Outcome.RESUMED),
                Map.entry(clicks, Outcome.RESUMED), Map.entry(changes, Outcome.RESUMED));
        assertThat(account.observe(TWO_REGIONS)).isEqualTo(before);
        assertThat(account.lambda(US).getEventSourceMapping(b -> b.uuid(clicks)).state()).isEqualTo("Enabled");
    }

    @Test
    void aDryRunListsTheMappingsItWouldDisableAndChangesNothing() {
        String orders = account.lambdaEventSourceMapping(US, "orders", 345600, true, Map.of(), Map.of());
        Map<String, String> before = account.observe(TWO_REGIONS);

        OperationReport dry = f.engine().run(request(Action.PAUSE, true), ProgressListener.NONE);

        assertThat(outcomes(dry)).containsOnly(Map.entry(orders, Outcome.WOULD_PAUSE));
        assertThat(account.observe(TWO_REGIONS)).isEqualTo(before);

        f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        OperationReport dryResume = f.engine().run(request(Action.RESUME, true), ProgressListener.NONE);

        assertThat(outcomes(dryResume)).containsOnly(Map.entry(orders, Outcome.WOULD_RESUME));
        assertThat(account.observe(TWO_REGIONS)).containsEntry("lambda-event-sources:" + US + ":" + orders, "state=Disabled");
    }

    @Test
    void driftWhilePausedIsReportedAndNeverFought() {
        String deleted = account.lambdaEventSourceMapping(US, "deleted", 345600, true, Map.of(), Map.of());
        String reenabled = account.lambdaEventSourceMapping(US, "reenabled", 345600, true, Map.of(), Map.of());
        String kept = account.lambdaEventSourceMapping(US, "kept", 345600, true, Map.of(), Map.of());
        f.engine().run(request(Action.PAUSE, false), ProgressListener.NONE);
        account.lambda(US).deleteEventSourceMapping(b -> b.uuid(deleted));
        account.lambda(US).updateEventSourceMapping(b -> b.uuid(reenabled).enabled(true));

        OperationReport resume = f.engine().run(request(Action.RESUME, false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry(deleted, Outcome.SKIPPED), Map.entry(reenabled, Outcome.RESUMED),
                Map.entry(kept, Outcome.RESUMED));
        assertThat(reason(resume, deleted)).startsWith("drift: the mapping no longer exists");
        assertThat(reason(resume, reenabled)).isEqualTo("already Enabled");
        assertThat(resume.hasFailures()).isFalse();
        assertThat(account.observe(List.of(US))).containsEntry("lambda-event-sources:" + US + ":" + kept, "state=Enabled")
                .containsEntry("lambda-event-sources:" + US + ":" + deleted, "absent");
    }

    @Test
    void aDisableThatDoesNotTakeIsReadBackAsFailedAloneAndTheOthersArePaused() {
        String orders = account.lambdaEventSourceMapping(US, "orders", 345600, true, Map.of(), Map.of());
        String unknown = "00000000-0000-0000-0000-000000000000";
        Discovered phantom = new Discovered(ServiceKind.LAMBDA_EVENT_SOURCES, US, unknown, "sqs", "x from y", Map.of(),
                new OriginalState.LambdaEventSourceMapping(unknown, "arn:aws:lambda:us-east-1:123456789012:function:x",
                        "arn:aws:sqs:us-east-1:123456789012:y", "Enabled"), null);

        OperationReport pause = f.engine(p -> p.kind() == ServiceKind.LAMBDA_EVENT_SOURCES ? withPhantom(p, phantom) : p)
                .run(request(Action.PAUSE, false), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry(orders, Outcome.PAUSED), Map.entry(unknown, Outcome.FAILED));
        // moto acknowledges UpdateEventSourceMapping for an unknown UUID (AWS: ResourceNotFoundException); the listing
        // read back does not show it disabled, so it is reported failed, never paused
        assertThat(reason(pause, unknown)).contains("ListEventSourceMappings shows no such mapping");
        assertThat(pause.status()).isEqualTo("partial");
        assertThat(account.observe(List.of(US))).containsEntry("lambda-event-sources:" + US + ":" + orders, "state=Disabled");
    }

    // ---------------------------------------------------------------- sources moto holds besides SQS

    /** A Kinesis stream ({@code hours} of retention) feeding a new function of the same name; the mapping's UUID. */
    private String kinesisMapping(String region, String name, int hours) {
        var kinesis = account.kinesis(region);
        kinesis.createStream(b -> b.streamName(name).shardCount(1));
        if (hours != 24) {
            kinesis.increaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(hours));
        }
        String arn = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
        account.lambdaFunction(region, name, null, Map.of());
        return account.lambda(region).createEventSourceMapping(b -> b.functionName(name).eventSourceArn(arn)
                .startingPosition(EventSourcePosition.LATEST)).uuid();
    }

    /** A DynamoDB table with a stream (in the state region) feeding a new function of the same name; the mapping's UUID. */
    private String dynamoDbStreamMapping(String region, String table) {
        String arn = f.clients.dynamoDb().createTable(b -> b.tableName(table)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .billingMode("PAY_PER_REQUEST")
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)))
                .tableDescription().latestStreamArn();
        account.lambdaFunction(region, table, null, Map.of());
        return account.lambda(region).createEventSourceMapping(b -> b.functionName(table).eventSourceArn(arn)
                .startingPosition(EventSourcePosition.LATEST)).uuid();
    }
}
