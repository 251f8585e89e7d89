package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.BrakeError;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Target;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How an operation is orchestrated, defined once: its two phases, how many targets run at once, the bounded wait
 * for databases between a resume's phases, and the error names its tasks retry, catch and fail with. The state
 * machine ({@code statemachine/brake.asl.json}) and the in-process runner ({@link BrakeEngine#run}) both follow it;
 * {@code OrchestrationPolicyAslTest} reads the definition and fails when a number or a name there differs from this.
 */
public final class OrchestrationPolicy {
    private OrchestrationPolicy() {
    }

    /**
     * Targets run at once in each phase: each Map state's {@code MaxConcurrency}, and the in-process pool's size
     * ({@link EngineSettings#defaults()}). Ten, because a new account's whole Lambda concurrency is 10, and because
     * the in-process run should put the same load on the account's APIs, the table and the bucket as the stack.
     */
    public static final int TARGET_CONCURRENCY = 10;

    /**
     * A real resume's wait for the databases it started, between its phases: at most {@link DatabaseWait#checks()}
     * checks, {@link DatabaseWait#interval()} apart (the state machine's {@code WaitForDatabases} seconds and its
     * {@code DatabasesReady} check count), about 20 minutes in all; compute is then resumed in any case.
     */
    public static final DatabaseWait DATABASE_WAIT = new DatabaseWait(40, Duration.ofSeconds(30));

    /** The errors every Lambda task retries with backoff: Lambda's own transient failures (Lambda's invoke errors). */
    public static final List<String> TRANSIENT_LAMBDA_ERRORS = List.of("Lambda.ServiceException",
            "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException");

    /** A target task that timed out is retried once (a target is idempotent). */
    public static final String TASK_TIMEOUT = "States.Timeout";

    /** Every error: a target's and a database check's are caught, so one never stops the others or the summary. */
    public static final String ANY_ERROR = "States.ALL";

    /** The named errors the plan step is refused with: caught by their exception's name, raised as HitBreaks.*. */
    public static List<BrakeError> planErrors() {
        return Arrays.asList(BrakeError.values());
    }

    /** The two phases of an operation, in the order they run; the second starts once the first has ended. */
    public enum Phase {
        /** Compute on pause (and discover), databases on resume: the state machine's {@code RunFirstTargets}. */
        FIRST,
        /** Databases on pause (paused last), compute on resume (after the databases): {@code RunSecondTargets}. */
        SECOND;

        /** The phase a target of {@code action} runs in. */
        public static Phase of(Action action, ServiceKind service) {
            return service.database() == (action == Action.RESUME) ? FIRST : SECOND;
        }

        /** The phase a target of {@code action} runs in. */
        public static Phase of(Action action, Target target) {
            return of(action, target.service());
        }
    }

    /**
     * Whether compute waits for the databases between the phases: only on a real resume (the state machine's
     * {@code AfterFirstPhase} choice). A dry run starts nothing to wait for.
     */
    public static boolean waitsForDatabases(Action action, boolean dryRun) {
        return action == Action.RESUME && !dryRun;
    }

    /** A bounded wait: at most {@code checks} checks, {@code interval} apart. */
    public record DatabaseWait(int checks, Duration interval) {
        public DatabaseWait {
            if (checks < 1 || interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("a database wait needs at least one check and an interval");
            }
        }

        /** The wait that checks every {@code interval} for about {@code total}: total / interval checks, at least one. */
        public static DatabaseWait within(Duration total, Duration interval) {
            long checks = interval.isZero() ? 1 : Math.max(1, (total.toNanos() + interval.toNanos() - 1) / interval.toNanos());
            return new DatabaseWait((int) Math.min(Integer.MAX_VALUE, checks), interval);
        }

        /** The whole budget, checks x interval. */
        public Duration total() {
            return interval.multipliedBy(checks);
        }
    }
}
