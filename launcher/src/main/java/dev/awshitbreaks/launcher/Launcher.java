package dev.awshitbreaks.launcher;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.aws.RetrySettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.BrakeError;
import dev.awshitbreaks.core.BrakeException;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.core.SnapshotNotFoundException;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.engine.SnapshotIntegrity;
import dev.awshitbreaks.snapshot.StateStorage;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The {@code aws-hit-breaks} command line. One of {@code --pause}, {@code --resume}, {@code --status},
 * {@code --discover}; with {@code --local} the engine runs in this process against AWS or any endpoint.
 */
@Command(name = "aws-hit-breaks", mixinStandardHelpOptions = true, version = "aws-hit-breaks 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "An emergency brake for AWS spending: pause every cost-generating resource, resume it exactly.",
        footer = {"", "Exit codes: 0 done, 1 some resources failed, 2 invalid input (nothing touched),",
                "3 another pause or resume is running, 4 AWS error, 5 not confirmed, 70 internal error."})
public final class Launcher implements Callable<Integer> {
    static final String DEFAULT_TABLE = "aws-hit-breaks-snapshots";
    /** The lock lease of an in-process run, renewed every third of it while the run works. */
    static final java.time.Duration LOCK_LEASE = java.time.Duration.ofMinutes(5);

    static final class Mode {
        @Option(names = "--pause", required = true, description = "Pause every selected running resource.")
        boolean pause;
        @Option(names = "--resume", required = true, description = "Resume what a pause recorded (the active snapshot, or --snapshot).")
        boolean resume;
        @Option(names = "--status", required = true, description = "List the snapshots and what they hold.")
        boolean status;
        @Option(names = "--discover", required = true, description = "List what a pause would find, changing nothing.")
        boolean discover;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode;

    @Option(names = "--local", description = "Run the engine in this process (instead of the deployed state machine).")
    boolean local;

    @Option(names = "--stack", paramLabel = "NAME", description = "The deployed stack to control (default: the configured one, else "
            + StackLookup.DEFAULT_STACK + "); its region is --state-region.")
    String stackName;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to follow the stack's execution before giving up "
            + "following (it goes on): 1 to 86400, default 3600.")
    String timeoutSeconds;

    @Option(names = "--profile", paramLabel = "NAME", description = "The AWS CLI profile whose credentials and region to use.")
    String profile;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the operation's cost report to FILE.")
    String reportFile;

    @Option(names = "--format", paramLabel = "FORMAT", description = "The --report format: json or csv (default: from FILE's extension, else json).")
    String reportFormat;

    @Option(names = "--install-alias", description = "Add 'aws hit breaks' to the AWS CLI's aliases (~/.aws/cli/alias).")
    boolean installAlias;

    @Option(names = "--uninstall-alias", description = "Remove the 'aws hit breaks' alias, leaving other aliases alone.")
    boolean uninstallAlias;

    @Option(names = "--via-aws-cli", hidden = true, description = "Set by the 'aws hit breaks' alias.")
    boolean viaAwsCli;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Send every AWS call here (moto, LocalStack). Default: $AWS_ENDPOINT_URL.")
    String endpointUrl;

    @Option(names = "--region", paramLabel = "R", description = "A region to work in (repeatable); 'all' means every enabled region (the default).")
    List<String> regions = new ArrayList<>();

    @Option(names = "--regions", paramLabel = "R", split = ",", description = "The same as --region, comma-separated "
            + "(a spelling the AWS CLI passes on to 'aws hit breaks': --regions eu-west-1,us-east-1).")
    List<String> regionList = new ArrayList<>();

    @Option(names = "--service", paramLabel = "S", description = "A service to work on (repeatable). Default: all.")
    List<String> services = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "K=V", description = "Only resources with this tag (repeatable; all must match).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--exclude-tag", paramLabel = "K=V", description = "Leave resources with this tag alone (repeatable).")
    List<String> excludeTags = new ArrayList<>();

    @Option(names = "--exclude-id", paramLabel = "ID", description = "Leave this resource alone (repeatable).")
    List<String> excludeIds = new ArrayList<>();

    @Option(names = "--dry-run", description = "Change nothing; list exactly what a real run would change.")
    boolean dryRun;

    @Option(names = "--yes", description = "Answer yes to every question (required when no one is at a terminal).")
    boolean yes;

    @Option(names = "--snapshot", paramLabel = "ID", description = "The snapshot to resume (default: the active one); with --status, the snapshot to show.")
    String snapshotId;

    @Option(names = "--rebuild-from", paramLabel = "COPY",
            description = "With --resume: first restore the snapshot's damaged copy from the other one: 's3' rewrites the "
                    + "damaged DynamoDB items from the S3 document, 'dynamodb' rewrites the S3 document from DynamoDB.")
    String rebuildFrom;

    @Option(names = "--wait", paramLabel = "SECONDS",
            description = "How long to wait for a resource in a transitional state (stopping, starting, modifying...) "
                    + "before skipping it with a reason: 0 to " + EngineSettings.MAX_WAIT_SECONDS + ", default "
                    + EngineSettings.DEFAULT_WAIT_SECONDS + ".")
    String waitSeconds;

    @Option(names = "--output", paramLabel = "FORMAT", description = "table (default) or json.")
    String output = "table";

    @Option(names = "--table", paramLabel = "NAME", description = "The snapshot table (default: " + DEFAULT_TABLE + ").")
    String table;

    @Option(names = "--bucket", paramLabel = "NAME", description = "The snapshot bucket (default: aws-hit-breaks-<account>-<state region>).")
    String bucket;

    @Option(names = "--state-region", paramLabel = "R", description = "The region of the snapshot table and bucket (default: $AWS_REGION, else us-east-1).")
    String stateRegion;

    private final Terminal terminal;

    Launcher(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Parses, runs and maps every failure to an exit code: the one place that does. */
    public static int run(Terminal terminal, String... args) {
        CommandLine cli = commandLine(terminal);
        try {
            return cli.execute(args);
        } catch (RuntimeException e) {
            terminal.err().println("aws-hit-breaks: internal error: " + e);
            return ExitCode.INTERNAL;
        }
    }

    static CommandLine commandLine(Terminal terminal) {
        CommandLine cli = new CommandLine(new Launcher(terminal));
        cli.setExpandAtFiles(false); // an argument is what was typed: '@file' is never read as more options
        cli.setOut(new java.io.PrintWriter(terminal.out(), true));
        cli.setErr(new java.io.PrintWriter(terminal.err(), true));
        cli.setParameterExceptionHandler((ParameterException ex, String[] args) -> {
            terminal.err().println("aws-hit-breaks: " + Shown.plain(ex.getMessage(), 400));
            terminal.err().println("Run 'aws-hit-breaks --help' for the options.");
            return ExitCode.INVALID_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(terminal, ex));
        return cli;
    }

    static int handle(Terminal terminal, Exception ex) {
        var err = terminal.err();
        var named = BrakeError.of(ex);
        if (named.isPresent()) {
            // the one mapping of named errors to exit codes; remote mode turns a failed execution's error into the
            // same exception (RemoteBrake.failed), so both modes exit alike
            String message = ex.getMessage();
            String recovery = named.get().recovery();
            err.println("aws-hit-breaks: " + message + (recovery.isEmpty() || message.contains("--rebuild-from") ? ""
                    : System.lineSeparator() + recovery));
            return named.get().exitCode();
        }
        if (ex instanceof NotConfirmedException) {
            err.println("aws-hit-breaks: " + ex.getMessage());
            return ExitCode.NOT_CONFIRMED;
        }
        if (ex instanceof RemoteBrake.StillRunningException) {
            err.println("aws-hit-breaks: " + ex.getMessage());
            return ExitCode.STILL_RUNNING;
        }
        if (ex instanceof RemoteBrake.ExecutionFailedException) {
            err.println("aws-hit-breaks: " + ex.getMessage());
            return ExitCode.FAILURES;
        }
        if (ex instanceof java.io.UncheckedIOException io) {
            err.println("aws-hit-breaks: " + io.getMessage()); // a local file (config, report, alias) could not be written
            return ExitCode.FAILURES;
        }
        if (ex instanceof SdkException sdk) {
            err.println("aws-hit-breaks: " + AwsErrors.explain(sdk));
            return ExitCode.AWS_ERROR;
        }
        if (ex instanceof BrakeException) {
            err.println("aws-hit-breaks: " + ex.getMessage());
            return ExitCode.AWS_ERROR;
        }
        err.println("aws-hit-breaks: internal error (please report it): " + ex);
        return ExitCode.INTERNAL;
    }

    @Override
    public Integer call() {
        if (installAlias || uninstallAlias) {
            return alias();
        }
        if (viaAwsCli) {
            AwsCliInvocation.recover(terminal).applyTo(this);
        }
        // Everything the user typed is checked here, before the first AWS call.
        checkOptions();
        if (mode == null) {
            if (!terminal.interactive()) {
                throw new InvalidRequestException("give one of --pause, --resume, --status or --discover: without one,"
                        + " aws-hit-breaks asks what to do, which needs a terminal (stdin is not one)");
            }
            if (yes || dryRun || snapshotId != null || reportFile != null || output.equals("json")) {
                throw new InvalidRequestException("--yes, --dry-run, --snapshot, --report and --output json need a mode (--pause, --resume,"
                        + " --status or --discover); without one aws-hit-breaks asks what to do");
            }
            return new Interactive(this, terminal).run();
        }
        Action action = action();
        Request request = null;
        if (action != null) {
            request = request(action, allRegions(), dryRun);
        } else {
            if (dryRun) {
                throw new InvalidRequestException("--status takes no --dry-run: it changes nothing anyway");
            }
            if (reportFile != null) {
                throw new InvalidRequestException("--status writes no --report: the report is of a pause, resume or discover");
            }
            if (snapshotId != null) {
                OperationId.requireSnapshotId(snapshotId);
            }
        }
        if ((action == Action.PAUSE || action == Action.RESUME) && !dryRun && !yes && !terminal.interactive()) {
            // refused before the first AWS call: no one can be asked, so nothing is looked at or changed
            throw new NotConfirmedException("refusing to " + action.id() + " without --yes: no one is at a terminal to "
                    + "confirm; nothing was changed (add --dry-run to see what it would do)");
        }
        Output out = new Output(terminal, output.equals("json"));
        try (Session session = open(ConfigFile.of(terminal).load().orElse(null))) {
            if (action == null) {
                return status(session, out);
            }
            if (session.local() && !yes && (action == Action.DISCOVER || dryRun)) {
                String missing = missingStorage(session.clients());
                if (missing != null) {
                    // a look changes nothing, not even by creating the snapshot store: it runs, and says nothing was kept
                    if (action == Action.RESUME) {
                        throw new SnapshotNotFoundException("no snapshot to resume: the snapshot " + missing + "; nothing was changed");
                    }
                    String notStored = "no report was stored: the snapshot " + missing + " (run with --yes to create "
                            + (missing.contains(" and ") ? "them" : "it") + " and keep reports)";
                    terminal.err().println("Running " + session.where() + ".");
                    terminal.err().println("Nothing is created or written: " + notStored + ".");
                    OperationReport report = session.lookWithoutStoring(request);
                    out.report(report, notStored);
                    writeReport(report);
                    return report.hasFailures() ? ExitCode.FAILURES : ExitCode.OK;
                }
            }
            if (session.local() && !ensureStorage(session.clients(), session.endpoint())) {
                throw new NotConfirmedException("the snapshot table and bucket do not exist and were not created; nothing was changed");
            }
            terminal.err().println("Running " + session.where() + ".");
            if (action == Action.RESUME) {
                checkSnapshotCopies(session.engine());
            }
            if (!dryRun && action != Action.DISCOVER && !yes) {
                confirm(session, request, out);
            }
            OperationReport report = session.run(request, false);
            out.report(report);
            writeReport(report);
            return report.hasFailures() ? ExitCode.FAILURES : ExitCode.OK;
        }
    }

    Action action() {
        return mode == null ? null : mode.pause ? Action.PAUSE : mode.resume ? Action.RESUME : mode.discover ? Action.DISCOVER : null;
    }

    List<String> allRegions() {
        List<String> all = new ArrayList<>(regions);
        regionList.stream().map(String::trim).forEach(all::add);
        return all;
    }

    Request request(Action action, List<String> workRegions, boolean dry) {
        return new Request(action, workRegions, services, keyValues("--tag", tags), keyValues("--exclude-tag", excludeTags),
                excludeIds, dry, snapshotId, "launcher").validated();
    }

    /** The options that need no AWS call to check: each bad value is named, exit 2. */
    private void checkOptions() {
        if (!output.equals("table") && !output.equals("json")) {
            throw new InvalidRequestException("invalid --output " + Shown.quote(output) + ": expected table or json");
        }
        endpoint();
        if (waitSeconds != null) {
            EngineSettings.parseWait("--wait", waitSeconds);
        }
        timeout();
        if (reportFormat != null && reportFile == null) {
            throw new InvalidRequestException("--format " + Shown.quote(reportFormat) + " needs --report FILE");
        }
        if (reportFile != null) {
            ReportFile.of(reportFile, reportFormat);
        }
        if (rebuildFrom != null) {
            if (!"s3".equals(rebuildFrom) && !"dynamodb".equals(rebuildFrom)) {
                throw new InvalidRequestException("invalid --rebuild-from " + Shown.quote(rebuildFrom) + ": expected s3 or dynamodb");
            }
            if (action() != Action.RESUME) {
                throw new InvalidRequestException("--rebuild-from goes with --resume");
            }
        }
        String region = stateRegionOrNull();
        if (region != null && !Request.isKnownRegion(region)) {
            throw new InvalidRequestException("unknown state region " + Shown.quote(region));
        }
        if (table != null) {
            requireName("--table", table, "[A-Za-z0-9_.-]{3,255}");
        }
        if (bucket != null) {
            requireName("--bucket", bucket, "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
        }
        if (stackName != null) {
            requireName("--stack", stackName, "[A-Za-z][A-Za-z0-9-]{0,127}");
        }
        if (profile != null) {
            requireName("--profile", profile, "[A-Za-z0-9_.@+-]{1,128}");
        }
        if (local && stackName != null) {
            throw new InvalidRequestException("--local and --stack " + Shown.quote(stackName) + " contradict: --local runs the engine here,"
                    + " --stack names the deployed stack to control");
        }
    }

    Duration timeout() {
        if (timeoutSeconds == null) {
            return RemoteBrake.DEFAULT_TIMEOUT;
        }
        try {
            long s = Long.parseLong(timeoutSeconds.trim());
            if (s >= 1 && s <= 86_400) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new InvalidRequestException("invalid --timeout " + Shown.quote(timeoutSeconds) + ": expected whole seconds from 1 to 86400");
    }

    /**
     * Local or remote, from the options and the config file: {@code --local}, else {@code --stack}, else the config's
     * choice, else the default stack name. Remote mode reads the stack's outputs (one DescribeStacks call).
     */
    Session open(LauncherConfig config) {
        URI endpoint = endpoint();
        boolean configLocal = config != null && config.isLocal() && stackName == null;
        boolean runLocal = local || configLocal;
        if (endpoint == null && configLocal && config.endpointUrl() != null && endpointUrl == null) {
            endpoint = URI.create(config.endpointUrl());
        }
        AwsCredentialsProvider credentials = credentials();
        // The launcher renews its lock while it runs (BrakeEngine.run), so a short lease: a run killed on another
        // host blocks the account for at most this long (on this host, a re-run takes over at once).
        EngineSettings base = EngineSettings.defaults().withLockLease(LOCK_LEASE);
        EngineSettings engineSettings = waitSeconds == null ? base
                : base.withTransitionalWait(EngineSettings.parseWait("--wait", waitSeconds));
        RetrySettings retry = retrySettings();
        String region = stateRegionOrNull();
        if (runLocal) {
            if (region == null) {
                region = configLocal && config.region() != null ? config.region()
                        : allRegions().stream().filter(r -> !r.equals(Request.ALL_REGIONS)).findFirst().orElse("us-east-1");
            }
            String tableName = table != null ? table : DEFAULT_TABLE;
            String bucketName = bucket;
            if (bucketName == null) {
                try (AwsClients probe = new AwsClients(new AwsSettings(endpoint, region, tableName, "unset", retry), credentials)) {
                    bucketName = "aws-hit-breaks-" + probe.sts().getCallerIdentity().account() + "-" + region;
                }
            }
            return new Session(terminal, new AwsClients(new AwsSettings(endpoint, region, tableName, bucketName, retry), credentials), null,
                    endpoint, engineSettings, timeout());
        }
        if (table != null || bucket != null) {
            throw new InvalidRequestException("--table and --bucket are set by the deployed stack's outputs; give them only with --local");
        }
        if (waitSeconds != null) {
            throw new InvalidRequestException("--wait " + Shown.quote(waitSeconds) + " applies to --local runs; the deployed stack's functions"
                    + " have their own setting");
        }
        boolean configStack = config != null && !config.isLocal() && (stackName == null || stackName.equals(config.stackName()));
        String name = stackName != null ? stackName : configStack ? config.stackName() : StackLookup.DEFAULT_STACK;
        if (region == null) {
            region = configStack && config.region() != null ? config.region() : "us-east-1";
        }
        StackInfo stack = StackLookup.find(name, region, endpoint, credentials);
        return new Session(terminal, new AwsClients(new AwsSettings(endpoint, region, stack.tableName(), stack.bucketName(), retry),
                credentials), stack, endpoint, engineSettings, timeout());
    }

    /** The SDK's retry budget, from HITBREAKS_RETRY_* in the launcher's environment (defaults otherwise). */
    private RetrySettings retrySettings() {
        Map<String, String> retryEnv = new java.util.HashMap<>();
        for (String name : List.of(RetrySettings.MAX_ATTEMPTS_ENV, RetrySettings.MAX_BACKOFF_ENV, RetrySettings.API_CALL_TIMEOUT_ENV,
                RetrySettings.API_ATTEMPT_TIMEOUT_ENV)) {
            if (terminal.env(name) != null) {
                retryEnv.put(name, terminal.env(name));
            }
        }
        return RetrySettings.fromEnvironment(retryEnv);
    }

    void writeReport(OperationReport report) {
        if (reportFile != null) {
            ReportFile f = ReportFile.of(reportFile, reportFormat);
            f.write(report);
            terminal.err().println("Report written to " + f.path() + " (" + f.format() + ").");
        }
    }

    private int alias() {
        if (installAlias && uninstallAlias) {
            throw new InvalidRequestException("--install-alias and --uninstall-alias contradict: give one");
        }
        if (mode != null) {
            throw new InvalidRequestException("--install-alias and --uninstall-alias take no mode; run them on their own");
        }
        AwsCliAlias alias = new AwsCliAlias(ConfigFile.home(terminal));
        if (uninstallAlias) {
            boolean removed = alias.uninstall();
            terminal.err().println(removed ? "Removed the 'aws hit' alias from " + alias.file() + "."
                    : "No 'aws hit' alias in " + alias.file() + "; nothing changed.");
            return ExitCode.OK;
        }
        String launcher = terminal.env("HITBREAKS_LAUNCHER");
        if (launcher == null) {
            throw new InvalidRequestException("--install-alias must be run through bin/aws-hit-breaks (it names itself in the alias)");
        }
        alias.install(java.nio.file.Path.of(launcher));
        terminal.err().println("Added the alias to " + alias.file() + ": 'aws hit breaks' now runs " + launcher
                + ". Try: aws hit breaks --status");
        return ExitCode.OK;
    }

    /**
     * Before a resume: says when one copy of the snapshot is damaged, and with --rebuild-from restores it from the
     * other. A damaged DynamoDB copy without --rebuild-from is refused by the engine (CorruptSnapshotException).
     */
    private void checkSnapshotCopies(BrakeEngine engine) {
        String id = snapshotId != null ? snapshotId : engine.store().activeSnapshotId().orElse(null);
        if (id == null) {
            return; // the engine says there is nothing to resume
        }
        SnapshotIntegrity integrity = new SnapshotIntegrity(engine.store());
        SnapshotIntegrity.Check check = integrity.check(id);
        if ("s3".equals(rebuildFrom) && !check.dynamoDbIntact()) {
            if (dryRun) {
                throw new InvalidRequestException("--rebuild-from writes, and --dry-run changes nothing: run without --dry-run");
            }
            int n = integrity.rebuildDynamoDbFromS3(id);
            terminal.err().println("Snapshot " + id + ": DynamoDB was damaged (" + String.join("; ", check.dynamoDbProblems())
                    + "); restored " + n + " item(s) from its S3 copy.");
        } else if ("dynamodb".equals(rebuildFrom) && !check.s3Intact()) {
            if (dryRun) {
                throw new InvalidRequestException("--rebuild-from writes, and --dry-run changes nothing: run without --dry-run");
            }
            integrity.rebuildS3FromDynamoDb(id);
            terminal.err().println("Snapshot " + id + ": its S3 copy was damaged (" + check.s3Problem().orElseThrow()
                    + "); rewritten from DynamoDB.");
        } else if (rebuildFrom != null) {
            terminal.err().println("Snapshot " + id + ": its " + ("s3".equals(rebuildFrom) ? "DynamoDB items are" : "S3 copy is")
                    + " intact; nothing to rebuild.");
        } else if (!check.s3Intact() && check.dynamoDbIntact()) {
            terminal.err().println("Warning: snapshot " + id + ": its S3 copy is damaged (" + check.s3Problem().orElseThrow()
                    + "). Its DynamoDB items are intact and are what this resume uses; the S3 copy is rewritten from them"
                    + " when the resume ends (or now, with --rebuild-from dynamodb).");
        }
    }

    /** Without --yes: show what would change (a dry run) and ask; no terminal means no. */
    private void confirm(Session session, Request request, Output out) {
        if (!terminal.interactive()) {
            throw new NotConfirmedException("refusing to " + request.action().id()
                    + " without --yes: no one is at a terminal to confirm; nothing was changed");
        }
        Request preview = new Request(request.action(), request.regions(), request.services(), request.tags(),
                request.excludeTags(), request.excludeIds(), true, request.snapshotId(), request.trigger());
        OperationReport dry = session.run(preview, false);
        out.preview(dry);
        if (!terminal.confirm("Continue?")) {
            throw new NotConfirmedException("not confirmed; nothing was changed");
        }
    }

    int status(Session session, Output out) {
        AwsClients clients = session.clients();
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), clients.settings().stateRegion());
        if (!storage.tableExists(clients.settings().tableName())) {
            terminal.err().println("No snapshots yet: table " + clients.settings().tableName() + " does not exist in "
                    + clients.settings().stateRegion() + ".");
            out.status(List.of());
            return ExitCode.OK;
        }
        BrakeEngine engine = session.engine();
        if (snapshotId != null) {
            var header = engine.store().header(snapshotId)
                    .orElseThrow(() -> new SnapshotNotFoundException("no snapshot " + Shown.quote(snapshotId) + " in table "
                            + clients.settings().tableName() + "; --status lists the snapshots there are"));
            var records = engine.store().records(snapshotId, null, null);
            out.snapshot(header, records, engine.savings(records));
            return ExitCode.OK;
        }
        out.status(engine.status(50));
        return ExitCode.OK;
    }

    /** What of the snapshot store is missing ("DynamoDB table t and S3 bucket b do not exist in r"), or null. */
    static String missingStorage(AwsClients clients) {
        AwsSettings s = clients.settings();
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), s.stateRegion());
        boolean tableMissing = !storage.tableExists(s.tableName());
        boolean bucketMissing = !storage.bucketExists(s.bucketName());
        if (!tableMissing && !bucketMissing) {
            return null;
        }
        return (tableMissing ? "DynamoDB table " + s.tableName() : "") + (tableMissing && bucketMissing ? " and " : "")
                + (bucketMissing ? "S3 bucket " + s.bucketName() : "")
                + (tableMissing && bucketMissing ? " do not exist" : " does not exist") + " in " + s.stateRegion();
    }

    /** Creates the table and bucket when missing, after asking (or with --yes). */
    boolean ensureStorage(AwsClients clients, URI endpoint) {
        AwsSettings s = clients.settings();
        StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), s.stateRegion());
        boolean tableMissing = !storage.tableExists(s.tableName());
        boolean bucketMissing = !storage.bucketExists(s.bucketName());
        if (!tableMissing && !bucketMissing) {
            return true;
        }
        String what = (tableMissing ? "DynamoDB table " + s.tableName() : "")
                + (tableMissing && bucketMissing ? " and " : "")
                + (bucketMissing ? "S3 bucket " + s.bucketName() : "");
        if (!yes) {
            if (!terminal.interactive()) {
                throw new NotConfirmedException("the snapshot " + what + " in " + s.stateRegion()
                        + (tableMissing && bucketMissing ? " do not exist" : " does not exist")
                        + "; run again with --yes to create " + (tableMissing && bucketMissing ? "them" : "it") + "; nothing was changed");
            }
            if (!terminal.confirm("Snapshots are kept in " + what + " in " + s.stateRegion() + (tableMissing && bucketMissing ? ", which do not exist. Create them?" : ", which does not exist. Create it?"))) {
                return false;
            }
        }
        boolean tls = endpoint == null || "https".equalsIgnoreCase(endpoint.getScheme());
        if (tableMissing) {
            storage.createTable(s.tableName());
        }
        if (bucketMissing) {
            storage.createBucket(s.bucketName(), tls);
        }
        terminal.err().println("Created " + what + " in " + s.stateRegion()
                + (bucketMissing && !tls ? " (without the TLS-only bucket policy: the endpoint is plain HTTP)" : "") + ".");
        return true;
    }

    /**
     * Keys in the launcher's environment first (as the SDK's default chain would), then the default chain:
     * profiles, SSO, container and instance roles. Nothing is stored.
     */
    java.io.PrintStream terminalErr() {
        return terminal.err();
    }

    AwsCredentialsProvider credentialsProvider() {
        return credentials();
    }

    private AwsCredentialsProvider credentials() {
        if (profile != null) {
            return ProfileCredentialsProvider.builder().profileName(profile).build();
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

    URI endpoint() {
        String raw = endpointUrl != null ? endpointUrl : terminal.env("AWS_ENDPOINT_URL");
        if (raw == null) {
            return null;
        }
        String source = endpointUrl != null ? "--endpoint-url" : "AWS_ENDPOINT_URL";
        try {
            URI uri = new URI(raw);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new InvalidRequestException("invalid " + source + " " + Shown.quote(raw) + ": expected http(s)://host[:port]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("invalid " + source + " " + Shown.quote(raw) + ": " + Shown.plain(e.getReason()));
        }
    }

    /** --state-region, else the AWS CLI's region ($AWS_REGION, $AWS_DEFAULT_REGION, the profile's); null when none is set. */
    String stateRegionOrNull() {
        if (stateRegion != null) {
            return stateRegion;
        }
        return CliRegion.of(terminal, profile);
    }

    static Map<String, String> keyValues(String option, List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new InvalidRequestException("invalid " + option + " " + Shown.quote(p) + ": expected KEY=VALUE with a non-empty key");
            }
            String key = p.substring(0, eq);
            if (out.containsKey(key) && !out.get(key).equals(p.substring(eq + 1))) {
                throw new InvalidRequestException("invalid " + option + " " + Shown.quote(p) + ": tag " + Shown.quote(key)
                        + " is already given another value, and a resource has one value per tag");
            }
            out.put(key, p.substring(eq + 1));
        }
        return out;
    }

    private static void requireName(String option, String value, String pattern) {
        if (!value.matches(pattern)) {
            throw new InvalidRequestException("invalid " + option + " " + Shown.quote(value));
        }
    }

    /** Declined, or no one to ask: nothing was changed. */
    static final class NotConfirmedException extends RuntimeException {
        NotConfirmedException(String message) {
            super(message);
        }
    }
}
