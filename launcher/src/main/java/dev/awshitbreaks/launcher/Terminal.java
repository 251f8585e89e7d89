package dev.awshitbreaks.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The launcher's surroundings: standard streams, environment, and whether a person is at a terminal
 * (the {@code bin/aws-hit-breaks} wrapper tells, since Java 17 cannot see it when stdout is piped).
 */
public final class Terminal {
    private final BufferedReader in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean interactive;

    public Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean interactive) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.interactive = interactive;
    }

    public static Terminal system() {
        boolean tty = "1".equals(System.getenv("HITBREAKS_STDIN_IS_TTY"));
        return new Terminal(System.in, System.out, System.err, System.getenv(), tty);
    }

    /** Data: the report, the status listing, JSON. */
    public PrintStream out() {
        return out;
    }

    /** Diagnostics, progress and questions. */
    public PrintStream err() {
        return err;
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    public boolean interactive() {
        return interactive;
    }

    public boolean color() {
        return env("NO_COLOR") == null && interactive;
    }

    /** Asks a question on stderr; an empty answer is {@code dflt}; null when input has ended. */
    public String ask(String question, String dflt) {
        err.print(question + (dflt == null || dflt.isEmpty() ? "" : " [" + dflt + "]") + ": ");
        err.flush();
        try {
            String answer = in.readLine();
            if (answer == null) {
                err.println();
                return null;
            }
            return answer.isBlank() ? (dflt == null ? "" : dflt) : answer.trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code text} in an ANSI style (such as "1;31", bold red) when colour is on; plain with NO_COLOR or no terminal. */
    public String paint(String style, String text) {
        return color() ? "\u001b[" + style + "m" + text + "\u001b[0m" : text;
    }

    /** Asks a yes/no question on stderr; only an explicit yes is yes. */
    public boolean confirm(String question) {
        err.print(question + " [y/N]: ");
        err.flush();
        try {
            String answer = in.readLine();
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }
}
