package dev.awshitbreaks.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * A fresh moto server state, the snapshot table and bucket, an engine over them, and the real definition
 * run by the repository's aws-local-stepfunctions. Tools are found through {@link ProjectTools}: a missing
 * tool fails the test, it never skips it.
 */
final class StateMachineFixture implements AutoCloseable {
    static final String STATE_REGION = "us-east-1";
    static final String TABLE = "hit-breaks-test";
    static final String BUCKET = "hit-breaks-test-bucket";

    /** moto's default AMIs survive a reset; looking them up is slow, so once per region and JVM. */
    private static final Map<String, String> AMIS = new java.util.concurrent.ConcurrentHashMap<>();

    final MotoServer moto;
    final AwsClients clients;
    final BrakeEngine engine;
    final Path definition;
    final StepFunctionsRuntime runtime;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);

    StateMachineFixture() {
        this(null);
    }

    /**
     * As {@link #StateMachineFixture()}, but the engine (and so the handlers) calls AWS at {@code engineEndpoint}
     * instead of moto's directly: the endpoint of a {@code ProvisionedConcurrencyStub}, which forwards everything
     * else to this moto. Null means moto's.
     */
    StateMachineFixture(java.net.URI engineEndpoint) {
        ProjectTools.tool("local-sfn");
        runtime = new StepFunctionsRuntime(ProjectTools.tool("node22"), ProjectTools.root().resolve(".tools/node/node_modules"));
        definition = ProjectTools.root().resolve("statemachine/brake.asl.json");
        moto = MotoServer.get();
        moto.reset();
        clients = new AwsClients(new AwsSettings(engineEndpoint == null ? moto.endpoint() : engineEndpoint, STATE_REGION,
                TABLE, BUCKET), credentials());
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), STATE_REGION);
        storage.createTable(TABLE);
        storage.createBucket(BUCKET, false);
        engine = BrakeEngine.create(clients, EngineSettings.defaults());
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    /** The real handlers over this fixture's engine, by local function name (mutable). */
    Map<String, RequestStreamHandler> handlers() {
        return LocalStateMachine.handlers(engine);
    }

    ExecutionResult run(String input) {
        return run(input, handlers());
    }

    ExecutionResult run(String input, Map<String, RequestStreamHandler> handlers) {
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(handlers, logStream)) {
            return run(input, endpoint);
        }
    }

    ExecutionResult run(String input, LocalLambdaEndpoint endpoint) {
        return new LocalStateMachine(definition, runtime, Duration.ofMinutes(5), logStream).execute(input, endpoint);
    }

    /** What the runtime and the handlers logged, for failure messages. */
    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    Ec2Client ec2(String region) {
        return Ec2Client.builder().region(Region.of(region)).endpointOverride(moto.endpoint())
                .credentialsProvider(credentials()).build();
    }

    /** Launches {@code count} instances from one of moto's default AMIs, with the given tags. */
    List<String> launch(String region, int count, Map<String, String> tags) {
        try (Ec2Client ec2 = ec2(region)) {
            String ami = AMIS.computeIfAbsent(region, r -> ec2.describeImages(b -> b.owners("amazon")).images().stream()
                    .filter(i -> "x86_64".equals(i.architectureAsString()) && "ebs".equals(i.rootDeviceTypeAsString()))
                    .findFirst().orElseThrow(() -> new IllegalStateException("moto has no x86_64 EBS AMI in " + r))
                    .imageId());
            return ec2.runInstances(b -> {
                b.imageId(ami).instanceType(InstanceType.T3_MICRO).minCount(count).maxCount(count);
                if (!tags.isEmpty()) {
                    b.tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tags.entrySet().stream()
                            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()));
                }
            }).instances().stream().map(Instance::instanceId).toList();
        }
    }

    void stop(String region, List<String> ids) {
        try (Ec2Client ec2 = ec2(region)) {
            ec2.stopInstances(b -> b.instanceIds(ids));
        }
    }

    /** Instance id to state name, for every instance in the region. */
    Map<String, String> states(String region) {
        try (Ec2Client ec2 = ec2(region)) {
            return ec2.describeInstances().reservations().stream().flatMap(r -> r.instances().stream())
                    .collect(Collectors.toMap(Instance::instanceId, i -> i.state().nameAsString()));
        }
    }

    static String request(String action, String... regions) {
        return """
                {"action":"%s","regions":[%s],"services":["ec2"],"trigger":"manual"}"""
                .formatted(action, Arrays.stream(regions).map(r -> "\"" + r + "\"").collect(Collectors.joining(",")));
    }

    @Override
    public void close() {
        clients.close();
    }
}
