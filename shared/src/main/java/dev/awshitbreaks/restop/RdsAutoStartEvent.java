package dev.awshitbreaks.restop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * An RDS event, delivered by EventBridge, saying that RDS is starting a database again because it has been
 * stopped for longer than the seven days RDS allows:
 * <ul>
 *   <li>{@code RDS-EVENT-0154} (detail-type {@code RDS DB Instance Event}, SourceType {@code DB_INSTANCE}): "DB
 *       instance is being started due to it exceeding the maximum allowed time being stopped." Paused by
 *       {@link ServiceKind#RDS}, identified by the DB instance identifier.</li>
 *   <li>{@code RDS-EVENT-0153} (detail-type {@code RDS DB Cluster Event}, SourceType {@code CLUSTER}): the same for
 *       a DB cluster. Paused by {@link ServiceKind#AURORA}, identified by the DB cluster identifier.</li>
 * </ul>
 * The database is identified by {@code detail.SourceArn} ({@code arn:<partition>:rds:<region>:<account>:db:<id>} or
 * {@code ...:cluster:<id>}) when present, else by {@code detail.SourceIdentifier}; the region is the envelope's
 * {@code region} (which must agree with the ARN's).
 *
 * @param region the region of the database
 * @param eventId {@code RDS-EVENT-0154} or {@code RDS-EVENT-0153}
 * @param service {@link ServiceKind#RDS} for a DB instance, {@link ServiceKind#AURORA} for a DB cluster
 * @param identifier the DB instance or DB cluster identifier (lower case, as RDS stores it)
 * @param sourceArn the database's ARN, when the event carried one
 */
public record RdsAutoStartEvent(String region, String eventId, ServiceKind service, String identifier, String sourceArn) {
    public static final String INSTANCE_EVENT_ID = "RDS-EVENT-0154";
    public static final String CLUSTER_EVENT_ID = "RDS-EVENT-0153";
    static final String SOURCE = "aws.rds";
    static final String INSTANCE_DETAIL_TYPE = "RDS DB Instance Event";
    static final String CLUSTER_DETAIL_TYPE = "RDS DB Cluster Event";
    /** DB instance and cluster identifiers: a letter, then letters, digits and hyphens, up to 63 characters. */
    private static final Pattern DB_IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,62}");
    private static final Pattern LOGGABLE = Pattern.compile("[A-Za-z0-9 ._:/-]{1,100}");

    /** What one event id means: its detail-type, SourceType, ARN resource type and the service that pauses it. */
    private record Kind(String detailType, String sourceType, String arnType, ServiceKind service, String what) {
    }

    private static final Kind INSTANCE = new Kind(INSTANCE_DETAIL_TYPE, "DB_INSTANCE", "db", ServiceKind.RDS, "DB instance");
    private static final Kind CLUSTER = new Kind(CLUSTER_DETAIL_TYPE, "CLUSTER", "cluster", ServiceKind.AURORA, "DB cluster");

    /** "DB instance" or "DB cluster". */
    public String what() {
        return service == ServiceKind.RDS ? INSTANCE.what() : CLUSTER.what();
    }

    /**
     * Reads an EventBridge envelope. Anything that is not a readable automatic-start event is refused with the
     * reason; the body itself is never repeated (only short, quoted values of the fields that were wrong).
     *
     * @param note receives remarks about an event that is used anyway (a SourceIdentifier that disagrees with the ARN)
     */
    public static RdsAutoStartEvent read(String json, Consumer<String> note) throws UnusableEventException {
        JsonNode root;
        try {
            root = json == null || json.isBlank() ? null : Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's message can quote the offending token: only where it went wrong is logged.
            throw new UnusableEventException("the input is not valid JSON" + (e.getLocation() == null ? ""
                    : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new UnusableEventException("the input is not a JSON object (an EventBridge event was expected)");
        }
        String source = text(root, "source");
        if (!SOURCE.equals(source)) {
            throw new UnusableEventException("source " + show(source) + " is not " + SOURCE);
        }
        JsonNode detail = root.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new UnusableEventException("the event has no detail object");
        }
        String eventId = text(detail, "EventID");
        if (eventId == null) {
            throw new UnusableEventException("detail.EventID is missing");
        }
        Kind kind = switch (eventId) {
            case INSTANCE_EVENT_ID -> INSTANCE;
            case CLUSTER_EVENT_ID -> CLUSTER;
            default -> throw new UnusableEventException(show(eventId) + " is not an automatic start after seven days stopped (only "
                    + INSTANCE_EVENT_ID + " and " + CLUSTER_EVENT_ID + " are)");
        };
        String detailType = text(root, "detail-type");
        if (detailType != null && !kind.detailType().equals(detailType)) {
            throw new UnusableEventException(eventId + " arrived as detail-type " + show(detailType) + ", not " + kind.detailType());
        }
        String sourceType = text(detail, "SourceType");
        if (sourceType != null && !kind.sourceType().equals(sourceType)) {
            throw new UnusableEventException(eventId + " names SourceType " + show(sourceType) + ", not " + kind.sourceType());
        }
        String region = text(root, "region");
        String arn = text(detail, "SourceArn");
        String fromArn = null;
        if (arn != null) {
            String[] p = arn.split(":", -1);
            if (p.length != 7 || !"arn".equals(p[0]) || !"rds".equals(p[2]) || !kind.arnType().equals(p[5])) {
                throw new UnusableEventException("detail.SourceArn " + show(arn) + " is not the ARN of an RDS " + kind.what());
            }
            if (region != null && !region.equals(p[3])) {
                // Directly delivered RDS events carry the database's region in both; the ARN names the database.
                note.accept("the event's region " + show(region) + " differs from its SourceArn's " + show(p[3])
                        + "; the ARN's is used");
            }
            region = p[3];
            fromArn = p[6];
        }
        String sourceIdentifier = text(detail, "SourceIdentifier");
        if (sourceIdentifier != null && sourceIdentifier.startsWith("rds:")) {
            sourceIdentifier = sourceIdentifier.substring(4); // an older documented form: "rds:<identifier>"
        }
        String identifier = fromArn != null ? fromArn : sourceIdentifier;
        if (identifier == null) {
            throw new UnusableEventException("neither detail.SourceArn nor detail.SourceIdentifier names the " + kind.what());
        }
        if (!DB_IDENTIFIER.matcher(identifier).matches()) {
            throw new UnusableEventException(show(identifier) + " is not a " + kind.what() + " identifier");
        }
        if (fromArn != null && sourceIdentifier != null && !fromArn.equalsIgnoreCase(sourceIdentifier)) {
            note.accept("detail.SourceIdentifier " + show(sourceIdentifier) + " differs from the identifier in detail.SourceArn "
                    + show(fromArn) + "; the ARN's is used");
        }
        if (region == null) {
            throw new UnusableEventException("the event names no region");
        }
        if (!Request.isKnownRegion(region)) {
            throw new UnusableEventException("region " + show(region) + " is not a known AWS region");
        }
        return new RdsAutoStartEvent(region, eventId, kind.service(), identifier.toLowerCase(Locale.ROOT), arn);
    }

    /** A string field, or null when absent, null or blank; a value of another JSON type is refused, never coerced. */
    private static String text(JsonNode node, String field) throws UnusableEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new UnusableEventException("field '" + field + "' is " + (v.isNumber() ? "a number" : v.isBoolean() ? "a boolean"
                    : v.isArray() ? "a list" : v.isObject() ? "an object" : "not a string") + ", not a string");
        }
        return v.asText().isBlank() ? null : v.asText();
    }

    /**
     * A value from the event, safe to log: quoted when it looks like the names, ids, regions and ARNs that belong in
     * these fields; otherwise only its length is shown, so nothing unexpected an event carries reaches the log.
     */
    static String show(String value) {
        if (value == null) {
            return "(none)";
        }
        return LOGGABLE.matcher(value).matches() ? "'" + value + "'" : "(a value of " + value.length() + " characters)";
    }
}
