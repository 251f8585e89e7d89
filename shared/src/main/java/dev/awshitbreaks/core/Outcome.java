package dev.awshitbreaks.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What happened to one resource in one operation. */
public enum Outcome {
    PAUSED("paused"),
    RESUMED("resumed"),
    SKIPPED("skipped"),
    FAILED("failed"),
    WOULD_PAUSE("would-pause"),
    WOULD_RESUME("would-resume"),
    DISCOVERED("discovered"),
    /** Found costing money and left as it is: it cannot be paused without deleting it (the still-billing kind). */
    STILL_BILLING("still-billing");

    private final String id;

    Outcome(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static Outcome fromId(String id) {
        for (Outcome o : values()) {
            if (o.id.equals(id)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown outcome '" + id + "'");
    }
}
