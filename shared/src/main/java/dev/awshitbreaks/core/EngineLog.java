package dev.awshitbreaks.core;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where the engine's few log lines go (the trigger's and the re-stop's decisions), each with a level. The engine
 * knows no logging library and no Lambda type: the functions bind this to Lambda's logger (JSON lines with a
 * {@code level} field, filtered by the function's log level); tests collect the lines.
 */
@FunctionalInterface
public interface EngineLog {
    /** The levels the engine uses, named as Lambda's log levels are. */
    enum Level { DEBUG, INFO, WARN, ERROR }

    void log(Level level, String message);

    default void info(String message) {
        log(Level.INFO, message);
    }

    default void warn(String message) {
        log(Level.WARN, message);
    }

    default void error(String message) {
        log(Level.ERROR, message);
    }

    /** The lines alone, the level dropped: for tests that collect what was said. */
    static EngineLog lines(Consumer<String> sink) {
        Objects.requireNonNull(sink, "sink");
        return (level, message) -> sink.accept(message);
    }
}
