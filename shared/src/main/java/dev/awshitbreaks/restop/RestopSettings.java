package dev.awshitbreaks.restop;

import java.time.Duration;
import java.util.Map;

/**
 * How long to wait for a database RDS is starting to become available (it can only be stopped then), and how
 * often to look. From the environment: {@code RESTOP_WAIT_SECONDS} (default {@value #DEFAULT_WAIT_SECONDS}, at
 * most {@value #MAX_WAIT_SECONDS} so the function ends within its 900 s timeout) and {@code RESTOP_POLL_MILLIS}
 * (default {@value #DEFAULT_POLL_MILLIS}).
 */
public record RestopSettings(Duration maxWait, Duration pollInterval) {
    public static final int DEFAULT_WAIT_SECONDS = 600;
    public static final int MAX_WAIT_SECONDS = 840;
    public static final int DEFAULT_POLL_MILLIS = 15_000;
    public static final int MAX_POLL_MILLIS = 60_000;

    public RestopSettings {
        if (maxWait == null || maxWait.isNegative() || pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the wait must be zero or more and the poll interval more than zero");
        }
    }

    public static RestopSettings defaults() {
        return new RestopSettings(Duration.ofSeconds(DEFAULT_WAIT_SECONDS), Duration.ofMillis(DEFAULT_POLL_MILLIS));
    }

    public static RestopSettings fromEnvironment(Map<String, String> env) {
        return new RestopSettings(
                Duration.ofSeconds(number(env, "RESTOP_WAIT_SECONDS", DEFAULT_WAIT_SECONDS, 0, MAX_WAIT_SECONDS, "seconds")),
                Duration.ofMillis(number(env, "RESTOP_POLL_MILLIS", DEFAULT_POLL_MILLIS, 1, MAX_POLL_MILLIS, "milliseconds")));
    }

    private static int number(Map<String, String> env, String name, int dflt, int min, int max, String unit) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("invalid " + name + " '" + v + "': expected whole " + unit + " from " + min + " to " + max);
    }
}
