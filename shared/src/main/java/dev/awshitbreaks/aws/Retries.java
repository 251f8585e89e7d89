package dev.awshitbreaks.aws;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The retry loop of the hand-signed clients ({@link JsonApi}, {@link QueryApi}, {@link RestJsonApi}, the still-billing
 * EC2 listings), as the SDK clients retry ({@link RetrySettings}): at most {@code maxAttempts} attempts within the call
 * timeout, full-jitter backoff (a random delay up to base x 2^(attempt-1), at most the longest backoff; the throttling
 * base after a throttle). Each client says what its answers mean ({@link Attempt}); an I/O error is retried.
 */
public final class Retries {
    private Retries() {
    }

    /** What one attempt ended with: a value, or a failure that is retried (a throttle, a server error) or thrown at once. */
    public record Attempt<T>(T value, JsonApi.Failure failure, boolean retryable, boolean throttled) {
        public static <T> Attempt<T> done(T value) {
            return new Attempt<>(value, null, false, false);
        }

        /** A failure answered with this HTTP status: retried when throttled or a server error (5xx). */
        public static <T> Attempt<T> failed(JsonApi.Failure failure, int status, boolean throttled) {
            return new Attempt<>(null, failure, throttled || status >= 500, throttled);
        }
    }

    /** One attempt of a call. */
    @FunctionalInterface
    public interface Call<T> {
        Attempt<T> attempt() throws IOException;
    }

    /**
     * Runs {@code call} until it ends with a value, a failure that is not retried, or the attempts or the call timeout
     * run out (the last failure is thrown). {@code ioFailure} turns an I/O error into the client's failure type;
     * {@code what} names the service in the message of an interrupted wait.
     */
    public static <T> T run(RetrySettings retry, String what, Call<T> call,
            Function<IOException, ? extends JsonApi.Failure> ioFailure) {
        long deadline = System.nanoTime() + retry.apiCallTimeout().toNanos();
        JsonApi.Failure last = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            boolean throttled;
            try {
                Attempt<T> a = call.attempt();
                if (a.failure() == null) {
                    return a.value();
                }
                last = a.failure();
                if (!a.retryable()) {
                    throw last;
                }
                throttled = a.throttled();
            } catch (IOException e) {
                last = ioFailure.apply(e);
                throttled = false;
            }
            if (attempt == retry.maxAttempts() || System.nanoTime() > deadline) {
                break;
            }
            sleep(backoff(retry, attempt, throttled), what);
        }
        throw last;
    }

    /** An I/O error as a failure with no HTTP status, named by its class. */
    public static JsonApi.Failure ioFailure(IOException e) {
        return new JsonApi.Failure(0, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
    }

    static long backoff(RetrySettings retry, int attempt, boolean throttled) {
        long base = (throttled ? retry.throttlingBaseDelay() : retry.baseDelay()).toMillis();
        long cap = Math.min(retry.maxBackoff().toMillis(), base << Math.min(attempt - 1, 20));
        return ThreadLocalRandom.current().nextLong(cap + 1);
    }

    private static void sleep(long millis, String what) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a " + what + " call", e);
        }
    }
}
