package dev.awshitbreaks.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import dev.awshitbreaks.core.EngineLog;
import java.util.function.Supplier;

/**
 * The functions' log: the engine's {@link EngineLog} bound to Lambda's logger. Each line is logged with its level;
 * with the stack's {@code LoggingConfig} ({@code LogFormat: JSON}, {@code ApplicationLogLevel} from the
 * {@code LogLevel} parameter) the runtime writes it as one JSON object ({@code timestamp}, {@code level},
 * {@code message}, {@code AWSRequestId}) and drops the lines below the function's level (docs/deploying.md).
 * Nothing in the functions writes to {@code System.out} or {@code System.err}.
 */
final class FunctionLog implements EngineLog {
    private final Supplier<LambdaLogger> logger;

    private FunctionLog(Supplier<LambdaLogger> logger) {
        this.logger = logger;
    }

    /** The invocation's logger; without a context (a handler called directly), the runtime's. */
    static FunctionLog of(Context context) {
        LambdaLogger logger = context == null || context.getLogger() == null ? null : context.getLogger();
        return logger == null ? runtime() : new FunctionLog(() -> logger);
    }

    /**
     * The runtime's logger, looked up on every line: in Lambda it is the one every invocation's context returns
     * (set up by the runtime before the handler class loads); elsewhere the library's default (stdout).
     */
    static FunctionLog runtime() {
        return new FunctionLog(LambdaRuntime::getLogger);
    }

    @Override
    public void log(Level level, String message) {
        logger.get().log(message, lambdaLevel(level));
    }

    static LogLevel lambdaLevel(Level level) {
        return switch (level) {
            case DEBUG -> LogLevel.DEBUG;
            case INFO -> LogLevel.INFO;
            case WARN -> LogLevel.WARN;
            case ERROR -> LogLevel.ERROR;
        };
    }
}
