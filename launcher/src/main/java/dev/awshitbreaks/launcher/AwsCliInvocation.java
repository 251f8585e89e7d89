package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Shown;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The AWS CLI's own global options, recovered for {@code aws hit breaks}. The CLI takes its global options
 * ({@code --region}, {@code --profile}, {@code --output}, {@code --endpoint-url}, ...) wherever they appear
 * before it runs an external alias, and passes only the rest (awscli {@code alias.py},
 * {@code ExternalAliasCommand}); it sets no environment variable for them. The alias passes the CLI's
 * process id, and this class reads that process's command line, so {@code aws hit breaks --pause --region
 * eu-west-1} pauses eu-west-1 and never silently the default region. When the command line cannot be read,
 * the run is refused with how to pass the options so that they arrive.
 */
record AwsCliInvocation(List<String> regions, String profile, String endpointUrl, String output, List<String> ignored) {
    /** Global options that take a value; the launcher uses the first four. */
    static final Set<String> WITH_VALUE = Set.of("--region", "--profile", "--endpoint-url", "--output", "--query",
            "--ca-bundle", "--cli-read-timeout", "--cli-connect-timeout", "--color", "--cli-binary-format");
    static final Set<String> FLAGS = Set.of("--debug", "--no-verify-ssl", "--no-paginate", "--no-sign-request",
            "--no-cli-pager", "--cli-auto-prompt", "--no-cli-auto-prompt");
    /** Options that would change what is called or how it is trusted, which the launcher cannot honour. */
    static final Set<String> REFUSED = Set.of("--no-verify-ssl", "--ca-bundle", "--no-sign-request", "--query");

    static final String HOW = "Pass them so that they reach aws-hit-breaks: the regions to work in as --regions R1,R2,"
            + " the profile and region as AWS_PROFILE=NAME AWS_REGION=R in front of 'aws', or run bin/aws-hit-breaks directly.";

    /** Reads the options from the AWS CLI process named by {@code $HITBREAKS_AWS_CLI_PID}; refuses when it cannot. */
    static AwsCliInvocation recover(Terminal terminal) {
        String pid = terminal.env("HITBREAKS_AWS_CLI_PID");
        Optional<List<String>> args = Optional.empty();
        if (pid != null && pid.matches("\\d{1,10}")) {
            args = ProcessHandle.of(Long.parseLong(pid)).flatMap(p -> p.info().arguments()).map(List::of);
        }
        if (args.isEmpty() || !args.get().contains(AwsCliAlias.NAME) || !args.get().contains("breaks")) {
            throw new InvalidRequestException("run as 'aws hit breaks', but the AWS CLI's command line could not be read,"
                    + " so its own options (--region, --profile, --output, --endpoint-url) may have been dropped. " + HOW);
        }
        return parse(args.get());
    }

    /** The global options in an AWS CLI command line (its arguments after the program). */
    static AwsCliInvocation parse(List<String> args) {
        List<String> regions = new ArrayList<>();
        String profile = null;
        String endpoint = null;
        String output = null;
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (REFUSED.contains(name)) {
                throw new InvalidRequestException("the AWS CLI option " + Shown.plain(name) + " is not supported through 'aws hit breaks';"
                        + " run bin/aws-hit-breaks directly (see --help)");
            }
            if (WITH_VALUE.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new InvalidRequestException("the AWS CLI option " + name + " has no value");
                    }
                    value = args.get(++i);
                }
                switch (name) {
                    case "--region" -> regions.add(value);
                    case "--profile" -> profile = value;
                    case "--endpoint-url" -> endpoint = value;
                    case "--output" -> output = value.equals("text") ? "table" : value;
                    default -> ignored.add(name);
                }
            } else if (FLAGS.contains(name)) {
                ignored.add(name);
            }
        }
        return new AwsCliInvocation(List.copyOf(regions), profile, endpoint, output, List.copyOf(ignored));
    }

    /**
     * Says which of the AWS CLI's options do not apply. The others are taken as if given to aws-hit-breaks directly
     * ({@link LauncherOptions#from}): regions added, the profile and endpoint when not given, the output format.
     */
    void noteIgnored(java.io.PrintStream err) {
        if (!ignored.isEmpty()) {
            err.println("aws-hit-breaks: ignoring the AWS CLI option(s) " + String.join(" ", ignored)
                    + " (they do not apply to aws-hit-breaks)");
        }
    }
}
