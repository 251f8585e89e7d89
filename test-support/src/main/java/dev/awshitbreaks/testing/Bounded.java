package dev.awshitbreaks.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a piece of code with a deadline, for fuzz tests: a parser that hangs (a runaway regular expression, an
 * endless loop) fails the input with {@link AssertionError} instead of stalling the build. One reused daemon thread,
 * so it stays cheap when a fuzzer runs it millions of times. Exceptions the code throws are rethrown unchanged.
 * Test scope only.
 */
public final class Bounded {
    private static ExecutorService worker = newWorker();

    private Bounded() {
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bounded");
            t.setDaemon(true);
            return t;
        });
    }

    public static synchronized <T> T call(Duration limit, Callable<T> code) throws Exception {
        Future<T> f = worker.submit(code);
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker(); // the stuck thread is abandoned, not reused
            throw new AssertionError("did not end within " + limit.toMillis() + " ms: it hangs on this input");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    public static synchronized void run(Duration limit, ThrowingRunnable code) throws Exception {
        call(limit, () -> {
            code.run();
            return null;
        });
    }

    /** A block of code that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
