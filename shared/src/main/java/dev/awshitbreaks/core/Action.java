package dev.awshitbreaks.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an operation does. */
public enum Action {
    PAUSE, RESUME, DISCOVER;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Action fromId(String id) {
        if (id != null) {
            for (Action a : values()) {
                if (a.id().equals(id)) {
                    return a;
                }
            }
        }
        throw new InvalidRequestException("unknown action " + Shown.quote(id) + ": expected one of "
                + Arrays.stream(values()).map(Action::id).collect(Collectors.joining(", ")));
    }
}
