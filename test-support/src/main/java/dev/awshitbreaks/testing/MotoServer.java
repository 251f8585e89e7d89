package dev.awshitbreaks.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * moto server on loopback, started once per test JVM from the project's pinned install and stopped at
 * exit, with the labelled stubs of {@code scripts/moto_server_with_stubs.py} (ElastiCache Serverless, which moto lacks). Tests {@link #reset()} it between cases. If moto is not installed the test fails, saying how to
 * install it; it is never skipped.
 */
public final class MotoServer {
    private static MotoServer shared;

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /** The JVM's moto server, started on first use. */
    public static synchronized MotoServer get() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
            MotoServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        }
        return shared;
    }

    /** A new, separate moto server (the caller stops it). */
    public static MotoServer start() {
        return start(java.util.Map.of());
    }

    /**
     * A new, separate moto server with these environment variables (moto reads its settings from them at start,
     * such as {@code INITIAL_NO_AUTH_ACTION_COUNT}, which turns on IAM authorisation); the caller stops it.
     */
    public static MotoServer start(java.util.Map<String, String> env) {
        Path bin = ProjectTools.tool("moto_server");
        try {
            Path log = Files.createTempFile("moto-", ".log");
            // port 0: moto binds a port the system picks and logs it, so servers started at the same time by
            // concurrent test JVMs cannot race for one port (and a test never talks to another JVM's server)
            // moto's own server, with the labelled stubs of what it lacks and every pause calls (ElastiCache Serverless):
            // scripts/moto_server_with_stubs.py, run by moto's Python
            Path python = bin.getParent().getParent().resolve("moto/bin/python");
            Path stubs = ProjectTools.root().resolve("scripts/moto_server_with_stubs.py");
            ProcessBuilder pb = new ProcessBuilder(List.of(python.toString(), stubs.toString(), "-H", "127.0.0.1", "-p", "0"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("MOTO_ALLOW_NONEXISTENT_REGION", "false");
            pb.environment().putAll(env);
            Process p = pb.start();
            Duration timeout = Duration.ofSeconds(60);
            long deadline = System.nanoTime() + timeout.toNanos();
            URI endpoint = URI.create("http://127.0.0.1:" + awaitPort(p, log, deadline, timeout));
            MotoServer server = new MotoServer(p, endpoint, log);
            server.awaitReady(deadline, timeout);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start moto server from " + bin + ": " + e.getMessage(), e);
        }
    }

    private static final java.util.regex.Pattern LISTENING = java.util.regex.Pattern.compile("Running on http://127\\.0\\.0\\.1:(\\d+)");

    /** The port moto logs that it listens on ("Running on http://127.0.0.1:PORT"). */
    private static int awaitPort(Process process, Path log, long deadline, Duration timeout) throws IOException {
        while (System.nanoTime() < deadline) {
            java.util.regex.Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("moto server exited at start (code " + process.exitValue() + "): "
                        + Files.readString(log));
            }
            pause();
        }
        process.destroyForcibly();
        throw new IllegalStateException("moto server did not say its port within " + timeout.toSeconds() + "s; its log: "
                + Files.readString(log));
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(long deadline, Duration timeout) throws IOException {
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto server exited at start (code " + process.exitValue() + "): "
                        + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/data.json").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            pause();
        }
        process.destroyForcibly();
        throw new IllegalStateException("moto server did not answer within " + timeout.toSeconds() + "s; its log: " + Files.readString(log));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Clears every resource moto holds. */
    public void reset() {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/reset").toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.getOutputStream().close();
            if (c.getResponseCode() != 200) {
                throw new IllegalStateException("moto reset answered HTTP " + c.getResponseCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto reset failed: " + e.getMessage(), e);
        }
    }

    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
