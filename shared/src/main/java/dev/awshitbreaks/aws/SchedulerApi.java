package dev.awshitbreaks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The three EventBridge Scheduler operations the scheduled resume needs, called by hand ({@link RestJsonApi}: REST-JSON,
 * SigV4 signing name {@code scheduler}) because the SDK's {@code scheduler} module would not fit the Lambda artifact's
 * size budget: {@code CreateSchedule} ({@code POST /schedules/{Name}}, IAM {@code scheduler:CreateSchedule} and
 * {@code iam:PassRole} of the target's role), {@code GetSchedule} ({@code GET /schedules/{Name}?groupName=},
 * {@code scheduler:GetSchedule}) and {@code DeleteSchedule} ({@code DELETE /schedules/{Name}?groupName=},
 * {@code scheduler:DeleteSchedule}), all on {@code arn:aws:scheduler:<region>:<account>:schedule/<group>/<name>}
 * (EventBridge Scheduler API reference; Service Authorization Reference). Errors are {@link JsonApi.Failure}s with the
 * HTTP status (REST-JSON services send their error code in a header: 404 is ResourceNotFoundException, 409
 * ConflictException).
 */
public final class SchedulerApi {
    /** Schedule and group names: 1-64 of {@code [0-9a-zA-Z-_.]} (CreateSchedule's URI parameter). */
    private static final Pattern NAME = Pattern.compile("[0-9a-zA-Z._-]{1,64}");

    private final RestJsonApi rest;

    SchedulerApi(RestJsonApi rest) {
        this.rest = rest;
    }

    /** In the clients' state region: {@code https://scheduler.<region>.amazonaws.com}, or their endpoint override. */
    public static SchedulerApi of(AwsClients clients) {
        String region = clients.settings().stateRegion();
        return new SchedulerApi(new RestJsonApi(clients.httpClient(), clients.credentialsProvider(),
                clients.settings().endpoint().orElse(JsonApi.endpointOf("scheduler", region)), "scheduler", region,
                clients.settings().retry()));
    }

    /** CreateSchedule; the schedule's ARN. {@code request}: the body (GroupName, ScheduleExpression, Target, ...). */
    public String createSchedule(String name, ObjectNode request) {
        return rest.post(path(name), request).path("ScheduleArn").asText(null);
    }

    /** GetSchedule; empty when there is no such schedule (HTTP 404). */
    public Optional<JsonNode> getSchedule(String group, String name) {
        try {
            return Optional.of(rest.get(path(name), Map.of("groupName", group(group))));
        } catch (JsonApi.Failure f) {
            if (f.status() == 404) {
                return Optional.empty();
            }
            throw f;
        }
    }

    /** DeleteSchedule; whether there was one to delete (a missing schedule, HTTP 404, is not an error). */
    public boolean deleteSchedule(String group, String name) {
        try {
            rest.delete(path(name), Map.of("groupName", group(group)));
            return true;
        } catch (JsonApi.Failure f) {
            if (f.status() == 404) {
                return false;
            }
            throw f;
        }
    }

    /** Whether an error is CreateSchedule's "a schedule of this name exists". */
    public static boolean isConflict(JsonApi.Failure f) {
        return f.status() == 409 || "ConflictException".equals(f.code());
    }

    private static String path(String name) {
        return "/schedules/" + requireName("schedule", name);
    }

    private static String group(String group) {
        return requireName("schedule group", group);
    }

    private static String requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("not a " + what + " name (1-64 of 0-9 a-z A-Z - _ .): " + value);
        }
        return value;
    }
}
