package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.engine.EngineSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;

/**
 * The launcher's options exactly as typed: picocli writes these fields while it parses, and nothing else does.
 * {@link LauncherOptions#from} checks them and turns them into the one immutable value the modes read.
 */
final class LauncherArguments {
    /** The four modes; at most one. */
    static final class ModeFlags {
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
    ModeFlags mode;

    @Option(names = "--local", description = "Run the engine in this process (instead of the deployed state machine).")
    boolean local;

    @Option(names = "--stack", paramLabel = "NAME", description = "The deployed stack to control (default: the configured one, else "
            + StackLookup.DEFAULT_STACK + "); its region is --state-region.")
    String stackName;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to follow the stack's execution before giving up "
            + "following (it goes on, exit 6): 1 to 86400, default 3600.")
    String timeoutSeconds;

    @Option(names = "--profile", paramLabel = "NAME", description = "The AWS CLI profile whose credentials and region to use.")
    String profile;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the operation's cost report to FILE.")
    String reportFile;

    @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = ReportFormats.class,
            description = "The --report format: ${COMPLETION-CANDIDATES} (default: from FILE's extension, else json).")
    String reportFormat;

    @Option(names = "--install-alias", description = "Add 'aws hit breaks' to the AWS CLI's aliases (~/.aws/cli/alias).")
    boolean installAlias;

    @Option(names = "--uninstall-alias", description = "Remove the 'aws hit breaks' alias, leaving other aliases alone.")
    boolean uninstallAlias;

    @Option(names = "--completion", description = "Print the shell completion script (bash and zsh) and exit. "
            + "Install: source <(aws-hit-breaks --completion) in ~/.bashrc or ~/.zshrc.")
    boolean completion;

    @Option(names = "--via-aws-cli", hidden = true, description = "Set by the 'aws hit breaks' alias.")
    boolean viaAwsCli;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Send every AWS call here (moto, LocalStack). Default: $AWS_ENDPOINT_URL.")
    String endpointUrl;

    @Option(names = "--region", paramLabel = "R", completionCandidates = Regions.class,
            description = "A region to work in (repeatable): a region code such as eu-west-1, or 'all', every enabled region (the default).")
    List<String> regions = new ArrayList<>();

    @Option(names = "--regions", paramLabel = "R", split = ",", completionCandidates = Regions.class,
            description = "The same as --region, comma-separated (a spelling the AWS CLI passes on to 'aws hit breaks': "
                    + "--regions eu-west-1,us-east-1).")
    List<String> regionList = new ArrayList<>();

    @Option(names = "--service", paramLabel = "S", completionCandidates = Services.class,
            description = "A service to work on (repeatable): ${COMPLETION-CANDIDATES}. Default: all.")
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

    @Option(names = "--rebuild-from", paramLabel = "COPY", completionCandidates = SnapshotCopies.class,
            description = "With --resume: first restore the snapshot's damaged copy from the other one (${COMPLETION-CANDIDATES}): 's3' "
                    + "rewrites the damaged DynamoDB items from the S3 document, 'dynamodb' rewrites the S3 document from DynamoDB.")
    String rebuildFrom;

    @Option(names = "--wait", paramLabel = "SECONDS",
            description = "How long to wait for a resource in a transitional state (stopping, starting, modifying...) "
                    + "before skipping it with a reason: 0 to " + EngineSettings.MAX_WAIT_SECONDS + ", default "
                    + EngineSettings.DEFAULT_WAIT_SECONDS + ".")
    String waitSeconds;

    @Option(names = "--output", paramLabel = "FORMAT", completionCandidates = OutputFormats.class,
            description = "${COMPLETION-CANDIDATES}: table (the default) for people, json for one JSON document on stdout.")
    String output = "table";

    @Option(names = "--table", paramLabel = "NAME", description = "The snapshot table (default: " + Launcher.DEFAULT_TABLE + ").")
    String table;

    @Option(names = "--bucket", paramLabel = "NAME", description = "The snapshot bucket (default: aws-hit-breaks-<account>-<state region>).")
    String bucket;

    @Option(names = "--state-region", paramLabel = "R", completionCandidates = Regions.class,
            description = "The region of the snapshot table and bucket (default: $AWS_REGION, else us-east-1).")
    String stateRegion;

    /** The values {@code --service} takes: every service the engine knows. */
    static final class Services implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ServiceKind.values()).map(ServiceKind::id).iterator();
        }
    }

    /** The values {@code --output} takes. */
    static final class OutputFormats implements Iterable<String> {
        static final List<String> ALL = List.of("table", "json");

        @Override
        public Iterator<String> iterator() {
            return ALL.iterator();
        }
    }

    /** The values {@code --format} takes. */
    static final class ReportFormats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("json", "csv").iterator();
        }
    }

    /** The values {@code --rebuild-from} takes: the copy to restore the damaged one from. */
    static final class SnapshotCopies implements Iterable<String> {
        static final List<String> ALL = List.of("s3", "dynamodb");

        @Override
        public Iterator<String> iterator() {
            return ALL.iterator();
        }
    }

    /** For completion only: 'all' and every region code the SDK knows (help names the shape instead of ~35 codes). */
    static final class Regions implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Stream.concat(Stream.of(Request.ALL_REGIONS),
                    Region.regions().stream().map(Region::id).filter(Request::isKnownRegion).sorted()).iterator();
        }
    }
}
