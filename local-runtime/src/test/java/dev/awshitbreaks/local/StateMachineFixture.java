package dev.awshitbreaks.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.functions.PlanHandler;
import dev.awshitbreaks.functions.ReadinessHandler;
import dev.awshitbreaks.functions.SummarizeHandler;
import dev.awshitbreaks.functions.TargetHandler;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.RecordingProxy;
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

    final MotoServer moto;
    final AwsClients clients;
    final BrakeEngine engine;
    /** Where the engine calls AWS: moto, or the stub or proxy in front of it. */
    private final java.net.URI engineTarget;
    private final boolean recordCalls;
    /** Per function (Plan, Target, ...): its own engine, whose clients call AWS through a recording proxy. */
    private final Map<String, BrakeEngine> functionEngines = new java.util.HashMap<>();
    private final List<AutoCloseable> functionResources = new java.util.ArrayList<>();
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
        this(engineEndpoint, true);
    }

    /**
     * As {@link #StateMachineFixture(java.net.URI)}; with {@code recordCalls}, each function's handler gets its own
     * engine whose clients call AWS through {@link RecordingProxy#forFunction}, so that the calls each function made
     * are checked against its role in template.yaml (docs/tooling.md). Without it, the handlers share {@link #engine}
     * and call {@code engineEndpoint} directly (a test of the network itself, whose proxy must be the only one).
     */
    StateMachineFixture(java.net.URI engineEndpoint, boolean recordCalls) {
        ProjectTools.tool("local-sfn");
        runtime = new StepFunctionsRuntime(ProjectTools.tool("node22"), ProjectTools.root().resolve(".tools/node/node_modules"));
        definition = ProjectTools.root().resolve("statemachine/brake.asl.json");
        moto = MotoServer.get();
        moto.reset();
        engineTarget = engineEndpoint == null ? moto.endpoint() : engineEndpoint;
        this.recordCalls = recordCalls;
        clients = new AwsClients(new AwsSettings(engineTarget, STATE_REGION, TABLE, BUCKET), credentials());
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
        if (!recordCalls) {
            return LocalStateMachine.handlers(engine);
        }
        Map<String, RequestStreamHandler> handlers = new java.util.LinkedHashMap<>();
        handlers.put(LocalStateMachine.PLAN_FUNCTION, new PlanHandler(functionEngine("Plan")));
        handlers.put(LocalStateMachine.TARGET_FUNCTION, new TargetHandler(functionEngine("Target")));
        handlers.put(LocalStateMachine.SUMMARIZE_FUNCTION, new SummarizeHandler(functionEngine("Summarize")));
        handlers.put(LocalStateMachine.READINESS_FUNCTION, new ReadinessHandler(functionEngine("Readiness")));
        if (!handlers.keySet().equals(LocalStateMachine.handlers(engine).keySet())) {
            throw new IllegalStateException("the fixture's handlers differ from LocalStateMachine.handlers: " + handlers.keySet());
        }
        return handlers;
    }

    /** The function's own engine (as in Lambda, where each function has its own), calling AWS through its recording proxy. */
    private synchronized BrakeEngine functionEngine(String function) {
        return functionEngines.computeIfAbsent(function, f -> {
            RecordingProxy proxy = RecordingProxy.forFunction(f, engineTarget);
            AwsClients own = new AwsClients(new AwsSettings(proxy.endpoint(), STATE_REGION, TABLE, BUCKET), credentials());
            functionResources.add(own);
            functionResources.add(proxy);
            return BrakeEngine.create(own, EngineSettings.defaults());
        });
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
            String ami = dev.awshitbreaks.testing.MotoAccount.defaultAmi(ec2, region);
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
        for (AutoCloseable r : functionResources) {
            try {
                r.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close " + r + ": " + e.getMessage(), e);
            }
        }
        clients.close();
    }
}
