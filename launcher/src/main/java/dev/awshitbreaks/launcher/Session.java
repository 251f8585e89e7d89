package dev.awshitbreaks.launcher;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.aws.RetrySettings;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.engine.SnapshotIntegrity;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Where the brake runs for one launcher run: in this process ({@code stack == null}: the engine against AWS or
 * an endpoint) or on the deployed stack (its state machine, followed). Status reads the same snapshots either way.
 */
final class Session implements AutoCloseable {
    private final Terminal terminal;
    private final AwsClients clients;
    private final StackInfo stack;
    private final URI endpoint;
    private final EngineSettings engineSettings;
    private final Duration timeout;
    /** Snapshots whose damaged S3 copy this session has warned about (a confirmed resume plans twice). */
    private final java.util.Set<String> warnedAbout = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Session(Terminal terminal, AwsClients clients, StackInfo stack, URI endpoint, EngineSettings engineSettings, Duration timeout) {
        this.terminal = terminal;
        this.clients = clients;
        this.stack = stack;
        this.endpoint = endpoint;
        this.engineSettings = engineSettings;
        this.timeout = timeout;
    }

    /**
     * Local or remote, from the options and the config file: {@code --local}, else {@code --stack}, else the config's
     * choice, else the default stack name. Remote mode reads the stack's outputs (one DescribeStacks call).
     */
    static Session open(LauncherOptions options, Terminal terminal, LauncherConfig config) {
        URI endpoint = options.endpoint();
        boolean configLocal = config != null && config.isLocal() && options.stackName() == null;
        boolean runLocal = options.local() || configLocal;
        if (endpoint == null && configLocal && config.endpointUrl() != null) {
            endpoint = URI.create(config.endpointUrl());
        }
        AwsCredentialsProvider credentials = credentials(options, terminal);
        // The launcher renews its lock while it runs (BrakeEngine.run), so a short lease: a run killed on another
        // host blocks the account for at most this long (on this host, a re-run takes over at once).
        EngineSettings base = EngineSettings.defaults().withLockLease(Launcher.LOCK_LEASE);
        EngineSettings engineSettings = options.transitionalWait() == null ? base : base.withTransitionalWait(options.transitionalWait());
        RetrySettings retry = retrySettings(terminal);
        String region = options.stateRegion();
        if (runLocal) {
            if (region == null) {
                region = configLocal && config.region() != null ? config.region()
                        : options.regions().stream().filter(r -> !r.equals(Request.ALL_REGIONS)).findFirst().orElse("us-east-1");
            }
            String tableName = options.table() != null ? options.table() : Launcher.DEFAULT_TABLE;
            String bucketName = options.bucket();
            if (bucketName == null) {
                try (AwsClients probe = new AwsClients(new AwsSettings(endpoint, region, tableName, "unset", retry), credentials);
                        software.amazon.awssdk.services.sts.StsClient sts = probe.configured(
                                software.amazon.awssdk.services.sts.StsClient.builder(), region).build()) {
                    bucketName = "aws-hit-breaks-" + sts.getCallerIdentity().account() + "-" + region;
                }
            }
            return new Session(terminal, new AwsClients(new AwsSettings(endpoint, region, tableName, bucketName, retry), credentials), null,
                    endpoint, engineSettings, options.timeout());
        }
        if (options.table() != null || options.bucket() != null) {
            throw new InvalidRequestException("--table and --bucket are set by the deployed stack's outputs; give them only with --local");
        }
        if (options.transitionalWait() != null) {
            throw new InvalidRequestException("--wait " + Shown.quote(String.valueOf(options.transitionalWait().toSeconds()))
                    + " applies to --local runs; the deployed stack's functions have their own setting");
        }
        String stackName = options.stackName();
        boolean configStack = config != null && !config.isLocal() && (stackName == null || stackName.equals(config.stackName()));
        String name = stackName != null ? stackName : configStack ? config.stackName() : StackLookup.DEFAULT_STACK;
        if (region == null) {
            region = configStack && config.region() != null ? config.region() : "us-east-1";
        }
        StackInfo stack = StackLookup.find(name, region, endpoint, credentials);
        return new Session(terminal, new AwsClients(new AwsSettings(endpoint, region, stack.tableName(), stack.bucketName(), retry),
                credentials), stack, endpoint, engineSettings, options.timeout());
    }

    /**
     * Keys in the launcher's environment first (as the SDK's default chain would), then the default chain:
     * profiles, SSO, container and instance roles. Nothing is stored.
     */
    static AwsCredentialsProvider credentials(LauncherOptions options, Terminal terminal) {
        if (options.profile() != null) {
            return ProfileCredentialsProvider.builder().profileName(options.profile()).build();
        }
        String key = terminal.env("AWS_ACCESS_KEY_ID");
        String secret = terminal.env("AWS_SECRET_ACCESS_KEY");
        if (key != null && secret != null) {
            String token = terminal.env("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null ? AwsBasicCredentials.create(key, secret)
                    : AwsSessionCredentials.create(key, secret, token));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** The SDK's retry budget, from HITBREAKS_RETRY_* in the launcher's environment (defaults otherwise). */
    private static RetrySettings retrySettings(Terminal terminal) {
        Map<String, String> retryEnv = new HashMap<>();
        for (String name : List.of(RetrySettings.MAX_ATTEMPTS_ENV, RetrySettings.MAX_BACKOFF_ENV, RetrySettings.API_CALL_TIMEOUT_ENV,
                RetrySettings.API_ATTEMPT_TIMEOUT_ENV)) {
            if (terminal.env(name) != null) {
                retryEnv.put(name, terminal.env(name));
            }
        }
        return RetrySettings.fromEnvironment(retryEnv);
    }

    boolean local() {
        return stack == null;
    }

    StackInfo stack() {
        return stack;
    }

    URI endpoint() {
        return endpoint;
    }

    AwsClients clients() {
        return clients;
    }

    /** For people: where the brake runs. */
    String where() {
        return local() ? "on this computer (--local) against " + (endpoint == null ? "AWS" : endpoint.toString())
                + ", snapshots in " + clients.settings().tableName() + " (" + clients.settings().stateRegion() + ")"
                : "on the deployed stack " + stack.name() + " (" + stack.region() + ")";
    }

    BrakeEngine engine() {
        return BrakeEngine.create(clients, engineSettings);
    }

    SnapshotStore store() {
        return SnapshotStore.dynamoDbAndS3(clients.dynamoDb(), clients.s3(), clients.settings().tableName(), clients.settings().bucketName());
    }

    /** Runs one operation to its end: in-process, or by starting the state machine and following it. */
    OperationReport run(Request request, boolean bar) {
        if (local()) {
            return engine().run(request, new Progress(terminal, bar, this::snapshotChecked));
        }
        return new RemoteBrake(clients.sfn(), store(), stack, terminal, timeout, Duration.ofSeconds(1)).run(request, Bar.DEFAULT);
    }

    /** A resume's plan checked its snapshot: a damaged S3 copy is warned about, once. */
    private void snapshotChecked(SnapshotIntegrity.Check check) {
        if (!check.s3Intact() && warnedAbout.add(check.snapshotId())) {
            terminal.err().println(SnapshotRepair.s3DamagedWarning(check));
        }
    }

    /** A discover or pause dry run in this process that stores nothing (the snapshot store does not exist). */
    OperationReport lookWithoutStoring(Request request) {
        return engine().lookWithoutStoring(request, new Progress(terminal, false));
    }

    @Override
    public void close() {
        clients.close();
    }
}
