package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.InvalidRequestException;
import java.nio.file.Path;

/** {@code --install-alias} and {@code --uninstall-alias}: the {@code aws hit breaks} alias in the AWS CLI's alias file. */
final class AliasMode {
    private final Terminal terminal;

    AliasMode(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The alias options take no mode; the others given with them are not looked at. */
    int run(boolean install, boolean uninstall, boolean modeGiven) {
        if (install && uninstall) {
            throw new InvalidRequestException("--install-alias and --uninstall-alias contradict: give one");
        }
        if (modeGiven) {
            throw new InvalidRequestException("--install-alias and --uninstall-alias take no mode; run them on their own");
        }
        AwsCliAlias alias = new AwsCliAlias(ConfigFile.home(terminal));
        if (uninstall) {
            boolean removed = alias.uninstall();
            terminal.err().println(removed ? "Removed the 'aws hit' alias from " + alias.file() + "."
                    : "No 'aws hit' alias in " + alias.file() + "; nothing changed.");
            return ExitCode.OK;
        }
        String launcher = terminal.env("HITBREAKS_LAUNCHER");
        if (launcher == null) {
            throw new InvalidRequestException("--install-alias must be run through bin/aws-hit-breaks (it names itself in the alias)");
        }
        alias.install(Path.of(launcher));
        terminal.err().println("Added the alias to " + alias.file() + ": 'aws hit breaks' now runs " + launcher
                + ". Try: aws hit breaks --status");
        return ExitCode.OK;
    }
}
