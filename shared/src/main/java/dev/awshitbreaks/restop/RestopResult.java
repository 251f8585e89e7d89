package dev.awshitbreaks.restop;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.awshitbreaks.core.ServiceKind;

/**
 * What the function did with one event, and why: the function's output (its on-success destination, if any,
 * receives it) and one log line.
 */
public record RestopResult(Action action, String eventId, ServiceKind service, String region, String id, String snapshotId,
        String reason) {

    public enum Action {
        /** The paused database was stopped again. */
        STOPPED("stopped"),
        /** It was already stopped or stopping (a repeated delivery of the event): nothing to do. */
        ALREADY_STOPPED("already-stopped"),
        /** No active snapshot holds it paused: left running. */
        NOT_PAUSED("not-paused"),
        /** The database under that name is not the one that was paused (re-created): left running. */
        NOT_OURS("not-ours"),
        /** The database no longer exists. */
        GONE("gone"),
        /** The input is not an automatic-start event (another event id, or unreadable): nothing done. */
        IGNORED("ignored");

        private final String id;

        Action(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }
    }

    static RestopResult ignored(String reason) {
        return new RestopResult(Action.IGNORED, null, null, null, null, null, reason);
    }

    static RestopResult of(Action action, RdsAutoStartEvent e, String snapshotId, String reason) {
        return new RestopResult(action, e.eventId(), e.service(), e.region(), e.identifier(), snapshotId, reason);
    }

    /** One line for the function's log. */
    public String logLine() {
        StringBuilder b = new StringBuilder("restop ").append(action.id());
        if (id != null) {
            b.append(' ').append(service.id()).append(' ').append(region).append('/').append(id);
        }
        if (eventId != null) {
            b.append(" (").append(eventId).append(')');
        }
        if (snapshotId != null) {
            b.append(" snapshot ").append(snapshotId);
        }
        return b.append(": ").append(reason).toString();
    }
}
