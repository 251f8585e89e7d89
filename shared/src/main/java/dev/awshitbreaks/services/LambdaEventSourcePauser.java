package dev.awshitbreaks.services;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Lambda event source mappings disabled ({@code UpdateEventSourceMapping Enabled=false}) so their sources stop
 * invoking functions; a resume enables them again. Only mappings that are {@code Enabled} or {@code Enabling} are
 * paused; one being created or updated is skipped with its state. The pause records the mapping's UUID, function,
 * source and state; the outcome is the state read back from the listing ({@code Disabling}/{@code Disabled} on
 * pause, {@code Enabling}/{@code Enabled} on resume).
 *
 * <p>Tags: a mapping is left alone when its function or the mapping itself (tags on mappings since November 2024)
 * carries the protect or the stack tag; {@code --tag} and {@code --exclude-tag} see the function's tags with the
 * mapping's over them. Discovery costs the listing's pages (100 a page) plus one ListTags per function and one per
 * mapping.
 *
 * <p><strong>Records are not lost silently:</strong> while a mapping is disabled its source keeps the records only as
 * long as its own retention says. Each paused mapping's reason says how long, read from the source: an SQS queue's
 * {@code MessageRetentionPeriod} (GetQueueUrl, GetQueueAttributes), a Kinesis stream's {@code RetentionPeriodHours}
 * (DescribeStreamSummary), DynamoDB Streams' fixed 24 hours; Kafka, Amazon MQ and DocumentDB as their own settings say.
 */
public final class LambdaEventSourcePauser implements ResourcePauser {
    private static final int PAGE = 100;
    private static final Set<String> ENABLED = Set.of("Enabled", "Enabling");
    private static final Set<String> DISABLED = Set.of("Disabled", "Disabling");
    /** Transitional states: the mapping's enabled state is not known until it settles. */
    private static final Set<String> CHANGING = Set.of("Creating", "Updating");

    private final AwsClients clients;

    public LambdaEventSourcePauser(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.LAMBDA_EVENT_SOURCES;
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        LambdaClient lambda = clients.lambda(region);
        Map<String, Map<String, String>> functionTags = new HashMap<>();
        List<Discovered> out = new ArrayList<>();
        for (EventSourceMappingConfiguration m : lambda.listEventSourceMappingsPaginator(b -> b.maxItems(PAGE))
                .eventSourceMappings()) {
            String state = m.state();
            if (!ENABLED.contains(state) && !CHANGING.contains(state)) {
                continue; // disabled, disabling or being deleted: nothing runs to stop
            }
            Map<String, String> fnTags = functionTags.computeIfAbsent(unqualified(m.functionArn()), arn -> tagsOf(lambda, arn));
            if (fnTags == null) {
                continue; // its function was deleted since the listing
            }
            Map<String, String> tags = new LinkedHashMap<>(fnTags);
            if (m.eventSourceMappingArn() != null) {
                Map<String, String> own = tagsOf(lambda, m.eventSourceMappingArn());
                if (own == null) {
                    continue; // deleted since the listing
                }
                tags.putAll(own);
            }
            if (!filter.selects(tags)) {
                continue;
            }
            String reason = filter.exclusion(m.uuid(), tags).orElseGet(() -> CHANGING.contains(state)
                    ? "state " + state + ": its enabled state is not settled; run the pause again once it is" : null);
            OriginalState original = new OriginalState.LambdaEventSourceMapping(m.uuid(), m.functionArn(),
                    m.eventSourceArn(), state);
            out.add(new Discovered(ServiceKind.LAMBDA_EVENT_SOURCES, region, m.uuid(), sourceType(m.eventSourceArn()),
                    name(m), tags, original, reason));
        }
        return out;
    }

    /** A resource's tags; null when it no longer exists. */
    private static Map<String, String> tagsOf(LambdaClient lambda, String arn) {
        try {
            return lambda.listTags(b -> b.resource(arn)).tags();
        } catch (ResourceNotFoundException gone) {
            return null;
        }
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        LambdaClient lambda = clients.lambda(region);
        List<ResourceResult> asked = new ArrayList<>();
        for (Discovered d : eligible) {
            OriginalState.LambdaEventSourceMapping o = (OriginalState.LambdaEventSourceMapping) d.original();
            try {
                lambda.updateEventSourceMapping(b -> b.uuid(o.uuid()).enabled(false));
                asked.add(result(d.region(), d.id(), d.type(), d.name(), Outcome.PAUSED, null));
            } catch (ResourceNotFoundException gone) {
                asked.add(result(d.region(), d.id(), d.type(), d.name(), Outcome.SKIPPED,
                        "deleted since it was found (" + ServiceErrors.describe(gone) + "): nothing to disable"));
            } catch (SdkException e) {
                asked.add(result(d.region(), d.id(), d.type(), d.name(), Outcome.FAILED, ServiceErrors.describe(e)
                        + "; still enabled"));
            }
        }
        Map<String, EventSourceMappingConfiguration> seen = listing(lambda, asked);
        Map<String, String> retention = new HashMap<>();
        Map<String, Discovered> byId = new HashMap<>();
        eligible.forEach(d -> byId.put(d.id(), d));
        List<ResourceResult> out = new ArrayList<>();
        for (ResourceResult r : asked) {
            if (r.outcome() != Outcome.PAUSED) {
                out.add(r);
                continue;
            }
            EventSourceMappingConfiguration m = seen.get(r.id());
            if (m == null || !DISABLED.contains(m.state())) {
                out.add(r.withOutcome(Outcome.FAILED, "UpdateEventSourceMapping Enabled=false was acknowledged, but "
                        + "ListEventSourceMappings shows " + (m == null ? "no such mapping" : "state " + m.state())
                        + "; run the pause again"));
                continue;
            }
            String source = ((OriginalState.LambdaEventSourceMapping) byId.get(r.id()).original()).eventSourceArn();
            String kept = retention.computeIfAbsent(String.valueOf(source), k -> retention(source));
            out.add(r.withOutcome(Outcome.PAUSED, ("Disabling".equals(m.state()) ? "still Disabling; " : "")
                    + "while disabled, " + kept));
        }
        return out;
    }

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        LambdaClient lambda = clients.lambda(region);
        List<ResourceResult> asked = new ArrayList<>();
        for (PausedResource r : records) {
            asked.add(resumeOne(lambda, r, r.original(OriginalState.LambdaEventSourceMapping.class), dryRun));
        }
        if (dryRun) {
            return asked;
        }
        Map<String, EventSourceMappingConfiguration> seen = listing(lambda, asked);
        List<ResourceResult> out = new ArrayList<>();
        for (ResourceResult r : asked) {
            if (r.outcome() != Outcome.RESUMED) {
                out.add(r);
                continue;
            }
            EventSourceMappingConfiguration m = seen.get(r.id());
            if (m != null && ENABLED.contains(m.state())) {
                out.add("Enabling".equals(m.state()) && r.reason() == null ? r.withOutcome(Outcome.RESUMED, "still Enabling") : r);
                continue;
            }
            out.add(r.withOutcome(Outcome.FAILED, "UpdateEventSourceMapping Enabled=true was acknowledged, but "
                    + "ListEventSourceMappings shows " + (m == null ? "no such mapping" : "state " + m.state())
                    + "; its record stays resumable"));
        }
        return out;
    }

    private ResourceResult resumeOne(LambdaClient lambda, PausedResource r, OriginalState.LambdaEventSourceMapping o,
            boolean dryRun) {
        GetEventSourceMappingResponse now;
        try {
            now = lambda.getEventSourceMapping(b -> b.uuid(o.uuid()));
        } catch (ResourceNotFoundException e) {
            return result(r.region(), r.id(), r.type(), r.name(), Outcome.SKIPPED, "drift: the mapping no longer exists ("
                    + ServiceErrors.describe(e) + "); nothing to resume");
        } catch (SdkException e) {
            return result(r.region(), r.id(), r.type(), r.name(), Outcome.FAILED, ServiceErrors.describe(e));
        }
        if (!Objects.equals(unqualified(now.functionArn()), unqualified(o.functionArn()))) {
            return result(r.region(), r.id(), r.type(), r.name(), Outcome.SKIPPED, "drift: the mapping now feeds "
                    + now.functionArn() + " (recorded " + o.functionArn() + "): left disabled");
        }
        if (ENABLED.contains(now.state())) {
            return result(r.region(), r.id(), r.type(), r.name(), dryRun ? Outcome.SKIPPED : Outcome.RESUMED,
                    "already " + now.state());
        }
        if (dryRun) {
            return result(r.region(), r.id(), r.type(), r.name(), Outcome.WOULD_RESUME, null);
        }
        try {
            lambda.updateEventSourceMapping(b -> b.uuid(o.uuid()).enabled(true));
            return result(r.region(), r.id(), r.type(), r.name(), Outcome.RESUMED, null);
        } catch (ResourceNotFoundException e) {
            return result(r.region(), r.id(), r.type(), r.name(), Outcome.SKIPPED, "drift: the mapping no longer exists ("
                    + ServiceErrors.describe(e) + "); nothing to resume");
        } catch (SdkException e) {
            return result(r.region(), r.id(), r.type(), r.name(), Outcome.FAILED, ServiceErrors.describe(e)
                    + "; still disabled, its record stays resumable");
        }
    }

    /**
     * The mappings, by UUID, when any of these results needs reading back: the region's listing, page by page (one
     * call for up to 100 mappings, where a GetEventSourceMapping each would cost one a mapping). A listing that fails
     * is thrown: nothing is reported unread.
     */
    private static Map<String, EventSourceMappingConfiguration> listing(LambdaClient lambda, List<ResourceResult> results) {
        Map<String, EventSourceMappingConfiguration> out = new HashMap<>();
        if (results.stream().noneMatch(r -> r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED)) {
            return out;
        }
        lambda.listEventSourceMappingsPaginator(b -> b.maxItems(PAGE)).eventSourceMappings()
                .forEach(m -> out.put(m.uuid(), m));
        return out;
    }

    /**
     * How long the source keeps records while the mapping is disabled, in one line, read from the source where it says
     * (SQS, Kinesis); never throws: a retention that cannot be read says so and tells the user to check it.
     */
    String retention(String sourceArn) {
        if (sourceArn == null) {
            return "the self-managed source keeps records as its own retention says (check it before a long pause)";
        }
        String[] p = sourceArn.split(":", 6);
        if (p.length < 6) {
            return sourceArn + " keeps records as its own retention says (check it before a long pause)";
        }
        String service = p[2];
        String region = p[3];
        String resource = p[5];
        try {
            switch (service) {
                case "sqs": {
                    var sqs = clients.sqs(region);
                    String url = sqs.call("GetQueueUrl", Json.mapper().createObjectNode().put("QueueName", resource)
                            .put("QueueOwnerAWSAccountId", p[4])).path("QueueUrl").asText();
                    var request = Json.mapper().createObjectNode().put("QueueUrl", url);
                    request.putArray("AttributeNames").add("MessageRetentionPeriod");
                    String seconds = sqs.call("GetQueueAttributes", request).path("Attributes").path("MessageRetentionPeriod")
                            .asText();
                    return "SQS queue " + resource + " keeps each message " + span(Long.parseLong(seconds))
                            + " (MessageRetentionPeriod " + seconds + " s), then deletes it";
                }
                case "kinesis": {
                    // a stream ARN (stream/NAME) or a consumer's (stream/NAME/consumer/C:T): the stream keeps the records
                    String[] parts = resource.split("/");
                    String streamArn = String.join(":", p[0], p[1], p[2], p[3], p[4], parts[0] + "/" + parts[1]);
                    int hours = clients.kinesis(region).call("DescribeStreamSummary",
                            Json.mapper().createObjectNode().put("StreamARN", streamArn))
                            .path("StreamDescriptionSummary").path("RetentionPeriodHours").intValue();
                    return "Kinesis stream " + parts[1] + " keeps records " + span(hours * 3600L)
                            + " (RetentionPeriodHours " + hours + "), then they expire";
                }
                case "dynamodb": {
                    String table = resource.startsWith("table/") ? resource.split("/")[1] : resource;
                    return "the DynamoDB stream of table " + table + " keeps records 24 hours (fixed), then trims them";
                }
                case "kafka":
                    return "the Amazon MSK topic keeps records as its own retention (retention.ms) says";
                case "mq":
                    return "the Amazon MQ broker keeps messages as its own settings say";
                case "rds":
                case "docdb":
                    return "the DocumentDB change stream keeps events as its change_stream_log_retention_duration says";
                default:
                    return sourceArn + " keeps records as its own retention says (check it before a long pause)";
            }
        } catch (RuntimeException e) {
            String why = e instanceof SdkException s ? ServiceErrors.describe(s) : e.getMessage();
            return "how long " + sourceArn + " keeps records could not be read (" + why
                    + "): check it before a long pause";
        }
    }

    /** Seconds as days, hours and minutes, e.g. "4 days", "1 hour 30 minutes", "1 day 12 hours", "0 minutes". */
    static String span(long seconds) {
        long days = seconds / 86400;
        long hours = seconds % 86400 / 3600;
        long minutes = seconds % 3600 / 60;
        List<String> parts = new ArrayList<>();
        if (days > 0) {
            parts.add(days + (days == 1 ? " day" : " days"));
        }
        if (hours > 0) {
            parts.add(hours + (hours == 1 ? " hour" : " hours"));
        }
        if (minutes > 0 || parts.isEmpty()) {
            parts.add(minutes + (minutes == 1 ? " minute" : " minutes"));
        }
        return String.join(" ", parts);
    }

    /** The source kind of a mapping: sqs, kinesis, dynamodb-streams, kafka, mq, documentdb, self-managed. */
    static String sourceType(String sourceArn) {
        if (sourceArn == null) {
            return "self-managed";
        }
        String[] p = sourceArn.split(":", 4);
        return p.length < 3 ? "other" : switch (p[2]) {
            case "sqs" -> "sqs";
            case "kinesis" -> "kinesis";
            case "dynamodb" -> "dynamodb-streams";
            case "kafka" -> "kafka";
            case "mq" -> "mq";
            case "rds", "docdb" -> "documentdb";
            default -> p[2];
        };
    }

    /** "function from source", as a person reads it. */
    private static String name(EventSourceMappingConfiguration m) {
        String fn = m.functionArn() == null ? "?" : unqualified(m.functionArn()).substring(unqualified(m.functionArn())
                .lastIndexOf(':') + 1);
        String[] arn = m.eventSourceArn() == null ? new String[0] : m.eventSourceArn().split(":", 6);
        String src = arn.length == 6 ? arn[5] : m.eventSourceArn() == null ? "self-managed source" : m.eventSourceArn();
        return fn + " from " + src;
    }

    /** A function ARN without its version or alias (tags are on the function). */
    static String unqualified(String functionArn) {
        if (functionArn == null) {
            return null;
        }
        String[] parts = functionArn.split(":");
        return parts.length > 7 ? String.join(":", java.util.Arrays.copyOf(parts, 7)) : functionArn;
    }

    private static ResourceResult result(String region, String id, String type, String name, Outcome outcome,
            String reason) {
        return new ResourceResult(ServiceKind.LAMBDA_EVENT_SOURCES, region, id, type, name, outcome, reason);
    }
}
