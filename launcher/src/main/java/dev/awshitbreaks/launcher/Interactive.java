package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.engine.BurnRateText;
import dev.awshitbreaks.snapshot.StateStorage;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The brake pedal: what {@code aws-hit-breaks} does in a terminal when no mode is given. A banner; first-run
 * setup when nothing is configured (find the deployed stack, or say how to deploy it, or choose local mode),
 * saved to the config file; then resume (when a snapshot is active), pause or status. A pause scans first
 * with visible progress, shows what it found by service with the estimated cost, and asks; only y or yes
 * goes on. In local mode without a snapshot store, the scan creates and stores nothing, and the table and
 * bucket are offered only after the pause is confirmed. Questions and progress go to stderr, results to stdout.
 */
final class Interactive {
    private final LauncherOptions options;
    private final Terminal terminal;
    private final PrintStream err;

    Interactive(LauncherOptions options, Terminal terminal) {
        this.options = options;
        this.terminal = terminal;
        this.err = terminal.err();
    }

    int run() {
        banner();
        ConfigFile file = ConfigFile.of(terminal);
        LauncherConfig config = file.load().orElse(null);
        if (config == null && !options.local() && options.stackName() == null) {
            config = firstRun(file);
            if (config == null) {
                return ExitCode.OK;
            }
        }
        try (Session session = Session.open(options, terminal, config)) {
            err.println("The brake runs " + session.where() + ".");
            // First use in local mode: the snapshot store may not exist yet. The scan is a look that creates and
            // writes nothing; the store is offered only once a real pause is confirmed.
            String missing = session.local() ? SnapshotStoreSetup.missing(session.clients()) : null;
            if (missing != null) {
                return pause(session, missing);
            }
            Optional<String> active = activeSnapshot(session);
            if (active.isPresent()) {
                err.println();
                err.println("Snapshot " + active.get() + " is active: resources it paused are still paused.");
                String choice = terminal.ask("[r]esume it, [p]ause more, [s]tatus, or [q]uit?", "q");
                if (choice == null) {
                    return notConfirmed();
                }
                switch (choice.toLowerCase(java.util.Locale.ROOT)) {
                    case "r", "resume" -> {
                        return resume(session);
                    }
                    case "p", "pause" -> {
                        return pause(session, null);
                    }
                    case "s", "status" -> {
                        return new StatusMode(options, terminal).show(session, new Output(terminal, false));
                    }
                    default -> {
                        err.println("Nothing was changed.");
                        return ExitCode.OK;
                    }
                }
            }
            return pause(session, null);
        }
    }

    private void banner() {
        String title = "AWS Hit Breaks - Emergency Cost Control";
        err.println();
        err.println(terminal.paint("1;31", title));
        err.println("=".repeat(title.length()));
        err.println();
    }

    private LauncherConfig firstRun(ConfigFile file) {
        err.println("No brake is set up on this computer yet (" + file.path() + " does not exist). How should it run?");
        err.println("  1. On the aws-hit-breaks stack deployed in your AWS account (found by its CloudFormation name)");
        err.println("  2. It is not deployed yet: show how to deploy it");
        err.println("  3. On this computer (local mode), against AWS or an endpoint such as moto or LocalStack");
        String choice = terminal.ask("Choice", "1");
        if (choice == null) {
            return null;
        }
        Instant now = Instant.now();
        switch (choice) {
            case "1" -> {
                String name = terminal.ask("Stack name", StackLookup.DEFAULT_STACK);
                String region = name == null ? null : terminal.ask("Its region", defaultRegion());
                if (region == null) {
                    return null;
                }
                if (!Request.isKnownRegion(region)) {
                    throw new InvalidRequestException("unknown region " + Shown.quote(region));
                }
                if (!name.matches("[A-Za-z][A-Za-z0-9-]{0,127}")) {
                    throw new InvalidRequestException("invalid stack name " + Shown.quote(name));
                }
                err.println("Looking for stack " + name + " in " + region + " ...");
                StackInfo stack = StackLookup.find(name, region, options.endpoint(), Session.credentials(options, terminal));
                LauncherConfig config = LauncherConfig.remote(stack, now);
                file.save(config);
                err.println("Found it: state machine " + stack.stateMachineArn() + ". Saved to " + file.path() + ".");
                return config;
            }
            case "2" -> {
                err.println();
                err.println("Deploy the stack from the aws-hit-breaks repository (needs the AWS SAM CLI and Java 17+):");
                err.println("    sam build");
                err.println("    sam deploy --guided        # stack name: " + StackLookup.DEFAULT_STACK);
                err.println("Then run aws-hit-breaks again and choose 1. Until then, local mode (3) works without a stack.");
                return null;
            }
            case "3" -> {
                String endpoint = terminal.ask("Endpoint URL (empty for AWS itself)", "");
                if (endpoint == null) {
                    return null;
                }
                if (!endpoint.isEmpty()) {
                    URI uri = URI.create(endpoint);
                    if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                        throw new InvalidRequestException("invalid endpoint URL " + Shown.quote(endpoint) + ": expected http(s)://host[:port]");
                    }
                }
                String region = terminal.ask("Region for the snapshot table and bucket", defaultRegion());
                if (region == null) {
                    return null;
                }
                if (!Request.isKnownRegion(region)) {
                    throw new InvalidRequestException("unknown region " + Shown.quote(region));
                }
                LauncherConfig config = LauncherConfig.local(region, endpoint.isEmpty() ? null : endpoint, now);
                file.save(config);
                err.println("Saved to " + file.path() + ".");
                return config;
            }
            default -> throw new InvalidRequestException("unknown choice " + Shown.quote(choice) + ": expected 1, 2 or 3");
        }
    }

    private String defaultRegion() {
        String r = options.stateRegion();
        return r != null ? r : "us-east-1";
    }

    private Optional<String> activeSnapshot(Session session) {
        var s = session.clients().settings();
        if (!new StateStorage(session.clients().dynamoDb(), session.clients().s3(), s.stateRegion()).tableExists(s.tableName())) {
            return Optional.empty();
        }
        return session.store().activeSnapshotId();
    }

    private List<String> regions() {
        List<String> given = options.regions();
        if (!given.isEmpty()) {
            return given;
        }
        String cli = CliRegion.of(terminal, options.profile());
        for (int attempt = 0; attempt < 3; attempt++) {
            String answer = terminal.ask("Regions to scan (comma-separated, or all)", cli != null ? cli : Request.ALL_REGIONS);
            if (answer == null) {
                return null;
            }
            List<String> list = Arrays.stream(answer.split("[,\\s]+")).filter(x -> !x.isBlank()).toList();
            try {
                Request.of(Action.DISCOVER).withRegions(list).validated();
                return list;
            } catch (InvalidRequestException e) {
                err.println(e.getMessage());
            }
        }
        throw new InvalidRequestException("no valid region given");
    }

    /**
     * Scans, shows, asks, pauses. {@code missingStore} names what of the local snapshot store does not exist (or is
     * null): then the scan stores nothing, and the store is created only after the pause is confirmed (and its
     * creation agreed to); declining either changes nothing in the account.
     */
    private int pause(Session session, String missingStore) {
        List<String> regions = regions();
        if (regions == null) {
            return notConfirmed();
        }
        err.println();
        err.println("Scanning " + String.join(", ", regions) + " ...");
        OperationReport scan;
        if (missingStore != null) {
            err.println("Nothing is created or written by the scan: no report was stored: the snapshot " + missingStore + ".");
            scan = session.lookWithoutStoring(options.request(Action.PAUSE, regions, true));
        } else {
            scan = session.run(options.request(Action.PAUSE, regions, true), true);
        }
        List<ResourceResult> found = scan.resources().stream().filter(r -> r.outcome() == Outcome.WOULD_PAUSE).toList();
        List<ResourceResult> left = scan.resources().stream().filter(r -> r.outcome() != Outcome.WOULD_PAUSE).toList();
        err.println();
        if (found.isEmpty()) {
            err.println("Found nothing running that a pause would stop" + (left.isEmpty() ? "." : "; left alone:"));
            left.forEach(r -> err.println("  " + r.service().id() + " " + r.region() + " " + r.id() + ": " + r.outcome().id()
                    + (r.reason() == null ? "" : " (" + r.reason() + ")")));
            Output.burnRate(err, scan.burnRate());
            return scan.hasFailures() ? ExitCode.FAILURES : ExitCode.OK;
        }
        new Output(terminal, false).preview(scan);
        err.println();
        err.println(terminal.paint("1", "Found running resources (" + found.size() + "):"));
        Costs.byService(found).forEach(line -> err.println("  * " + line));
        if (!left.isEmpty()) {
            err.println("  (" + left.size() + " more listed above are left alone: skipped, failed or still billing, with the"
                    + " reason or what you could do)");
        }
        err.println();
        err.println("Estimated cost:             " + Costs.total(found));
        err.println("Potential savings if paused: " + Costs.total(found));
        if (scan.burnRate() != null) {
            err.println("Still billing after it:      " + BurnRateText.perHourAndMonth(scan.burnRate().stillBills().total())
                    + "; unknown: " + scan.burnRate().stillBills().unknown() + " not priced");
        }
        err.println();
        err.println(terminal.paint("1;33", "This will PAUSE the " + found.size() + " resource" + (found.size() == 1 ? "" : "s")
                + " above.") + " They can be resumed later with 'aws hit breaks --resume'.");
        if (!terminal.confirm("Continue?")) {
            return notConfirmed();
        }
        if (missingStore != null && !SnapshotStoreSetup.ensure(session.clients(), session.endpoint(), options.yes(), terminal)) {
            // the snapshot (original states) must be written before anything is changed: no store, no pause
            return notConfirmed();
        }
        err.println("Pausing ...");
        OperationReport report = session.run(options.request(Action.PAUSE, regions, false), true);
        new Output(terminal, false).report(report);
        List<ResourceResult> paused = report.resources().stream().filter(r -> r.outcome() == Outcome.PAUSED).toList();
        PrintStream out = terminal.out();
        out.println();
        out.println("Paused " + paused.size() + " resource" + (paused.size() == 1 ? "" : "s") + ".");
        Costs.byService(paused).forEach(line -> out.println("  * " + line));
        out.println("Estimated savings: " + Costs.total(paused));
        if (report.snapshotId() != null) {
            out.println("Snapshot: " + report.snapshotId() + "   Resume with: aws hit breaks --resume");
        }
        return report.hasFailures() ? ExitCode.FAILURES : ExitCode.OK;
    }

    private int resume(Session session) {
        err.println("Checking what a resume would restore ...");
        OperationReport scan = session.run(options.request(Action.RESUME, List.of(), true), true);
        List<ResourceResult> back = scan.resources().stream().filter(r -> r.outcome() == Outcome.WOULD_RESUME).toList();
        new Output(terminal, false).preview(scan);
        err.println();
        if (back.isEmpty()) {
            err.println("Nothing to resume.");
            return ExitCode.OK;
        }
        Costs.byService(back).forEach(line -> err.println("  * " + line));
        err.println("Estimated cost once running again: " + Costs.total(back));
        err.println(terminal.paint("1;33", "This will RESUME the " + back.size() + " resource" + (back.size() == 1 ? "" : "s") + " above."));
        if (!terminal.confirm("Continue?")) {
            return notConfirmed();
        }
        err.println("Resuming ...");
        OperationReport report = session.run(options.request(Action.RESUME, List.of(), false), true);
        new Output(terminal, false).report(report);
        return report.hasFailures() ? ExitCode.FAILURES : ExitCode.OK;
    }

    private int notConfirmed() {
        err.println("Not confirmed; nothing was changed.");
        return ExitCode.NOT_CONFIRMED;
    }
}
