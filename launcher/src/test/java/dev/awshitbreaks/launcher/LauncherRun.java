package dev.awshitbreaks.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One in-process run of the launcher, its streams captured (no one at a terminal). */
record LauncherRun(int exit, String out, String err, long millis) {
    JsonNode json() throws Exception {
        return Json.mapper().readTree(out);
    }

    /** {@code --local --endpoint-url endpoint --state-region us-east-1} and the given arguments. */
    static LauncherRun local(URI endpoint, Map<String, String> extraEnv, String... args) {
        List<String> all = new ArrayList<>(List.of("--local", "--endpoint-url", endpoint.toString(), "--state-region", "us-east-1"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
        env.putAll(extraEnv);
        Terminal t = new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        long start = System.nanoTime();
        int code = Launcher.run(t, all.toArray(String[]::new));
        return new LauncherRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                (System.nanoTime() - start) / 1_000_000);
    }

    static LauncherRun local(URI endpoint, String... args) {
        return local(endpoint, Map.of(), args);
    }
}
