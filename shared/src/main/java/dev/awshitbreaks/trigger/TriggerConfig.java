package dev.awshitbreaks.trigger;

import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the trigger accepts and what it starts, read from the function's environment (the template's
 * parameters fill it):
 *
 * <ul>
 *   <li>{@code TRIGGER_TOPIC_ARN} (required): the only topic whose messages are acted on.</li>
 *   <li>{@code STATE_MACHINE_ARN} (required): the brake state machine to start.</li>
 *   <li>{@code TRIGGER_BUDGETS}: comma list of budget, alarm or anomaly monitor names that may trigger;
 *       empty means any.</li>
 *   <li>{@code TRIGGER_ALERT_TYPES}: {@code ACTUAL} (default) or {@code ACTUAL,FORECASTED}.</li>
 *   <li>{@code TRIGGER_DRY_RUN}: {@code true} starts dry runs only; default {@code false}.</li>
 *   <li>{@code TRIGGER_REGIONS}: comma list of regions, or {@code all} (default).</li>
 *   <li>{@code TRIGGER_SERVICES}: comma list of services; empty means all.</li>
 *   <li>{@code TRIGGER_RESUME_AT_NEXT_PERIOD}: {@code true} gives a budget alert's pause (not a dry run) a
 *       {@code resumeAt}, the start of the budget's next period, which the summary schedules; default {@code false}.</li>
 * </ul>
 */
public record TriggerConfig(
        String topicArn,
        String stateMachineArn,
        List<String> names,
        Set<AlertType> alertTypes,
        boolean dryRun,
        List<String> regions,
        List<String> services,
        boolean resumeAtNextPeriod) {

    public static final String TOPIC_ARN = "TRIGGER_TOPIC_ARN";
    public static final String STATE_MACHINE_ARN = "STATE_MACHINE_ARN";
    public static final String BUDGETS = "TRIGGER_BUDGETS";
    public static final String ALERT_TYPES = "TRIGGER_ALERT_TYPES";
    public static final String DRY_RUN = "TRIGGER_DRY_RUN";
    public static final String REGIONS = "TRIGGER_REGIONS";
    public static final String SERVICES = "TRIGGER_SERVICES";
    public static final String RESUME_AT_NEXT_PERIOD = "TRIGGER_RESUME_AT_NEXT_PERIOD";

    private static final Pattern TOPIC = Pattern.compile("arn:(aws[a-z-]*):sns:([a-z0-9-]+):(\\d{12}):([A-Za-z0-9_-]{1,256})");
    private static final Pattern STATE_MACHINE =
            Pattern.compile("arn:(aws[a-z-]*):states:([a-z0-9-]+):(\\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})");

    /** Budget alert types (AWS Budgets' NotificationType). */
    public enum AlertType { ACTUAL, FORECASTED }

    /** A configuration that schedules no resume. */
    public TriggerConfig(String topicArn, String stateMachineArn, List<String> names, Set<AlertType> alertTypes,
            boolean dryRun, List<String> regions, List<String> services) {
        this(topicArn, stateMachineArn, names, alertTypes, dryRun, regions, services, false);
    }

    public TriggerConfig {
        names = List.copyOf(names);
        alertTypes = alertTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(alertTypes));
        regions = List.copyOf(regions);
        services = List.copyOf(services);
    }

    /** Reads and checks the environment; any problem is a {@link TriggerConfigurationException} naming the variable. */
    public static TriggerConfig fromEnvironment(Map<String, String> env) {
        String topic = require(env, TOPIC_ARN);
        if (!TOPIC.matcher(topic).matches()) {
            throw new TriggerConfigurationException(TOPIC_ARN + " '" + topic
                    + "' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)");
        }
        String machine = require(env, STATE_MACHINE_ARN);
        if (!STATE_MACHINE.matcher(machine).matches()) {
            throw new TriggerConfigurationException(STATE_MACHINE_ARN + " '" + machine
                    + "' is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)");
        }
        TriggerConfig config = new TriggerConfig(topic, machine, list(env.get(BUDGETS)), alertTypes(env.get(ALERT_TYPES)),
                bool(DRY_RUN, env.get(DRY_RUN)), regions(env.get(REGIONS)), services(env.get(SERVICES)),
                bool(RESUME_AT_NEXT_PERIOD, env.get(RESUME_AT_NEXT_PERIOD)));
        try {
            // the request every start will carry, checked once now: a bad value fails the init, not an alarm
            new Request(dev.awshitbreaks.core.Action.PAUSE, config.regions, config.services, null, null, null,
                    config.dryRun, null, "budget:check").validated();
        } catch (InvalidRequestException e) {
            throw new TriggerConfigurationException("the trigger's request is invalid: " + e.getMessage());
        }
        return config;
    }

    /** The account that owns the topic (and so the stack). */
    public String topicAccount() {
        return group(TOPIC, topicArn, 3);
    }

    /** The region of the state machine: the Step Functions client must be built there. */
    public String stateMachineRegion() {
        return group(STATE_MACHINE, stateMachineArn, 2);
    }

    /** The ARN Step Functions gives an execution of this state machine with the given name. */
    public String executionArn(String executionName) {
        return stateMachineArn.replaceFirst(":stateMachine:", ":execution:") + ":" + executionName;
    }

    /** Whether a budget, alarm or monitor of this name may trigger (an empty list allows any). */
    public boolean allowsName(String name) {
        return names.isEmpty() || (name != null && names.contains(name.strip()));
    }

    private static String group(Pattern p, String value, int group) {
        Matcher m = p.matcher(value);
        if (!m.matches()) {
            throw new IllegalStateException("not a matching ARN: " + value);
        }
        return m.group(group);
    }

    private static String require(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new TriggerConfigurationException("environment variable " + name + " is not set");
        }
        return v.strip();
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return new ArrayList<>(out);
    }

    private static Set<AlertType> alertTypes(String value) {
        List<String> parts = list(value);
        if (parts.isEmpty()) {
            return EnumSet.of(AlertType.ACTUAL);
        }
        EnumSet<AlertType> out = EnumSet.noneOf(AlertType.class);
        for (String p : parts) {
            try {
                out.add(AlertType.valueOf(p.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new TriggerConfigurationException(ALERT_TYPES + " has '" + p
                        + "': expected ACTUAL or ACTUAL,FORECASTED");
            }
        }
        return out;
    }

    private static boolean bool(String variable, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new TriggerConfigurationException(variable + " is '" + value.strip() + "': expected true or false");
        };
    }

    private static List<String> regions(String value) {
        List<String> parts = list(value);
        if (parts.isEmpty() || parts.equals(List.of(Request.ALL_REGIONS))) {
            return List.of(Request.ALL_REGIONS);
        }
        for (String r : parts) {
            if (Request.ALL_REGIONS.equals(r)) {
                throw new TriggerConfigurationException(REGIONS + " combines 'all' with other regions: " + value.strip());
            }
            if (!Request.isKnownRegion(r)) {
                throw new TriggerConfigurationException(REGIONS + " has unknown region '" + r
                        + "': expected region codes such as us-east-1, or all");
            }
        }
        return parts;
    }

    private static List<String> services(String value) {
        List<String> parts = list(value);
        for (String s : parts) {
            try {
                ServiceKind.fromId(s);
            } catch (InvalidRequestException e) {
                throw new TriggerConfigurationException(SERVICES + ": " + e.getMessage());
            }
        }
        return parts;
    }
}
