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
        String source = record.path("EventSource").asText("");
        JsonNode sns = record.path("Sns");
        if (!"aws:sns".equals(source) || !sns.isObject()) {
            throw new UnreadableMessageException("a record that is not an SNS notification (EventSource '"
                    + abbreviate(source) + "')");
        }
        JsonNode message = sns.path("Message");
        return new SnsNotification(text(sns, "TopicArn"), text(sns, "MessageId"), text(sns, "Subject"),
                message.isTextual() ? message.asText() : null, timestamp(text(sns, "Timestamp")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
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
