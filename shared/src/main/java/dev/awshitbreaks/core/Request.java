package dev.awshitbreaks.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * The one request shape shared by the state machine input, the launcher and the triggers.
 *
 * <p>{@link #validated()} checks everything that can be checked without calling AWS and returns the
 * request with defaults applied; it is called before the first AWS call.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Request(
        Action action,
        List<String> regions,
        List<String> services,
        Map<String, String> tags,
        Map<String, String> excludeTags,
        List<String> excludeIds,
        Boolean dryRun,
        String snapshotId,
        String trigger,
        @JsonInclude(JsonInclude.Include.NON_NULL) String resumeAt) {

    /** Means every region enabled in the account; resolved by the plan step. */
    public static final String ALL_REGIONS = "all";
    public static final String DEFAULT_TRIGGER = "manual";

    private static final Pattern REGION_SHAPE = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    /** A resource id as the engine reports it; {@code $} for an HTTP API's {@code <apiId>/$default} stage. */
    private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:/._+=@$-]{0,254}");
    private static final Pattern TRIGGER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:/._+=@ -]{0,127}");
    private static final int MAX_TAG_KEY = 128;
    private static final int MAX_TAG_VALUE = 256;

    /**
     * A request without {@code resumeAt}: every request but a budget alert's pause when the stack schedules resumes.
     */
    public Request(Action action, List<String> regions, List<String> services, Map<String, String> tags,
            Map<String, String> excludeTags, List<String> excludeIds, Boolean dryRun, String snapshotId, String trigger) {
        this(action, regions, services, tags, excludeTags, excludeIds, dryRun, snapshotId, trigger, null);
    }

    public Request {
        // copied keeping null entries, so validated() can name them instead of failing here
        regions = regions == null ? List.of() : copyList(regions);
        services = services == null ? List.of() : copyList(services);
        tags = tags == null ? Map.of() : copyOrdered(tags);
        excludeTags = excludeTags == null ? Map.of() : copyOrdered(excludeTags);
        excludeIds = excludeIds == null ? List.of() : copyList(excludeIds);
    }

    private static List<String> copyList(List<String> in) {
        return java.util.Collections.unmodifiableList(new ArrayList<>(in));
    }

    public static Request of(Action action) {
        return new Request(action, null, null, null, null, null, false, null, null);
    }

    /** Parses a request document; any problem is an {@link InvalidRequestException} naming it. */
    public static Request fromJson(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidRequestException("the request is empty: expected a JSON object with at least \"action\"");
        }
        try {
            Request r = Json.mapper().readValue(json, Request.class);
            if (r == null) {
                throw new InvalidRequestException("the request is null: expected a JSON object with at least \"action\"");
            }
            return r;
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidRequestException("unknown field " + Shown.quote(e.getPropertyName()) + " in the request; known fields: "
                    + "action, regions, services, tags, excludeTags, excludeIds, dryRun, snapshotId, trigger, resumeAt");
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof InvalidRequestException ire) {
                throw ire;
            }
            throw new InvalidRequestException("invalid request: " + Shown.plain(e.getOriginalMessage()));
        } catch (MismatchedInputException e) {
            // a value of another JSON type is refused, never coerced (see Json): the field and the type it needs
            throw new InvalidRequestException(Json.wrongType(e));
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof InvalidRequestException ire) {
                throw ire;
            }
            var at = e.getLocation();
            throw new InvalidRequestException("the request is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ")") + ": " + Shown.plain(String.valueOf(e.getOriginalMessage())));
        }
    }

    private static String describe(Object value) {
        return value instanceof String s ? Shown.quote(s) : String.valueOf(value);
    }

    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    /** Every region named, or all enabled regions. */
    public boolean allRegions() {
        return regions.isEmpty() || regions.contains(ALL_REGIONS);
    }

    public List<ServiceKind> serviceKinds() {
        if (services.isEmpty()) {
            return List.of(ServiceKind.values());
        }
        Set<ServiceKind> kinds = new LinkedHashSet<>();
        for (String s : services) {
            kinds.add(ServiceKind.fromId(s));
        }
        return List.copyOf(kinds);
    }

    /** Validates every field and returns the request with its defaults applied. */
    public Request validated() {
        if (action == null) {
            throw new InvalidRequestException("the request has no action: expected one of pause, resume, discover");
        }
        List<String> normalRegions = validateRegions(regions);
        List<String> normalServices = serviceKinds().stream().map(ServiceKind::id).toList();
        validateTags("tags", tags);
        validateTags("excludeTags", excludeTags);
        for (String id : excludeIds) {
            if (id == null || !RESOURCE_ID.matcher(id).matches()) {
                throw new InvalidRequestException("invalid excludeIds entry " + describe(id)
                        + ": expected a resource id such as i-0123456789abcdef0");
            }
        }
        if (snapshotId != null) {
            if (action != Action.RESUME) {
                throw new InvalidRequestException("snapshotId " + Shown.quote(snapshotId) + " is only meaningful for resume, not " + action.id());
            }
            OperationId.requireSnapshotId(snapshotId);
        }
        String normalTrigger = trigger == null || trigger.isBlank() ? DEFAULT_TRIGGER : trigger;
        if (!TRIGGER.matcher(normalTrigger).matches()) {
            throw new InvalidRequestException("invalid trigger " + describe(trigger)
                    + ": up to 128 letters, digits, spaces and :/._+=@-");
        }
        return new Request(action, normalRegions, normalServices, tags, excludeTags, excludeIds,
                isDryRun(), snapshotId, normalTrigger, validateResumeAt());
    }

    /**
     * {@code resumeAt}: when the stack is to resume this pause (an ISO-8601 UTC time, such as
     * {@code 2026-12-01T00:00:00Z}); the trigger sets it to the start of the budget's next period when the stack's
     * {@code ResumeAtNextBudgetPeriod} is Enabled, and the summary schedules the resume (EventBridge Scheduler). Only a
     * real pause can carry it. Returned in {@link java.time.Instant#toString()}'s form, whole seconds.
     */
    private String validateResumeAt() {
        if (resumeAt == null) {
            return null;
        }
        java.time.Instant at;
        try {
            at = java.time.format.DateTimeFormatter.ISO_INSTANT.parse(resumeAt, java.time.Instant::from);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidRequestException("invalid resumeAt " + describe(resumeAt)
                    + ": expected an ISO-8601 UTC time such as 2026-12-01T00:00:00Z");
        }
        if (action != Action.PAUSE || isDryRun()) {
            throw new InvalidRequestException("resumeAt " + Shown.quote(resumeAt) + " is only meaningful for a pause that is not a dry run, not "
                    + (isDryRun() ? "a dry run of " : "") + action.id());
        }
        return at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** When the stack is to resume this pause, or empty (see {@code resumeAt}). */
    public java.util.Optional<java.time.Instant> resumeInstant() {
        return resumeAt == null ? java.util.Optional.empty() : java.util.Optional.of(java.time.Instant.parse(resumeAt));
    }

    private static List<String> validateRegions(List<String> regions) {
        if (regions.isEmpty()) {
            return List.of(ALL_REGIONS);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String r : regions) {
            if (r == null || r.isBlank()) {
                throw new InvalidRequestException("a region is empty: name a region such as us-east-1, or 'all'");
            }
            if (r.equals(ALL_REGIONS)) {
                if (regions.size() > 1) {
                    throw new InvalidRequestException("region 'all' cannot be combined with other regions");
                }
                return List.of(ALL_REGIONS);
            }
            if (!isKnownRegion(r)) {
                throw new InvalidRequestException("unknown region " + Shown.quote(r) + ": expected a region code such as us-east-1, or 'all'");
            }
            out.add(r);
        }
        return new ArrayList<>(out);
    }

    /** A region the SDK knows of (no AWS call): codes such as us-east-1, not global pseudo-regions. */
    public static boolean isKnownRegion(String code) {
        if (code == null || !REGION_SHAPE.matcher(code).matches()) {
            return false;
        }
        return Region.regions().stream().anyMatch(r -> r.id().equals(code) && !r.isGlobalRegion());
    }

    private static void validateTags(String field, Map<String, String> tags) {
        for (Map.Entry<String, String> e : tags.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k == null || k.isBlank()) {
                throw new InvalidRequestException("a tag key in " + field + " is empty: tags are KEY=VALUE with a non-empty key");
            }
            if (k.length() > MAX_TAG_KEY) {
                throw new InvalidRequestException("tag key " + Shown.quote(k) + " in " + field + " is longer than " + MAX_TAG_KEY + " characters");
            }
            if (v == null) {
                throw new InvalidRequestException("tag " + Shown.quote(k) + " in " + field + " has no value: tags are KEY=VALUE (the value may be empty)");
            }
            if (v.length() > MAX_TAG_VALUE) {
                throw new InvalidRequestException("the value of tag " + Shown.quote(k) + " in " + field + " is longer than " + MAX_TAG_VALUE + " characters");
            }
            if (hasControl(k) || hasControl(v)) {
                throw new InvalidRequestException("tag " + Shown.quote(k) + " in " + field + " contains a control character");
            }
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static Map<String, String> copyOrdered(Map<String, String> in) {
        // LinkedHashMap keeps the user's order in output; it may hold null values until validated().
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(in));
    }

    public Request withRegions(List<String> resolved) {
        return new Request(action, resolved, services, tags, excludeTags, excludeIds, dryRun, snapshotId, trigger, resumeAt);
    }

    public Request withSnapshotId(String id) {
        return new Request(action, regions, services, tags, excludeTags, excludeIds, dryRun, id, trigger, resumeAt);
    }
}
