package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.OperationId;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.engine.EngineSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the user asked of one launcher run, checked: built once, after parsing, by {@link #from}, before the
 * first AWS call (a bad value is named, exit 2), and read, never changed, by the modes.
 *
 * @param mode what to do
 * @param local run the engine in this process (--local)
 * @param stackName the deployed stack (--stack), or null for the configured one, else the default
 * @param timeout how long to follow the stack's execution (--timeout)
 * @param profile the AWS CLI profile (--profile), or null
 * @param report where to write the report (--report, --format), or null
 * @param endpoint --endpoint-url, else $AWS_ENDPOINT_URL, else null (AWS itself)
 * @param regions --region and --regions as given, in order (empty: the default)
 * @param services --service as given (empty: all)
 * @param tags --tag
 * @param excludeTags --exclude-tag
 * @param excludeIds --exclude-id
 * @param dryRun --dry-run
 * @param yes --yes
 * @param snapshotId --snapshot, or null
 * @param rebuildFrom --rebuild-from (only with --resume), or null
 * @param transitionalWait --wait, or null for the engine's default
 * @param json --output json
 * @param table --table, or null
 * @param bucket --bucket, or null
 * @param stateRegion --state-region, else the AWS CLI's region; null when neither is set
 */
record LauncherOptions(
        Mode mode,
        boolean local,
        String stackName,
        Duration timeout,
        String profile,
        ReportFile report,
        URI endpoint,
        List<String> regions,
        List<String> services,
        Map<String, String> tags,
        Map<String, String> excludeTags,
        List<String> excludeIds,
        boolean dryRun,
        boolean yes,
        String snapshotId,
        SnapshotCopy rebuildFrom,
        Duration transitionalWait,
        boolean json,
        String table,
        String bucket,
        String stateRegion) {

    /** What one run does: one of the four mode flags, or (none given, at a terminal) ask. */
    enum Mode {
        PAUSE(Action.PAUSE), RESUME(Action.RESUME), DISCOVER(Action.DISCOVER), STATUS(null), INTERACTIVE(null);

        private final Action action;

        Mode(Action action) {
            this.action = action;
        }

        /** The engine's action, or null for status and interactive. */
        Action action() {
            return action;
        }
    }

    /** The intact copy {@code --rebuild-from} restores the damaged one from. */
    enum SnapshotCopy {
        S3, DYNAMODB;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    LauncherOptions {
        regions = List.copyOf(regions);
        services = List.copyOf(services);
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        excludeTags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(excludeTags));
        excludeIds = List.copyOf(excludeIds);
    }

    /**
     * Checks what was typed (with the AWS CLI's own options, when run as {@code aws hit breaks}, as if given
     * here) and builds the value. Every check that needs no AWS call is here: a bad value is named, exit 2.
     */
    static LauncherOptions from(LauncherArguments typed, AwsCliInvocation viaAwsCli, Terminal terminal) {
        List<String> regionFlags = new ArrayList<>(typed.regions);
        String profile = typed.profile;
        String endpointUrl = typed.endpointUrl;
        String output = typed.output;
        if (viaAwsCli != null) {
            viaAwsCli.regions().stream().filter(r -> !regionFlags.contains(r)).forEach(regionFlags::add);
            profile = profile != null ? profile : viaAwsCli.profile();
            endpointUrl = endpointUrl != null ? endpointUrl : viaAwsCli.endpointUrl();
            output = viaAwsCli.output() != null ? viaAwsCli.output() : output;
        }
        Mode mode = mode(typed.mode);

        if (!LauncherArguments.OutputFormats.ALL.contains(output)) {
            throw new InvalidRequestException("invalid --output " + Shown.quote(output) + ": expected table or json");
        }
        String endpointSource = endpointUrl != null ? "--endpoint-url" : "AWS_ENDPOINT_URL";
        URI endpoint = endpoint(endpointSource, endpointUrl != null ? endpointUrl : terminal.env("AWS_ENDPOINT_URL"));
        Duration wait = typed.waitSeconds == null ? null : EngineSettings.parseWait("--wait", typed.waitSeconds);
        Duration timeout = timeout(typed.timeoutSeconds);
        if (typed.reportFormat != null && typed.reportFile == null) {
            throw new InvalidRequestException("--format " + Shown.quote(typed.reportFormat) + " needs --report FILE");
        }
        ReportFile report = typed.reportFile == null ? null : ReportFile.of(typed.reportFile, typed.reportFormat);
        SnapshotCopy rebuildFrom = null;
        if (typed.rebuildFrom != null) {
            if (!LauncherArguments.SnapshotCopies.ALL.contains(typed.rebuildFrom)) {
                throw new InvalidRequestException("invalid --rebuild-from " + Shown.quote(typed.rebuildFrom) + ": expected s3 or dynamodb");
            }
            if (mode != Mode.RESUME) {
                throw new InvalidRequestException("--rebuild-from goes with --resume");
            }
            rebuildFrom = SnapshotCopy.valueOf(typed.rebuildFrom.toUpperCase(java.util.Locale.ROOT));
        }
        String stateRegion = typed.stateRegion != null ? typed.stateRegion : CliRegion.of(terminal, profile);
        if (stateRegion != null && !Request.isKnownRegion(stateRegion)) {
            throw new InvalidRequestException("unknown state region " + Shown.quote(stateRegion));
        }
        if (typed.table != null) {
            requireName("--table", typed.table, "[A-Za-z0-9_.-]{3,255}");
        }
        if (typed.bucket != null) {
            requireName("--bucket", typed.bucket, "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
        }
        if (typed.stackName != null) {
            requireName("--stack", typed.stackName, "[A-Za-z][A-Za-z0-9-]{0,127}");
        }
        if (profile != null) {
            requireName("--profile", profile, "[A-Za-z0-9_.@+-]{1,128}");
        }
        if (typed.local && typed.stackName != null) {
            throw new InvalidRequestException("--local and --stack " + Shown.quote(typed.stackName) + " contradict: --local runs the engine here,"
                    + " --stack names the deployed stack to control");
        }
        if (mode == Mode.INTERACTIVE) {
            if (!terminal.interactive()) {
                throw new InvalidRequestException("give one of --pause, --resume, --status or --discover: without one,"
                        + " aws-hit-breaks asks what to do, which needs a terminal (stdin is not one)");
            }
            if (typed.yes || typed.dryRun || typed.snapshotId != null || typed.reportFile != null || output.equals("json")) {
                throw new InvalidRequestException("--yes, --dry-run, --snapshot, --report and --output json need a mode (--pause, --resume,"
                        + " --status or --discover); without one aws-hit-breaks asks what to do");
            }
        }
        List<String> regions = new ArrayList<>(regionFlags);
        typed.regionList.stream().map(String::trim).forEach(regions::add);
        LauncherOptions options = new LauncherOptions(mode, typed.local, typed.stackName, timeout, profile, report, endpoint,
                regions, typed.services, keyValues("--tag", typed.tags), keyValues("--exclude-tag", typed.excludeTags), typed.excludeIds,
                typed.dryRun, typed.yes, typed.snapshotId, rebuildFrom, wait, output.equals("json"), typed.table, typed.bucket,
                stateRegion);
        if (mode.action() != null) {
            options.request(mode.action(), regions, typed.dryRun); // the request's own checks: regions, services, tags, ids
        } else if (mode == Mode.STATUS) {
            if (typed.dryRun) {
                throw new InvalidRequestException("--status takes no --dry-run: it changes nothing anyway");
            }
            if (typed.reportFile != null) {
                throw new InvalidRequestException("--status writes no --report: the report is of a pause, resume or discover");
            }
            if (typed.snapshotId != null) {
                OperationId.requireSnapshotId(typed.snapshotId);
            }
        }
        if ((mode == Mode.PAUSE || mode == Mode.RESUME) && !typed.dryRun && !typed.yes && !terminal.interactive()) {
            // refused before the first AWS call: no one can be asked, so nothing is looked at or changed
            throw new Launcher.NotConfirmedException("refusing to " + mode.action().id() + " without --yes: no one is at a terminal to "
                    + "confirm; nothing was changed (add --dry-run to see what it would do)");
        }
        return options;
    }

    /** The engine's request for this run's filters, with the given action, regions and dry run; checked. */
    Request request(Action action, List<String> workRegions, boolean dry) {
        return new Request(action, workRegions, services, tags, excludeTags, excludeIds, dry, snapshotId, "launcher").validated();
    }

    /** This run's own request (pause, resume or discover). */
    Request request() {
        return request(mode.action(), regions, dryRun);
    }

    private static Mode mode(LauncherArguments.ModeFlags flags) {
        if (flags == null) {
            return Mode.INTERACTIVE;
        }
        return flags.pause ? Mode.PAUSE : flags.resume ? Mode.RESUME : flags.discover ? Mode.DISCOVER : Mode.STATUS;
    }

    private static URI endpoint(String source, String raw) {
        if (raw == null) {
            return null;
        }
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

    private static Duration timeout(String seconds) {
        if (seconds == null) {
            return RemoteBrake.DEFAULT_TIMEOUT;
        }
        try {
            long s = Long.parseLong(seconds.trim());
            if (s >= 1 && s <= 86_400) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new InvalidRequestException("invalid --timeout " + Shown.quote(seconds) + ": expected whole seconds from 1 to 86400");
    }

    /** {@code K=V} pairs, in order; a key given twice must have one value. */
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
}
