package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.core.InvalidRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS CLI alias {@code hit} in {@code ~/.aws/cli/alias}, section {@code [toplevel]}, that makes
 * {@code aws hit breaks ARGS} run the launcher with ARGS. It is an external alias (a shell function): the CLI
 * runs it with what is left of the command line after it has taken its own global options, so the function
 * passes the CLI's process id on ({@code $PPID}) and the launcher reads those options back from that
 * process's command line ({@link AwsCliInvocation}). Anything but {@code aws hit breaks} is refused. Other
 * aliases, comments and sections are kept as they are, byte for byte.
 */
final class AwsCliAlias {
    static final String NAME = "hit";
    static final String MARKER = "--via-aws-cli";

    private final Path file;

    AwsCliAlias(Path home) {
        this.file = home.resolve(".aws").resolve("cli").resolve("alias");
    }

    Path file() {
        return file;
    }

    /** The alias's value for a launcher at {@code launcher}. */
    static String value(Path launcher) {
        String p = launcher.toAbsolutePath().normalize().toString();
        if (p.contains("'") || p.contains("%") || p.contains("\n")) {
            throw new InvalidRequestException("cannot write an alias for the path " + Shown.quote(p) + ": it contains ' or % or a newline");
        }
        return "!f() { if [ \"$1\" = breaks ]; then shift; export HITBREAKS_AWS_CLI_PID=$PPID; exec " + Shown.quote(p) + " " + MARKER
                + " \"$@\"; else echo \"usage: aws hit breaks [options] (see: aws hit breaks --help)\" >&2; return 2; fi; }; f";
    }

    void install(Path launcher) {
        String line = NAME + " = " + value(launcher);
        List<String> lines = read();
        int[] existing = find(lines);
        if (existing != null) {
            String current = String.join("\n", lines.subList(existing[0], existing[1]));
            if (!current.contains(MARKER)) {
                throw new InvalidRequestException("the AWS CLI alias " + Shown.quote(NAME) + " in " + file + " is someone else's: "
                        + "remove or rename it, then run --install-alias again; nothing was changed");
            }
            lines.subList(existing[0], existing[1]).clear();
            lines.add(existing[0], line);
        } else {
            int section = toplevel(lines);
            if (section < 0) {
                if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
                    lines.add("");
                }
                lines.add("[toplevel]");
                lines.add(line);
            } else {
                lines.add(section + 1, line);
            }
        }
        write(lines);
    }

    /** @return whether an alias was removed (only ours is; someone else's 'hit' is left alone) */
    boolean uninstall() {
        List<String> lines = read();
        int[] existing = find(lines);
        if (existing == null) {
            return false;
        }
        if (!String.join("\n", lines.subList(existing[0], existing[1])).contains(MARKER)) {
            throw new InvalidRequestException("the AWS CLI alias " + Shown.quote(NAME) + " in " + file
                    + " was not installed by aws-hit-breaks; it was left alone");
        }
        lines.subList(existing[0], existing[1]).clear();
        write(lines);
        return true;
    }

    private List<String> read() {
        try {
            return Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "alias", ".tmp");
            try {
                Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static int toplevel(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("[toplevel]")) {
                return i;
            }
        }
        return -1;
    }

    /** The lines [from, to) of the 'hit' option in [toplevel], with its indented continuation lines; null if absent. */
    private static int[] find(List<String> lines) {
        int section = toplevel(lines);
        if (section < 0) {
            return null;
        }
        for (int i = section + 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.trim().startsWith("[")) {
                return null;
            }
            if (!l.isEmpty() && !Character.isWhitespace(l.charAt(0)) && l.matches(NAME + "\\s*[=:].*")) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).isEmpty() && Character.isWhitespace(lines.get(end).charAt(0))) {
                    end++;
                }
                return new int[] {i, end};
            }
        }
        return null;
    }
}
