package dev.awshitbreaks.local;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.snapshot.StateStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code bin/local-state-machine}: runs the real definition and handlers against an AWS endpoint such as
 * moto server. The request document is read from stdin; the execution's output is printed on stdout.
 */
@Command(name = "local-state-machine", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs statemachine/brake.asl.json with aws-local-stepfunctions, its Lambda tasks served by the "
                + "real Java handlers in this process, against an AWS emulator (moto server, LocalStack).",
                "Reads the request document on stdin; prints the execution's output (JSON) on stdout."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the execution succeeded (its output may still list failed items)",
                "1:the execution failed (error and cause on stderr)", "2:invalid command line or input",
                "3:the runtime could not run (tool missing, endpoint unreachable)"})
public final class LocalStateMachineCommand implements Callable<Integer> {
    public static final int SUCCEEDED = 0;
    public static final int EXECUTION_FAILED = 1;
    public static final int USAGE = 2;
    public static final int RUNTIME_PROBLEM = 3;

    @Option(names = "--endpoint-url", required = true, paramLabel = "URL",
            description = "The AWS endpoint the handlers call (every service), e.g. http://127.0.0.1:5000 for moto server.")
    URI endpointUrl;

    @Option(names = "--table", paramLabel = "NAME", defaultValue = "aws-hit-breaks-snapshots",
            description = "The snapshot table (created if missing). Default: ${DEFAULT-VALUE}.")
    String table;

    @Option(names = "--bucket", paramLabel = "NAME", defaultValue = "aws-hit-breaks-local-snapshots",
            description = "The snapshot bucket (created if missing). Default: ${DEFAULT-VALUE}.")
    String bucket;

    @Option(names = "--state-region", paramLabel = "REGION", defaultValue = "us-east-1",
            description = "The region of the table and bucket. Default: ${DEFAULT-VALUE}.")
    String stateRegion;

    @Option(names = "--definition", paramLabel = "FILE",
            description = "The ASL file. Default: statemachine/brake.asl.json under the repository root "
                    + "(system property hitbreaks.root, env HITBREAKS_ROOT, or the current directory).")
    Path definition;

    @Option(names = "--history", description = "Also print the execution's state events on stderr.")
    boolean history;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    private LocalStateMachineCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** The command line over the given streams (tests pass their own). */
    public static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new LocalStateMachineCommand(in, out, err));
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("local-state-machine: " + e.getMessage());
            return RUNTIME_PROBLEM;
        });
        return cl;
    }

    @Override
    public Integer call() throws IOException {
        Path root = StepFunctionsRuntime.repositoryRoot();
        Path asl = definition != null ? definition : root.resolve("statemachine/brake.asl.json");
        if (!Files.isRegularFile(asl)) {
            err.println("local-state-machine: no state machine definition at " + asl
                    + " (run from the repository, set HITBREAKS_ROOT, or pass --definition)");
            return USAGE;
        }
        String input = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        if (input.isEmpty()) {
            err.println("local-state-machine: no input on stdin: pipe in a request document, e.g. events/plan-discover.json");
            return USAGE;
        }
        try {
            Json.mapper().readTree(input);
        } catch (IOException e) {
            err.println("local-state-machine: the input on stdin is not JSON: " + e.getMessage());
            return USAGE;
        }
        StepFunctionsRuntime runtime = StepFunctionsRuntime.installedUnder(root);
        AwsSettings settings = new AwsSettings(endpointUrl, stateRegion, table, bucket);
        try (AwsClients clients = new AwsClients(settings, credentials())) {
            ensureStorage(clients);
            BrakeEngine engine = BrakeEngine.create(clients, EngineSettings.defaults());
            ExecutionResult result;
            try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(LocalStateMachine.handlers(engine), err)) {
                result = new LocalStateMachine(asl, runtime, LocalStateMachine.DEFAULT_TIMEOUT, err).execute(input, endpoint);
            }
            if (history) {
                result.history().forEach(e -> err.println("  " + e));
            }
            if (!result.succeeded()) {
                err.println("execution failed: " + result.error() + ": " + result.cause());
                return EXECUTION_FAILED;
            }
            out.println(Json.writePretty(result.output()));
            return SUCCEEDED;
        }
    }

    /** Credentials from the environment when set (LocalStack, a real profile), else dummy ones for an emulator. */
    private static AwsCredentialsProvider credentials() {
        if (System.getenv("AWS_ACCESS_KEY_ID") != null || System.getenv("AWS_PROFILE") != null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    private void ensureStorage(AwsClients clients) {
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), stateRegion);
        if (!storage.tableExists(table)) {
            err.println("creating table " + table + " at " + endpointUrl);
            storage.createTable(table);
        }
        if (!storage.bucketExists(bucket)) {
            err.println("creating bucket " + bucket + " at " + endpointUrl);
            storage.createBucket(bucket, false);
        }
    }
}
