package dev.awshitbreaks.aws;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How every SDK client retries and times out. Retries use exponential backoff with <em>full jitter</em>
 * (a delay drawn uniformly from zero to {@code min(maxBackoff, base * 2^attempt)}); throttling errors (the SDK's
 * own classification: {@code Throttling}, {@code ThrottlingException}, {@code RequestLimitExceeded},
 * {@code SlowDown}, HTTP 429...) back off from a longer base. Server errors (5xx), dropped connections and
 * timeouts are retried too. The SDK's retry circuit breaker (a client-wide token bucket that stops retrying
 * after many failures) is off by default: a brake must finish on the worst day, and {@code maxAttempts}
 * already bounds what one call can cost. Figures behind the defaults: {@code docs/reliability.md}.
 *
 * @param maxAttempts        attempts per call, the first included
 * @param baseDelay          backoff base for non-throttling retries
 * @param throttlingBaseDelay backoff base after a throttling error
 * @param maxBackoff         the largest single backoff
 * @param circuitBreaker     whether the SDK's retry token bucket may stop retries
 * @param connectTimeout     TCP connect timeout
 * @param readTimeout        socket read timeout
 * @param attemptTimeout     one attempt, at most
 * @param apiCallTimeout     one call with all its retries, at most: an unreachable endpoint fails within this
 */
public record RetrySettings(int maxAttempts, Duration baseDelay, Duration throttlingBaseDelay, Duration maxBackoff,
        boolean circuitBreaker, Duration connectTimeout, Duration readTimeout, Duration attemptTimeout,
        Duration apiCallTimeout) {

    /** Environment variable: attempts per call (1-30). */
    public static final String MAX_ATTEMPTS_ENV = "HITBREAKS_RETRY_MAX_ATTEMPTS";
    /** Environment variable: the longest single backoff in milliseconds (10-60000). */
    public static final String MAX_BACKOFF_ENV = "HITBREAKS_RETRY_MAX_BACKOFF_MS";
    /** Environment variable: one call with all its retries, at most, in seconds (1-900). */
    public static final String API_CALL_TIMEOUT_ENV = "HITBREAKS_API_CALL_TIMEOUT_SECONDS";
    /**
     * Environment variable: one attempt, at most, in seconds (1-900); also the socket read timeout. For an endpoint
     * slower than AWS (an emulator holding thousands of instances): an attempt cut short is retried from scratch.
     */
    public static final String API_ATTEMPT_TIMEOUT_ENV = "HITBREAKS_API_ATTEMPT_TIMEOUT_SECONDS";

    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(throttlingBaseDelay, "throttlingBaseDelay");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(apiCallTimeout, "apiCallTimeout");
    }

    /**
     * 12 attempts, backoff from 100 ms (throttles: 500 ms) up to 10 s with full jitter, no circuit breaker; connect
     * 3 s, read 30 s, attempt 20 s, call 45 s (so an unreachable endpoint fails within a minute).
     */
    public static RetrySettings defaults() {
        return new RetrySettings(12, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(10), false,
                Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(45));
    }

    public RetrySettings withMaxAttempts(int attempts) {
        return new RetrySettings(attempts, baseDelay, throttlingBaseDelay, maxBackoff, circuitBreaker, connectTimeout,
                readTimeout, attemptTimeout, apiCallTimeout);
    }

    public RetrySettings withMaxBackoff(Duration max) {
        return new RetrySettings(maxAttempts, baseDelay, throttlingBaseDelay, max, circuitBreaker, connectTimeout,
                readTimeout, attemptTimeout, apiCallTimeout);
    }

    public RetrySettings withApiCallTimeout(Duration timeout) {
        return new RetrySettings(maxAttempts, baseDelay, throttlingBaseDelay, maxBackoff, circuitBreaker, connectTimeout,
                readTimeout, attemptTimeout, timeout);
    }

    /** One attempt at most {@code timeout}, and the socket read timeout the same. */
    public RetrySettings withAttemptTimeout(Duration timeout) {
        return new RetrySettings(maxAttempts, baseDelay, throttlingBaseDelay, maxBackoff, circuitBreaker, connectTimeout,
                timeout, timeout, apiCallTimeout);
    }

    /**
     * The defaults, changed by {@value #MAX_ATTEMPTS_ENV}, {@value #MAX_BACKOFF_ENV}, {@value #API_CALL_TIMEOUT_ENV},
     * {@value #API_ATTEMPT_TIMEOUT_ENV}. An attempt longer than the whole call is refused, naming both.
     */
    public static RetrySettings fromEnvironment(Map<String, String> env) {
        RetrySettings s = defaults();
        String attempts = env.get(MAX_ATTEMPTS_ENV);
        if (attempts != null && !attempts.isBlank()) {
            s = s.withMaxAttempts(whole(MAX_ATTEMPTS_ENV, attempts, 1, 30));
        }
        String backoff = env.get(MAX_BACKOFF_ENV);
        if (backoff != null && !backoff.isBlank()) {
            s = s.withMaxBackoff(Duration.ofMillis(whole(MAX_BACKOFF_ENV, backoff, 10, 60_000)));
        }
        String call = env.get(API_CALL_TIMEOUT_ENV);
        if (call != null && !call.isBlank()) {
            s = s.withApiCallTimeout(Duration.ofSeconds(whole(API_CALL_TIMEOUT_ENV, call, 1, 900)));
        }
        String attempt = env.get(API_ATTEMPT_TIMEOUT_ENV);
        if (attempt != null && !attempt.isBlank()) {
            s = s.withAttemptTimeout(Duration.ofSeconds(whole(API_ATTEMPT_TIMEOUT_ENV, attempt, 1, 900)));
            if (s.attemptTimeout().compareTo(s.apiCallTimeout()) > 0) {
                throw new dev.awshitbreaks.core.InvalidRequestException("invalid " + API_ATTEMPT_TIMEOUT_ENV + " '"
                        + attempt.trim() + "': one attempt would outlast the whole call (" + API_CALL_TIMEOUT_ENV + ", "
                        + s.apiCallTimeout().toSeconds() + " s); raise " + API_CALL_TIMEOUT_ENV + " too");
            }
        }
        return s;
    }

    private static int whole(String name, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new dev.awshitbreaks.core.InvalidRequestException("invalid " + name + " '" + value + "': expected a whole number from "
                + min + " to " + max);
    }
}
