package dev.awshitbreaks.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.awshitbreaks.core.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of one SNS notification on the alarm topic, in one of the three shapes AWS publishes there:
 * an AWS Budgets notification (plain text), a CloudWatch alarm state change (JSON) or a Cost Anomaly
 * Detection alert (JSON). {@link #parse(String)} reads it or throws {@link UnreadableMessageException}
 * saying why.
 */
public sealed interface AlarmMessage permits AlarmMessage.BudgetAlert, AlarmMessage.CloudWatchAlarm, AlarmMessage.CostAnomaly {

    /** The 12-digit account the message says it is about, when it names one. */
    Optional<String> accountId();

    /** The name the {@code TRIGGER_BUDGETS} filter matches: budget name, alarm name or anomaly monitor name. */
    String name();

    /**
     * An AWS Budgets notification, e.g. {@code Budget Name: prod}, {@code Budget Type: Cost},
     * {@code Budgeted Amount: $30.00}, {@code Alert Type: ACTUAL}, {@code Alert Threshold: > $24.00},
     * {@code ACTUAL Amount: $36.69}.
     *
     * @param threshold the threshold as written ({@code > $24.00}), or null when the line is missing
     * @param thresholdValue the threshold's number ({@code 24.00}), or null when absent or unreadable
     * @param thresholdPercent whether the threshold is written as a percentage
     * @param amount the ACTUAL or FORECASTED amount, or null
     * @param notificationDate the date in the first line ({@code AWS Budget Notification October 28, 2019}), or null
     */
    record BudgetAlert(String budgetName, String budgetType, TriggerConfig.AlertType alertType, String threshold,
            BigDecimal thresholdValue, boolean thresholdPercent, BigDecimal budgetedAmount, BigDecimal amount,
            LocalDate notificationDate, Optional<String> accountId) implements AlarmMessage {
        @Override
        public String name() {
            return budgetName;
        }

        /** Reservation and Savings Plans utilization/coverage budgets alert when usage is low: not a reason to pause. */
        public boolean isUtilizationOrCoverage() {
            String t = budgetType == null ? "" : budgetType.toLowerCase(Locale.ROOT);
            return t.contains("utilization") || t.contains("coverage");
        }
    }

    /** A CloudWatch alarm state change ({@code NewStateValue} ALARM, OK or INSUFFICIENT_DATA). */
    record CloudWatchAlarm(String alarmName, String newState, String oldState, Instant stateChangeTime,
            String metricName, String namespace, Optional<String> accountId) implements AlarmMessage {
        @Override
        public String name() {
            return alarmName;
        }

        public boolean isAlarm() {
            return "ALARM".equals(newState);
        }
    }

    /** A Cost Anomaly Detection alert (an IMMEDIATE subscription's SNS message). */
    record CostAnomaly(String anomalyId, String monitorName, String subscriptionName, String anomalyStartDate,
            BigDecimal totalImpact, Optional<String> accountId) implements AlarmMessage {
        /** The monitor's name when the message carries it, otherwise the subscription's. */
        @Override
        public String name() {
            return monitorName != null ? monitorName : subscriptionName;
        }
    }

    /** Reads a notification body; throws {@link UnreadableMessageException} naming what is wrong. */
    static AlarmMessage parse(String message) {
        return Parser.parse(message);
    }

    /** Parsing, kept out of the interface's public surface. */
    final class Parser {
        private static final ObjectReader LENIENT = Json.mapper().reader()
                // AWS's own documented anomaly example has a trailing comma; accept it rather than drop an alert
                .with(JsonReadFeature.ALLOW_TRAILING_COMMA);
        private static final Pattern KEY_VALUE = Pattern.compile("([A-Za-z][A-Za-z ]*?)\\s*:\\s*(.*)");
        private static final Pattern ACCOUNT_LINE = Pattern.compile("(?i)AWS\\s+Account\\s*:?\\s*(\\d{12})\\b.*");
        private static final Pattern DATE_LINE = Pattern.compile("(?i)AWS\\s+Budget\\s+Notification\\s+([A-Za-z]+\\s+\\d{1,2},\\s*\\d{4}).*");
        private static final Pattern THRESHOLD =
                Pattern.compile("(?:[<>=]=?|(?:greater|less)\\s+than|equal\\s+to)?\\s*\\$?\\s*([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*(%)?\\s*",
                        Pattern.CASE_INSENSITIVE);
        private static final Pattern AMOUNT = Pattern.compile("[A-Z]{0,3}\\s*\\$?\\s*([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*(?:[A-Z]{3})?");
        private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
        private static final DateTimeFormatter NOTIFICATION_DATE = DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH);
        private static final DateTimeFormatter CLOUDWATCH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]Z", Locale.ROOT);

        private Parser() {
        }

        static AlarmMessage parse(String message) {
            if (message == null || message.isBlank()) {
                throw new UnreadableMessageException("the message is empty");
            }
            String body = message.strip();
            if (body.startsWith("{")) {
                JsonNode json;
                try {
                    json = LENIENT.readTree(body);
                } catch (JsonProcessingException e) {
                    throw new UnreadableMessageException("the message starts with '{' but is not valid JSON (line "
                            + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
                }
                if (json.has("AlarmName") || json.has("NewStateValue")) {
                    return cloudWatch(json);
                }
                if (json.has("anomalyId")) {
                    return anomaly(json);
                }
                throw new UnreadableMessageException("a JSON message that is neither a CloudWatch alarm (AlarmName, NewStateValue)"
                        + " nor a Cost Anomaly Detection alert (anomalyId)");
            }
            return budget(body);
        }

        private static BudgetAlert budget(String body) {
            Map<String, String> fields = new LinkedHashMap<>();
            String account = null;
            LocalDate date = null;
            for (String raw : body.split("\\R")) {
                String line = raw.strip();
                Matcher a = ACCOUNT_LINE.matcher(line);
                if (account == null && a.matches()) {
                    account = a.group(1);
                    continue;
                }
                Matcher d = DATE_LINE.matcher(line);
                if (date == null && d.matches()) {
                    date = notificationDate(d.group(1));
                    continue;
                }
                Matcher kv = KEY_VALUE.matcher(line);
                if (kv.matches()) {
                    String key = kv.group(1).strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
                    fields.putIfAbsent(key, kv.group(2).strip());
                }
            }
            String name = fields.get("budget name");
            if (name == null) {
                throw new UnreadableMessageException("plain text that is not an AWS Budgets notification (no 'Budget Name:' line)");
            }
            if (name.isEmpty()) {
                throw new UnreadableMessageException("an AWS Budgets notification with an empty 'Budget Name:'");
            }
            String type = fields.get("alert type");
            if (type == null || type.isEmpty()) {
                throw new UnreadableMessageException("the AWS Budgets notification has no 'Alert Type:' line");
            }
            TriggerConfig.AlertType alertType;
            try {
                alertType = TriggerConfig.AlertType.valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UnreadableMessageException("the AWS Budgets notification's Alert Type '" + abbreviate(type)
                        + "' is neither ACTUAL nor FORECASTED");
            }
            String threshold = fields.get("alert threshold");
            BigDecimal thresholdValue = null;
            boolean percent = false;
            if (threshold != null) {
                Matcher t = THRESHOLD.matcher(threshold);
                if (t.matches()) {
                    thresholdValue = number(t.group(1));
                    percent = t.group(2) != null;
                }
            }
            BigDecimal amount = amount(fields.get(alertType.name().toLowerCase(Locale.ROOT) + " amount"));
            return new BudgetAlert(name, fields.get("budget type"), alertType, threshold, thresholdValue, percent,
                    amount(fields.get("budgeted amount")), amount, date, Optional.ofNullable(account));
        }

        private static CloudWatchAlarm cloudWatch(JsonNode json) {
            String name = text(json, "AlarmName");
            if (name == null) {
                throw new UnreadableMessageException("the CloudWatch alarm message has no AlarmName");
            }
            String state = text(json, "NewStateValue");
            if (state == null) {
                throw new UnreadableMessageException("the CloudWatch alarm message has no NewStateValue");
            }
            String time = text(json, "StateChangeTime");
            if (time == null) {
                throw new UnreadableMessageException("the CloudWatch alarm message has no StateChangeTime");
            }
            JsonNode trigger = object(json, "Trigger");
            return new CloudWatchAlarm(name, state.toUpperCase(Locale.ROOT), text(json, "OldStateValue"), cloudWatchTime(time),
                    text(trigger, "MetricName"), text(trigger, "Namespace"), account(text(json, "AWSAccountId")));
        }

        private static CostAnomaly anomaly(JsonNode json) {
            String id = text(json, "anomalyId");
            if (id == null) {
                throw new UnreadableMessageException("the Cost Anomaly Detection alert has an empty anomalyId");
            }
            JsonNode impact = object(json, "impact").path("totalImpact");
            if (!impact.isMissingNode() && !impact.isNull() && !impact.isNumber() && !impact.isTextual()) {
                throw new UnreadableMessageException("field 'totalImpact' of the message is " + SnsNotification.typeOf(impact)
                        + ", not an amount");
            }
            BigDecimal total = impact.isNumber() ? impact.decimalValue() : impact.isTextual() ? number(impact.asText()) : null;
            return new CostAnomaly(id, text(json, "monitorName"), text(json, "subscriptionName"), text(json, "anomalyStartDate"),
                    total, account(text(json, "accountId")));
        }

        /** A string field, or null when absent, null or blank; a value of another JSON type is refused, never coerced. */
        private static String text(JsonNode node, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw new UnreadableMessageException("field '" + field + "' of the message is " + SnsNotification.typeOf(v)
                        + ", not a string");
            }
            String s = v.asText().strip();
            return s.isEmpty() ? null : s;
        }

        /** An object field, or a missing node when absent or null; a value of another JSON type is refused. */
        private static JsonNode object(JsonNode node, String field) {
            JsonNode v = node.path(field);
            if (!v.isMissingNode() && !v.isNull() && !v.isObject()) {
                throw new UnreadableMessageException("field '" + field + "' of the message is " + SnsNotification.typeOf(v)
                        + ", not an object");
            }
            return v.isNull() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : v;
        }

        private static Optional<String> account(String value) {
            return value != null && ACCOUNT_ID.matcher(value).matches() ? Optional.of(value) : Optional.empty();
        }

        private static Instant cloudWatchTime(String value) {
            try {
                return OffsetDateTime.parse(value, CLOUDWATCH_TIME).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(value).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new UnreadableMessageException("the CloudWatch alarm's StateChangeTime '" + abbreviate(value)
                            + "' is not a timestamp");
                }
            }
        }

        private static LocalDate notificationDate(String value) {
            try {
                return LocalDate.parse(value.replaceAll("\\s+", " ").replaceAll(",\\s*", ", "), NOTIFICATION_DATE);
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        /** {@code $1,234.56} (or {@code 1234.56 USD}) to 1234.56; null when absent or not an amount. */
        static BigDecimal amount(String value) {
            if (value == null) {
                return null;
            }
            Matcher m = AMOUNT.matcher(value.strip());
            return m.matches() ? number(m.group(1)) : null;
        }

        private static BigDecimal number(String digits) {
            try {
                return new BigDecimal(digits.replace(",", ""));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static String abbreviate(String s) {
            return s.length() <= 40 ? s : s.substring(0, 40) + "...";
        }
    }
}
