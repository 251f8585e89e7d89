package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.BrakeError;
import dev.awshitbreaks.core.BrakeException;
import dev.awshitbreaks.core.Shown;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The {@code aws-hit-breaks} command line: parses the options ({@link LauncherArguments}) into one checked value
 * ({@link LauncherOptions}), hands it to the mode asked for, and maps every failure to an exit code. One of
 * {@code --pause}, {@code --resume}, {@code --status}, {@code --discover}, or none at a terminal (interactive);
 * with {@code --local} the engine runs in this process against AWS or any endpoint.
 */
@Command(name = Launcher.NAME, mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "An emergency brake for AWS spending: pause every cost-generating resource, resume it exactly.")
public final class Launcher implements Callable<Integer> {
    static final String NAME = "aws-hit-breaks";
    static final String DEFAULT_TABLE = "aws-hit-breaks-snapshots";
    /** The lock lease of an in-process run, renewed every third of it while the run works. */
    static final Duration LOCK_LEASE = Duration.ofMinutes(5);

    /** For the help: each example fits in 78 columns. */
    static final List<String> EXAMPLES = List.of(
            "aws-hit-breaks                          # at a terminal: asks what to do",
            "aws-hit-breaks --discover --region eu-west-1",
            "aws-hit-breaks --pause --dry-run        # what a pause would change",
            "aws-hit-breaks --pause --region us-east-1 --service ec2 --service rds --yes",
            "aws-hit-breaks --pause --exclude-tag keep=true --report pause.csv --yes",
            "aws-hit-breaks --status --output json",
            "aws-hit-breaks --resume --yes           # the active snapshot",
            "aws-hit-breaks --resume --rebuild-from s3 --yes",
            "aws-hit-breaks --pause --local --endpoint-url http://127.0.0.1:5000 --yes",
            "aws-hit-breaks --install-alias          # then: aws hit breaks --status",
            "source <(aws-hit-breaks --completion)   # tab completion, bash or zsh");

    @Mixin
    LauncherArguments arguments = new LauncherArguments();

    @Spec
    CommandSpec spec;

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
        cli.setOut(new PrintWriter(terminal.out(), true));
        cli.setErr(new PrintWriter(terminal.err(), true));
        cli.getCommandSpec().usageMessage().footer(footer().toArray(String[]::new));
        cli.setParameterExceptionHandler((ParameterException ex, String[] args) -> {
            terminal.err().println("aws-hit-breaks: " + Shown.plain(ex.getMessage(), 400));
            if (ex instanceof UnmatchedArgumentException unmatched) {
                OptionSuggestions.didYouMean(unmatched.getUnmatched(), optionNames(ex.getCommandLine().getCommandSpec()))
                        .forEach(terminal.err()::println);
            }
            terminal.err().println("Run 'aws-hit-breaks --help' for the options.");
            return ExitCode.INVALID_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(terminal, ex));
        return cli;
    }

    /** The help's end: every exit code with its meaning, then examples. */
    static List<String> footer() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Exit codes:");
        for (Map.Entry<Integer, String> e : ExitCode.MEANINGS.entrySet()) {
            lines.addAll(wrap(String.format("  %2d  ", e.getKey()), e.getValue(), 78));
        }
        lines.add("");
        lines.add("Examples:");
        EXAMPLES.forEach(line -> lines.add("  " + line));
        return lines;
    }

    /** {@code text} in lines of at most {@code width} columns, the first after {@code lead}, the others indented as far. */
    static List<String> wrap(String lead, String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(lead);
        for (String word : text.split(" ")) {
            if (line.length() > lead.length() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line = new StringBuilder(" ".repeat(lead.length()));
            } else if (line.length() > lead.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /** The names a user may type (hidden options left out). */
    static List<String> optionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        spec.options().stream().filter(o -> !o.hidden()).forEach(o -> names.addAll(List.of(o.names())));
        return names;
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

    /** Picks the mode. Everything the user typed is checked (LauncherOptions.from) before the first AWS call. */
    @Override
    public Integer call() {
        if (arguments.completion) {
            terminal.out().print(AutoComplete.bash(NAME, spec.commandLine()));
            terminal.out().flush();
            return ExitCode.OK;
        }
        if (arguments.installAlias || arguments.uninstallAlias) {
            return new AliasMode(terminal).run(arguments.installAlias, arguments.uninstallAlias, arguments.mode != null);
        }
        AwsCliInvocation viaAwsCli = null;
        if (arguments.viaAwsCli) {
            viaAwsCli = AwsCliInvocation.recover(terminal);
            viaAwsCli.noteIgnored(terminal.err());
        }
        LauncherOptions options = LauncherOptions.from(arguments, viaAwsCli, terminal);
        return switch (options.mode()) {
            case INTERACTIVE -> new Interactive(options, terminal).run();
            case STATUS -> new StatusMode(options, terminal).run();
            case DISCOVER -> new DiscoverMode(options, terminal).run();
            case PAUSE, RESUME -> new PauseOrResumeMode(options, terminal).run();
        };
    }

    /** Declined, or no one to ask: nothing was changed. */
    static final class NotConfirmedException extends RuntimeException {
        NotConfirmedException(String message) {
            super(message);
        }
    }
}
