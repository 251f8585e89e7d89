package dev.awshitbreaks.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.functions.PlanHandler;
import dev.awshitbreaks.functions.ReadinessHandler;
import dev.awshitbreaks.functions.SummarizeHandler;
import dev.awshitbreaks.functions.TargetHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the real state machine definition locally: the {@code ${...FunctionArn}} placeholders become local
 * function ARNs, a {@link LocalLambdaEndpoint} serves the real handlers (or any others, for tests), and
 * aws-local-stepfunctions executes the definition, invoking the functions through the Lambda Invoke API
 * at that endpoint. See {@code docs/state-machine.md}.
 */
public final class LocalStateMachine {
    public static final String PLAN_FUNCTION = "hit-breaks-plan";
    public static final String TARGET_FUNCTION = "hit-breaks-target";
    public static final String SUMMARIZE_FUNCTION = "hit-breaks-summarize";
    public static final String READINESS_FUNCTION = "hit-breaks-readiness";
    /** System property: Wait state durations to use instead of the definition's, as JSON {"State": ms}. */
    public static final String WAIT_OVERRIDES_PROPERTY = "hitbreaks.waitOverrides";
    /** The template refers to each function's alias; the local ARNs carry the same qualifier. */
    public static final String ALIAS = "live";
    /** The definition's placeholders (the template's DefinitionSubstitutions) and the local function of each. */
    public static final Map<String, String> SUBSTITUTIONS = Map.of(
            "PlanFunctionArn", PLAN_FUNCTION,
            "TargetFunctionArn", TARGET_FUNCTION,
            "SummarizeFunctionArn", SUMMARIZE_FUNCTION,
            "ReadinessFunctionArn", READINESS_FUNCTION);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final String DRIVER = "run-state-machine.cjs";

    private final Path definition;
    private final StepFunctionsRuntime runtime;
    private final Duration timeout;
    private final PrintStream log;

    /**
     * @param definition the ASL file, with placeholders
     * @param runtime    where aws-local-stepfunctions is installed
     * @param timeout    how long an execution may take before it is stopped
     * @param log        where the runtime's diagnostics go
     */
    public LocalStateMachine(Path definition, StepFunctionsRuntime runtime, Duration timeout, PrintStream log) {
        this.definition = definition;
        this.runtime = runtime;
        this.timeout = timeout;
        this.log = log;
    }

    /** Runs one execution with the given handlers (by function name), on an endpoint started for it. */
    public static ExecutionResult run(Path asl, String inputJson, Map<String, ? extends RequestStreamHandler> handlers) {
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(handlers)) {
            return run(asl, inputJson, endpoint);
        }
    }

    /** Runs one execution whose functions are served by {@code endpoint}; the runtime is the repository's. */
    public static ExecutionResult run(Path asl, String inputJson, LocalLambdaEndpoint endpoint) {
        StepFunctionsRuntime runtime = StepFunctionsRuntime.installedUnder(StepFunctionsRuntime.repositoryRoot());
        return new LocalStateMachine(asl, runtime, DEFAULT_TIMEOUT, System.err).execute(inputJson, endpoint);
    }

    /** The three real handlers over one engine, by local function name (a mutable map: tests may replace one). */
    public static Map<String, RequestStreamHandler> handlers(BrakeEngine engine) {
        Map<String, RequestStreamHandler> handlers = new LinkedHashMap<>();
        handlers.put(PLAN_FUNCTION, new PlanHandler(engine));
        handlers.put(TARGET_FUNCTION, new TargetHandler(engine));
        handlers.put(SUMMARIZE_FUNCTION, new SummarizeHandler(engine));
        handlers.put(READINESS_FUNCTION, new ReadinessHandler(engine));
        return handlers;
    }

    /** The definition with every placeholder replaced by its local function's alias ARN. */
    public static String substitute(String asl) {
        Matcher m = PLACEHOLDER.matcher(asl);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String function = SUBSTITUTIONS.get(m.group(1));
            if (function == null) {
                throw new IllegalArgumentException("the definition has a placeholder ${" + m.group(1)
                        + "} that the local runner does not know; known: " + SUBSTITUTIONS.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(LocalLambdaEndpoint.functionArn(function) + ":" + ALIAS));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Runs one execution of the definition with this input, its Lambda tasks invoking {@code endpoint}. */
    public ExecutionResult execute(String inputJson, LocalLambdaEndpoint endpoint) {
        return execute(inputJson, endpoint.endpoint());
    }

    /**
     * Runs one execution of the definition with this input, its Lambda tasks invoking the Lambda Invoke API at
     * {@code lambdaEndpoint} (for example a {@link LambdaArtifactServer} in another JVM).
     */
    public ExecutionResult execute(String inputJson, java.net.URI lambdaEndpoint) {
        try {
            Json.mapper().readTree(inputJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("the execution input is not JSON: " + e.getMessage(), e);
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("hit-breaks-sfn-");
            Path asl = work.resolve("definition.asl.json");
            Files.writeString(asl, substitute(Files.readString(definition)));
            Path driver = work.resolve(DRIVER);
            try (InputStream in = LocalStateMachine.class.getResourceAsStream(DRIVER)) {
                if (in == null) {
                    throw new IllegalStateException(DRIVER + " is missing from the local-runtime jar");
                }
                Files.copy(in, driver);
            }
            return launch(driver, asl, inputJson, lambdaEndpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the state machine: " + e.getMessage(), e);
        } finally {
            deleteQuietly(work);
        }
    }

    private ExecutionResult launch(Path driver, Path asl, String inputJson, java.net.URI lambdaEndpoint) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(runtime.node().toString(), driver.toString(),
                runtime.nodeModules().toString(), asl.toString()));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ENDPOINT_URL_LAMBDA", lambdaEndpoint.toString());
        // Wait states shortened for tests and quick local runs: {"StateName": milliseconds}, JSON.
        String waits = System.getProperty(WAIT_OVERRIDES_PROPERTY);
        if (waits != null && !waits.isBlank()) {
            env.put("HITBREAKS_WAIT_OVERRIDES", waits);
        }
        env.put("AWS_REGION", LocalLambdaEndpoint.REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path none = asl.resolveSibling("no-aws-config");
        env.put("AWS_CONFIG_FILE", none.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", none.toString());
        Process process = pb.start();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread out = pump(process.getInputStream(), stdout, null);
        Thread err = pump(process.getErrorStream(), stderr, log);
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(inputJson.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the local execution did not finish within " + timeout);
            }
            out.join();
            err.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the state machine ran", e);
        }
        String text = stdout.toString(StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0 || text.isEmpty()) {
            throw new IllegalStateException("aws-local-stepfunctions could not run the definition (exit code "
                    + process.exitValue() + "): " + stderr.toString(StandardCharsets.UTF_8).trim());
        }
        return parse(text.substring(text.lastIndexOf('\n') + 1));
    }

    static ExecutionResult parse(String line) throws IOException {
        JsonNode doc = Json.mapper().readTree(line);
        List<ExecutionResult.Event> history = new ArrayList<>();
        for (JsonNode e : doc.path("history")) {
            history.add(new ExecutionResult.Event(e.path("type").asText(), text(e, "state"), text(e, "parentState"),
                    e.hasNonNull("index") ? e.path("index").asInt() : null, text(e, "error"), text(e, "cause"),
                    e.hasNonNull("attempt") ? e.path("attempt").asInt() : null));
        }
        if ("SUCCEEDED".equals(doc.path("status").asText())) {
            return new ExecutionResult(true, Json.write(doc.path("output")), null, null, history);
        }
        return new ExecutionResult(false, null, doc.path("error").asText(), doc.path("cause").asText(), history);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream copy, PrintStream echo) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (copy) {
                        copy.write(buf, 0, n);
                    }
                    if (echo != null) {
                        echo.write(buf, 0, n);
                        echo.flush();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "local-sfn-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    /** {@code bin/local-state-machine}: see {@link LocalStateMachineCommand}. Only this method exits. */
    public static void main(String[] args) {
        System.exit(LocalStateMachineCommand.commandLine(System.in, System.out, System.err).execute(args));
    }
}
