package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.RecordingProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The catalogue of damaged stored snapshots: after a real pause through the launcher, one item of the snapshot table
 * is damaged (a record for an unknown service, a region that is a path, an original state that is not JSON, a header
 * without its status, an active-snapshot pointer naming a path or a foreign S3 key, ...), then {@code --resume} or
 * {@code --status} runs through a {@link RecordingProxy}. Each must stop with a message naming the snapshot or
 * operation and the problem, no stack trace, within thirty seconds, without a changing AWS call, and leave the account
 * exactly as the pause left it. The table is put back between cases.
 */
class CorruptStoredSnapshotTest {
    private static final String TABLE = Launcher.DEFAULT_TABLE;
    private static final List<String> REGIONS = List.of("us-east-1");
    private static MixedAccount account;
    private static RecordingProxy proxy;
    private static DynamoDbClient dynamoDb;
    private static Map<String, String> paused;
    private static List<Map<String, AttributeValue>> pristine;
    private static String snapshot;

    @BeforeAll
    static void pause() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        account = new MixedAccount(moto.endpoint());
        account.ec2Instance("us-east-1", "t3.micro", true, Map.of());
        account.ec2Instance("us-east-1", "t3.micro", true, Map.of());
        account.rdsInstance("us-east-1", "orders-db", true, Map.of());
        proxy = RecordingProxy.forwardingTo(moto.endpoint());
        Run r = run("--local", "--pause", "--region", "us-east-1", "--yes", "--output", "json");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
        snapshot = dev.awshitbreaks.core.Json.mapper().readTree(r.out()).path("snapshotId").asText();
        paused = account.observe(REGIONS);
        assertThat(paused.values()).allMatch(v -> v.contains("stopped"));
        dynamoDb = DynamoDbClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        pristine = dynamoDb.scan(b -> b.tableName(TABLE)).items();
    }

    @AfterAll
    static void close() {
        dynamoDb.close();
        proxy.close();
        account.close();
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", proxy.endpoint().toString());
        Terminal t = new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        int code = Launcher.run(t, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A damage to one stored item: which item (by pk prefix and sk prefix), and what becomes of it. */
    record Damage(String pk, String sk, UnaryOperator<Map<String, AttributeValue>> change) {
    }

    private static Damage record(UnaryOperator<Map<String, AttributeValue>> change) {
        return new Damage("SNAPSHOT#", "us-east-1#ec2#", change);
    }

    private static Damage header(UnaryOperator<Map<String, AttributeValue>> change) {
        return new Damage("OPERATION", "pause-", change);
    }

    private static Damage active(String id) {
        return new Damage("ACTIVE", "SNAPSHOT", i -> with(i, "snapshotId", s(id)));
    }

    /** A new header item beside the others. */
    private static Damage extraHeader(String id, String sourceSnapshotId, String createdAt) {
        return new Damage("OPERATION", "pause-", i -> {
            Map<String, AttributeValue> h = new HashMap<>(i);
            h.put("sk", s(id));
            h.put("createdAt", s(createdAt));
            if (sourceSnapshotId != null) {
                h.put("sourceSnapshotId", s(sourceSnapshotId));
                h.put("action", s("resume"));
            }
            dynamoDb.putItem(b -> b.tableName(TABLE).item(h));
            return i;
        });
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static Map<String, AttributeValue> with(Map<String, AttributeValue> item, String key, AttributeValue value) {
        Map<String, AttributeValue> m = new HashMap<>(item);
        m.put(key, value);
        return m;
    }

    private static Map<String, AttributeValue> without(Map<String, AttributeValue> item, String key) {
        Map<String, AttributeValue> m = new HashMap<>(item);
        m.remove(key);
        return m;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("record for an unknown service", record(i -> with(i, "service", s("warp"))), "--resume",
                        "unknown service 'warp'"),
                Arguments.of("record without its original state", record(i -> without(i, "original")), "--resume",
                        "'original' is missing"),
                Arguments.of("original state that is not JSON", record(i -> with(i, "original", s("{\"state\": runn"))), "--resume",
                        "is unreadable: Unrecognized token"),
                Arguments.of("original state that is a list", record(i -> with(i, "original", s("[1, 2]"))), "--resume",
                        "its 'original' is not a JSON object"),
                Arguments.of("record whose region is a path", record(i -> with(i, "region", s("../../snapshots"))), "--resume",
                        "'../../snapshots' is not a known region"),
                Arguments.of("record in an unknown phase", record(i -> with(i, "phase", s("exploded"))), "--resume",
                        "unknown outcome 'exploded'"),
                Arguments.of("record time that is not a time", record(i -> with(i, "recordedAt", s("yesterday"))), "--resume",
                        "'yesterday' could not be parsed"),
                Arguments.of("record whose key names another resource",
                        record(i -> with(i, "sk", s("us-east-1#ec2#i-0000000000000000f"))), "--resume",
                        "does not match its region, service and id"),
                Arguments.of("record tags that are not a map", record(i -> with(i, "tags", s("env=prod"))), "--resume",
                        "'tags' is not a map"),
                Arguments.of("record id with a control character",
                        record(i -> with(i, "resourceId", s(i.get("resourceId").s() + "\u001b[2J"))), "--resume",
                        "is not a resource id"),
                Arguments.of("snapshot header without its status", header(i -> without(i, "status")), "--resume",
                        "'status' is missing"),
                Arguments.of("snapshot header with a corrupt request", header(i -> with(i, "request", s("{\"action\":"))), "--resume",
                        "has an unreadable header"),
                Arguments.of("snapshot header with an unknown action", header(i -> with(i, "action", s("explode"))), "--resume",
                        "unknown action 'explode'"),
                Arguments.of("snapshot header whose dryRun is a string", header(i -> with(i, "dryRun", s("true"))), "--resume",
                        "'dryRun' is not a boolean"),
                Arguments.of("snapshot header whose request has a wrongly typed field",
                        header(i -> with(i, "request", s(i.get("request").s().replace("\"dryRun\":false", "\"dryRun\":\"false\"")))),
                        "--resume", "field 'dryRun' has the wrong type: expected true or false"),
                Arguments.of("record whose reason is a number", record(i -> with(i, "reason", AttributeValue.fromN("7"))), "--resume",
                        "'reason' is not a string"),
                Arguments.of("record whose hourly cost is a string", record(i -> with(i, "hourlyCost", s("0.0104"))), "--resume",
                        "'hourlyCost' is not a number"),
                Arguments.of("active pointer naming a path", active("../../etc/passwd"), "--resume",
                        "'../../etc/passwd', which is not a snapshot id"),
                Arguments.of("active pointer naming a foreign S3 key",
                        active("s3://other-bucket/snapshots/pause-20261125-181921-3fa9c1.json"), "--resume",
                        "which is not a snapshot id"),
                Arguments.of("header whose id is a path", extraHeader("pause-../../x", null, "2030-01-01T00:00:00Z"), "--status",
                        "'pause-../../x', which is not an operation id"),
                Arguments.of("header whose source snapshot is a path",
                        extraHeader("resume-20300101-000000-abcdef", "../x", "2030-01-01T00:00:00Z"), "--status",
                        "sourceSnapshotId '../x' is not a snapshot id"),
                Arguments.of("header time that is not a time", header(i -> with(i, "createdAt", s("the day before"))), "--status",
                        "'the day before' could not be parsed"));
    }

    /** Every item of the snapshot table but the account lock, in key order. */
    private static List<Map<String, AttributeValue>> storedItems() {
        return dynamoDb.scan(b -> b.tableName(TABLE).consistentRead(true)).items().stream()
                .filter(i -> !i.get("pk").s().equals("LOCK"))
                .sorted(java.util.Comparator.comparing((Map<String, AttributeValue> i) -> i.get("pk").s())
                        .thenComparing(i -> i.get("sk").s()))
                .toList();
    }

    private static void restore() {
        for (Map<String, AttributeValue> item : dynamoDb.scan(b -> b.tableName(TABLE)).items()) {
            dynamoDb.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
        }
        pristine.forEach(item -> dynamoDb.putItem(b -> b.tableName(TABLE).item(item)));
    }

    private static void damage(Damage d) {
        Map<String, AttributeValue> target = pristine.stream()
                .filter(i -> i.get("pk").s().startsWith(d.pk()) && i.get("sk").s().startsWith(d.sk()))
                .findFirst().orElseThrow(() -> new AssertionError("no stored item " + d.pk() + "/" + d.sk()));
        Map<String, AttributeValue> changed = d.change().apply(target);
        if (changed != target) {
            dynamoDb.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", target.get("pk"), "sk", target.get("sk"))));
            dynamoDb.putItem(b -> b.tableName(TABLE).item(changed));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stopsNamingTheDamageAndChangesNothing(String name, Damage damage, String command, String fragment) {
        restore();
        damage(damage);
        List<Map<String, AttributeValue>> stored = storedItems();
        proxy.clear();

        Run r = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> run(command.equals("--resume") ? new String[] {"--local", "--resume", "--yes"} : new String[] {"--local", "--status"}),
                name + " did not end within 30 s");

        // the same exit code as remote mode gives a damaged snapshot (BrakeError.CORRUPT_SNAPSHOT), with the way back
        assertThat(r.exit()).as(name + ": " + r.err()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).as(name + ": the recovery").contains("--rebuild-from");
        assertThat(r.err()).as(name).contains(fragment);
        assertThat(r.out() + r.err()).as(name + ": no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().chars().filter(c -> c < 0x20 && c != '\n').boxed().toList())
                .as(name + ": no control character reaches the terminal").isEmpty();
        // A resume takes the account lock before it reads the snapshot (so a resume during a pause is refused as a
        // conflict) and releases it: one PutItem and one DeleteItem of the lock item. Nothing else may change, and
        // the table must read back exactly as damaged.
        assertThat(proxy.mutatingCalls().stream().map(RecordingProxy.Call::operation).toList())
                .as(name + ": changing AWS calls (only the lock's take and release)")
                .isSubsetOf("PutItem", "DeleteItem").doesNotHaveDuplicates();
        assertThat(storedItems()).as(name + ": the snapshot table reads back as it was").isEqualTo(stored);
        assertThat(account.observe(REGIONS)).as(name + ": the account stays as the pause left it").isEqualTo(paused);
        if (command.equals("--resume")) {
            assertThat(r.err()).as(name + ": names the snapshot").containsAnyOf(snapshot, "active-snapshot pointer");
        }
    }
}
