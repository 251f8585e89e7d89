package dev.awshitbreaks.testing;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything a piece of code writes or logs, for tests that no secret gets out: {@code System.out} and
 * {@code System.err} (still passed through), and java.util.logging with the root logger, the JDK's HTTP client and
 * the AWS SDK at {@code ALL}, the most verbose any configuration could set; plus whatever the test {@link #add}s
 * (a command's streams, a thrown error's stack trace). {@link #close} puts it all back. Test scope only.
 */
public final class CapturedOutput implements AutoCloseable {
    private static final List<String> LOGGERS = List.of("", "sun.net.www.protocol.http.HttpURLConnection", "software.amazon.awssdk");
    /** java.util.logging holds loggers weakly: one set to ALL must be held, or its level goes with it. */
    private static final List<Logger> HELD = new ArrayList<>();

    private final StringBuilder text = new StringBuilder();
    private final PrintStream oldOut = System.out;
    private final PrintStream oldErr = System.err;
    private final List<Level> oldLevels = new ArrayList<>();
    private final Handler jul;

    private CapturedOutput() {
        System.setOut(new PrintStream(tee(oldOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(oldErr), true, StandardCharsets.UTF_8));
        SimpleFormatter format = new SimpleFormatter();
        jul = new Handler() {
            @Override
            public void publish(LogRecord r) {
                add(format.format(r));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.setLevel(Level.ALL);
        synchronized (HELD) {
            for (String name : LOGGERS) {
                Logger l = Logger.getLogger(name);
                HELD.add(l);
                oldLevels.add(l.getLevel());
                l.setLevel(Level.ALL);
            }
        }
        Logger.getLogger("").addHandler(jul);
    }

    public static CapturedOutput start() {
        return new CapturedOutput();
    }

    public synchronized void add(String s) {
        text.append(s).append('\n');
    }

    /** Drops what was captured so far (a test's own setup, with its own credentials). */
    public synchronized void forget() {
        text.setLength(0);
    }

    public synchronized String text() {
        return text.toString();
    }

    /**
     * Fails naming the first secret found, with what surrounds it; also for any {@code Signature=},
     * {@code X-Amz-Security-Token} or {@code Authorization:} text. Fails too when nothing was captured.
     */
    public void assertContainsNone(Collection<String> secrets) {
        String all = text();
        if (all.isBlank()) {
            throw new AssertionError("nothing was captured");
        }
        for (String s : secrets) {
            int at = all.indexOf(s);
            if (at >= 0) {
                throw new AssertionError("secret " + s + " appears: ..." + all.substring(Math.max(0, at - 200),
                        Math.min(all.length(), at + s.length() + 40)) + "...");
            }
        }
        String lower = all.toLowerCase(Locale.ROOT);
        for (String header : List.of("signature=", "x-amz-security-token", "authorization:")) {
            int at = lower.indexOf(header);
            if (at >= 0) {
                throw new AssertionError(header + " appears: ..." + all.substring(Math.max(0, at - 200),
                        Math.min(all.length(), at + 60)) + "...");
            }
        }
    }

    private OutputStream tee(PrintStream original) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (CapturedOutput.this) {
                    text.append((char) b);
                }
                original.write(b);
            }
        };
    }

    @Override
    public void close() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        Logger.getLogger("").removeHandler(jul);
        for (int i = 0; i < LOGGERS.size(); i++) {
            Logger.getLogger(LOGGERS.get(i)).setLevel(oldLevels.get(i));
        }
    }
}
