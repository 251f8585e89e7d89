package dev.awshitbreaks.functions;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.aws.RetrySettings;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.aws.SchedulerApi;
import dev.awshitbreaks.notify.SummaryNotifier;
import dev.awshitbreaks.schedule.ResumeSchedule;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the engine once per Lambda sandbox from the function's environment: {@code SNAPSHOT_TABLE},
 * {@code SNAPSHOT_BUCKET}, {@code HITBREAKS_STATE_REGION} (default {@code AWS_REGION}),
 * {@code HITBREAKS_TRANSITIONAL_WAIT_SECONDS} (optional), the retry settings of
 * {@link RetrySettings#fromEnvironment} (optional) and, for local runs against an emulator,
 * {@code HITBREAKS_ENDPOINT_URL}.
 */
public final class FunctionEnvironment {
    private static volatile BrakeEngine engine;
    private static volatile Optional<SummaryNotifier> notifier;
    private static volatile Optional<ResumeSchedule> resumeSchedule;
    private static final Object BACKGROUND = new Object();
    private static Thread background;

    private FunctionEnvironment() {
    }

    /** The sandbox's engine, built on first use and kept: clients are created once. */
    public static BrakeEngine engine() {
        BrakeEngine e = engine;
        if (e == null) {
            synchronized (FunctionEnvironment.class) {
                if (engine == null) {
                    engine = BrakeEngine.create(new AwsClients(settings(System.getenv())), engineSettings(System.getenv()));
                }
                e = engine;
            }
        }
        return e;
    }

    /**
     * Starts building the sandbox's engine and its snapshot store's DynamoDB and S3 clients on a daemon thread,
     * then runs {@code then} there, and returns at once. Called by the handlers' constructors (the sandbox's
     * initialisation), so that building the SDK clients overlaps with the first invocation reading its input and
     * discovering instead of preceding it. The first {@link #engine()} call waits for the engine (not for its
     * store's clients); if the build fails (the environment is incomplete), that call builds the engine again and
     * reports the failure itself, and {@code then} is not run. Only the first call in a JVM starts a thread.
     */
    static void buildInBackground(Runnable then) {
        synchronized (BACKGROUND) {
            if (background != null || engine != null) {
                return;
            }
            background = new Thread(() -> {
                BrakeEngine built;
                try {
                    built = engine();
                } catch (RuntimeException reportedByTheInvocation) {
                    return; // engine() is called again by the invocation, which fails with this same error
                }
                // the snapshot store's clients, which the engine gets on first use: built here while the
                // invocation, no longer waiting, reads its input or discovers
                built.clients().dynamoDb();
                built.clients().s3();
                then.run();
            }, "hitbreaks-engine-init");
            background.setDaemon(true);
            background.start();
        }
    }

    /** Waits until the thread {@link #buildInBackground} started, if any, has ended. */
    static void awaitBackground() throws InterruptedException {
        Thread t;
        synchronized (BACKGROUND) {
            t = background;
        }
        if (t != null) {
            t.join();
        }
    }

    /** The summary notifier when {@code NOTIFY_TOPIC_ARN} is set, built once per sandbox. */
    public static Optional<SummaryNotifier> notifier() {
        Optional<SummaryNotifier> n = notifier;
        if (n == null) {
            synchronized (FunctionEnvironment.class) {
                if (notifier == null) {
                    String topic = System.getenv("NOTIFY_TOPIC_ARN");
                    notifier = topic == null || topic.isBlank() ? Optional.empty()
                            : Optional.of(new SummaryNotifier(engine().clients().sns(), topic, engine().store().bucket(),
                                    engine().clients().s3Presigner()));
                }
                n = notifier;
            }
        }
        return n;
    }

    /**
     * The scheduled resume when {@code RESUME_SCHEDULE_GROUP} is set (the stack's {@code ResumeAtNextBudgetPeriod} is
     * Enabled), with {@code RESUME_SCHEDULE_ROLE_ARN}; built once per sandbox. Empty: no scheduler call is ever made.
     */
    public static Optional<ResumeSchedule> resumeSchedule() {
        Optional<ResumeSchedule> s = resumeSchedule;
        if (s == null) {
            synchronized (FunctionEnvironment.class) {
                if (resumeSchedule == null) {
                    resumeSchedule = ResumeSchedule.fromEnvironment(System.getenv()).map(names -> new ResumeSchedule(
                            SchedulerApi.of(engine().clients()), names.group(), names.roleArn(), java.time.Clock.systemUTC()));
                }
                s = resumeSchedule;
            }
        }
        return s;
    }

    static AwsSettings settings(Map<String, String> env) {
        String table = require(env, "SNAPSHOT_TABLE");
        String bucket = require(env, "SNAPSHOT_BUCKET");
        String region = env.getOrDefault("HITBREAKS_STATE_REGION", env.get("AWS_REGION"));
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("neither HITBREAKS_STATE_REGION nor AWS_REGION is set");
        }
        String endpoint = env.get("HITBREAKS_ENDPOINT_URL");
        return new AwsSettings(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint), region, table, bucket,
                RetrySettings.fromEnvironment(env));
    }

    /** {@code HITBREAKS_TRANSITIONAL_WAIT_SECONDS} bounds the wait for resources in a transitional state. */
    static EngineSettings engineSettings(Map<String, String> env) {
        String wait = env.get("HITBREAKS_TRANSITIONAL_WAIT_SECONDS");
        EngineSettings defaults = EngineSettings.defaults();
        return wait == null || wait.isBlank() ? defaults
                : defaults.withTransitionalWait(EngineSettings.parseWait("HITBREAKS_TRANSITIONAL_WAIT_SECONDS", wait));
    }

    private static String require(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return v;
    }
}
