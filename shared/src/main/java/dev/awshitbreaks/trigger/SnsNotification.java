package dev.awshitbreaks.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One record of an SNS-to-Lambda event ({@code Records[].Sns}): where it came from, its id and time,
 * and the message body.
 *
 * @param timestamp when SNS accepted the message (the same on every redelivery), or null if missing
 */
public record SnsNotification(String topicArn, String messageId, String subject, String message, Instant timestamp) {

    /** Reads one element of {@code Records}; throws {@link UnreadableMessageException} when it is not an SNS record. */
    static SnsNotification fromRecord(JsonNode record) {
        if (!record.isObject()) {
            throw new UnreadableMessageException("a record that is not a JSON object");
        }
        String source = text(record, "EventSource", "EventSource");
        JsonNode sns = record.path("Sns");
        if (!"aws:sns".equals(source) || !sns.isObject()) {
            if (!sns.isMissingNode() && !sns.isObject()) {
                throw new UnreadableMessageException("field 'Sns' of the record is " + typeOf(sns) + ", not an object");
            }
            source = source == null ? "" : source;
            throw new UnreadableMessageException("a record that is not an SNS notification (EventSource '"
                    + abbreviate(source) + "')");
        }
        return new SnsNotification(text(sns, "TopicArn", "Sns.TopicArn"), text(sns, "MessageId", "Sns.MessageId"),
                text(sns, "Subject", "Sns.Subject"), text(sns, "Message", "Sns.Message"),
                timestamp(text(sns, "Timestamp", "Sns.Timestamp")));
    }

    /** A string field, or null when absent or null; a value of another JSON type is refused, never coerced. */
    private static String text(JsonNode node, String field, String name) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new UnreadableMessageException("field '" + name + "' of the record is " + typeOf(v) + ", not a string");
        }
        return v.asText();
    }

    /** The JSON type of a value, for messages: never the value itself. */
    static String typeOf(JsonNode v) {
        return switch (v.getNodeType()) {
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NULL -> "null";
            default -> "of another type";
        };
    }

    private static Instant timestamp(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
