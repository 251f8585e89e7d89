package dev.awshitbreaks.services;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.cost.CostBasis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetProvisionedConcurrencyConfigResponse;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigListItem;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigNotFoundException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Lambda provisioned concurrency: each configuration (one per function version or alias) is deleted on
 * pause and put back on resume with the same qualifier and requested count. Reserved concurrency costs
 * nothing and is left alone.
 *
 * <p>An endpoint that does not implement the provisioned-concurrency API (moto answers HTTP 404 without a
 * Lambda error code) is reported as one skipped entry for the whole region, id {@value #WHOLE_TARGET}:
 * nothing can have provisioned concurrency there, and the run carries on without a failure.
 */
public final class LambdaConcurrencyPauser implements ResourcePauser {
    static final String TYPE = "provisioned-concurrency";
    /** The id of the one skipped entry reported when the endpoint lacks the provisioned-concurrency API. */
    static final String WHOLE_TARGET = "*";
    private static final int PAGE = 50;
    private static final String IN_PROGRESS = "IN_PROGRESS";
    private static final Set<String> LAMBDA_NOT_FOUND = Set.of("ResourceNotFoundException",
            "ProvisionedConcurrencyConfigNotFoundException");
    private static final Set<String> UNSUPPORTED_CODES = Set.of("UnknownOperationException", "NotImplemented",
            "InvalidAction", "UnsupportedOperation");

    private final AwsClients clients;
    private final WaitSettings settings;

    public LambdaConcurrencyPauser(AwsClients clients, WaitSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.LAMBDA;
    }

    /** One provisioned-concurrency configuration as discovery found it. */
    private record Config(String functionName, String functionArn, String qualifier, Map<String, String> tags,
            int requested, String status) {
        String id() {
            return functionName + ":" + qualifier;
        }
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        LambdaClient lambda = clients.lambda(region);
        List<Config> configs = new ArrayList<>();
        for (FunctionConfiguration fn : lambda.listFunctionsPaginator(b -> b.maxItems(PAGE)).functions()) {
            List<ProvisionedConcurrencyConfigListItem> items = new ArrayList<>();
            try {
                lambda.listProvisionedConcurrencyConfigsPaginator(b -> b.functionName(fn.functionName()).maxItems(PAGE))
                        .provisionedConcurrencyConfigs().forEach(items::add);
            } catch (ResourceNotFoundException deletedSinceListed) {
                continue;
            } catch (AwsServiceException e) {
                if (unsupported(e)) {
                    return List.of(new Discovered(ServiceKind.LAMBDA, region, WHOLE_TARGET, TYPE, "all functions",
                            Map.of(), null, "this Lambda endpoint does not implement the provisioned-concurrency API ("
                                    + httpError(e) + "): provisioned concurrency not checked in " + region));
                }
                throw e;
            }
            if (items.isEmpty()) {
                continue;
            }
            Map<String, String> tags;
            try {
                tags = lambda.listTags(b -> b.resource(fn.functionArn())).tags();
            } catch (ResourceNotFoundException deletedSinceListed) {
                continue;
            }
            if (!filter.selects(tags)) {
                continue;
            }
            for (ProvisionedConcurrencyConfigListItem item : items) {
                configs.add(new Config(fn.functionName(), fn.functionArn(), qualifier(item.functionArn()), tags,
                        item.requestedProvisionedConcurrentExecutions(), item.statusAsString()));
            }
        }
        configs = settle(lambda, configs);
        List<Discovered> out = new ArrayList<>();
        for (Config c : configs) {
            String reason = filter.exclusion(c.id(), c.tags()).orElseGet(() -> IN_PROGRESS.equals(c.status())
                    ? "still " + IN_PROGRESS + " after waiting " + settings.transitionalWait().toSeconds()
                            + "s; run the pause again once it settles"
                    : null);
            OriginalState original = new OriginalState.ProvisionedConcurrency(c.functionName(), c.qualifier(), c.requested());
            Map<String, Object> costBasis = new LinkedHashMap<>();
            costBasis.put(CostBasis.CONCURRENCY, c.requested());
            Integer memory = memoryOf(lambda, c);
            if (memory != null) {
                costBasis.put(CostBasis.MEMORY_MB, memory);
            }
            out.add(new Discovered(ServiceKind.LAMBDA, region, c.id(), TYPE, c.functionName(), c.tags(), original, reason,
                    costBasis));
        }
        return out;
    }

    /** The memory of the version or alias the configuration is for (what is priced); null when unreadable. */
    private static Integer memoryOf(LambdaClient lambda, Config c) {
        try {
            return lambda.getFunctionConfiguration(b -> b.functionName(c.functionName()).qualifier(c.qualifier())).memorySize();
        } catch (SdkException e) {
            return null; // priced as unknown, said so; never a reason to leave it unpaused
        }
    }

    /**
     * Waits, bounded, for configurations being allocated (IN_PROGRESS) to settle, reading each again;
     * configurations deleted meanwhile are dropped.
     */
    private List<Config> settle(LambdaClient lambda, List<Config> configs) {
        long deadline = System.nanoTime() + settings.transitionalWait().toNanos();
        List<Config> current = configs;
        while (current.stream().anyMatch(c -> IN_PROGRESS.equals(c.status())) && System.nanoTime() < deadline) {
            sleep(settings.pollInterval().toMillis());
            List<Config> next = new ArrayList<>();
            for (Config c : current) {
                if (!IN_PROGRESS.equals(c.status())) {
                    next.add(c);
                    continue;
                }
                try {
                    GetProvisionedConcurrencyConfigResponse now = lambda.getProvisionedConcurrencyConfig(
                            b -> b.functionName(c.functionName()).qualifier(c.qualifier()));
                    next.add(new Config(c.functionName(), c.functionArn(), c.qualifier(), c.tags(),
                            now.requestedProvisionedConcurrentExecutions(), now.statusAsString()));
                } catch (ResourceNotFoundException | ProvisionedConcurrencyConfigNotFoundException gone) {
                    // deleted while we waited: nothing to pause
                }
            }
            current = next;
        }
        return current;
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        LambdaClient lambda = clients.lambda(region);
        List<ResourceResult> out = new ArrayList<>();
        for (Discovered d : eligible) {
            OriginalState.ProvisionedConcurrency o = (OriginalState.ProvisionedConcurrency) d.original();
            String fn = o.functionName();
            String qualifier = o.qualifier();
            if (fn == null || qualifier == null) {
                out.add(result(d, Outcome.FAILED, "discovery recorded no functionName/qualifier; nothing deleted"));
                continue;
            }
            try {
                lambda.deleteProvisionedConcurrencyConfig(b -> b.functionName(fn).qualifier(qualifier));
                out.add(result(d, Outcome.PAUSED, null));
            } catch (ResourceNotFoundException | ProvisionedConcurrencyConfigNotFoundException gone) {
                out.add(result(d, Outcome.PAUSED, "already gone when deleted (" + ServiceErrors.describe(gone) + ")"));
            } catch (SdkException e) {
                out.add(result(d, Outcome.FAILED, ServiceErrors.describe(e)));
            }
        }
        // what is reported is what was read back: the configuration no longer listed for its function
        Map<String, ProvisionedConcurrencyConfigListItem> seen = readBack(lambda, out);
        List<ResourceResult> checked = new ArrayList<>();
        for (ResourceResult r : out) {
            ProvisionedConcurrencyConfigListItem still = seen.get(r.id());
            checked.add(r.outcome() != Outcome.PAUSED || still == null ? r : new ResourceResult(r.service(), r.region(), r.id(),
                    r.type(), r.name(), Outcome.FAILED, "DeleteProvisionedConcurrencyConfig was acknowledged, but "
                            + "ListProvisionedConcurrencyConfigs still shows it (" + still.requestedProvisionedConcurrentExecutions()
                            + ", " + still.statusAsString() + "); run the pause again"));
        }
        return checked;
    }

    /**
     * The provisioned-concurrency configurations, by id (function:qualifier), of the functions of these results that
     * were reported PAUSED or RESUMED: one ListProvisionedConcurrencyConfigs per function (it lists every qualifier).
     * A function that no longer exists has none. A listing that fails is thrown: nothing is reported unread.
     */
    private static Map<String, ProvisionedConcurrencyConfigListItem> readBack(LambdaClient lambda, List<ResourceResult> results) {
        Map<String, ProvisionedConcurrencyConfigListItem> out = new java.util.HashMap<>();
        java.util.Set<String> functions = new java.util.TreeSet<>();
        results.stream().filter(r -> r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED)
                .forEach(r -> functions.add(r.id().substring(0, r.id().lastIndexOf(':'))));
        for (String fn : functions) {
            try {
                for (ProvisionedConcurrencyConfigListItem item : lambda.listProvisionedConcurrencyConfigsPaginator(
                        b -> b.functionName(fn).maxItems(PAGE)).provisionedConcurrencyConfigs()) {
                    out.put(fn + ":" + qualifier(item.functionArn()), item);
                }
            } catch (ResourceNotFoundException gone) {
                // no function, no configuration
            }
        }
        return out;
    }

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        LambdaClient lambda = clients.lambda(region);
        List<ResourceResult> out = new ArrayList<>();
        for (PausedResource r : records) {
            OriginalState.ProvisionedConcurrency o = r.original(OriginalState.ProvisionedConcurrency.class);
            String fn = o.functionName();
            String qualifier = o.qualifier();
            Integer requested = o.requestedProvisionedConcurrentExecutions();
            if (fn == null || qualifier == null || requested == null || requested < 1) {
                out.add(result(r, Outcome.FAILED, "the snapshot record lacks functionName/qualifier/"
                        + "requestedProvisionedConcurrentExecutions; record left as it is"));
                continue;
            }
            out.add(resumeOne(lambda, r, fn, qualifier, requested, dryRun));
        }
        if (dryRun) {
            return out;
        }
        // What is reported is what was read back: the configuration listed again, READY or still IN_PROGRESS
        // (allocating; it takes minutes), never FAILED (AWS's StatusReason says why) or absent.
        Map<String, ProvisionedConcurrencyConfigListItem> seen = readBack(lambda, out);
        List<ResourceResult> checked = new ArrayList<>();
        for (ResourceResult r : out) {
            if (r.outcome() != Outcome.RESUMED) {
                checked.add(r);
                continue;
            }
            ProvisionedConcurrencyConfigListItem item = seen.get(r.id());
            String status = item == null ? null : item.statusAsString();
            if (item != null && !"FAILED".equals(status)) {
                checked.add(IN_PROGRESS.equals(status) && r.reason() == null
                        ? result(r, Outcome.RESUMED, "still " + IN_PROGRESS + ": allocating " + item.requestedProvisionedConcurrentExecutions())
                        : r);
                continue;
            }
            checked.add(result(r, Outcome.FAILED, "PutProvisionedConcurrencyConfig was acknowledged, but "
                    + "ListProvisionedConcurrencyConfigs shows " + (item == null ? "no configuration"
                            : "it FAILED: " + item.statusReason())
                    + "; its record stays resumable"));
        }
        return checked;
    }

    private static ResourceResult result(ResourceResult r, Outcome outcome, String reason) {
        return new ResourceResult(r.service(), r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }

    private ResourceResult resumeOne(LambdaClient lambda, PausedResource r, String fn, String qualifier, int requested,
            boolean dryRun) {
        try {
            lambda.getFunctionConfiguration(b -> b.functionName(fn).qualifier(qualifier));
        } catch (ResourceNotFoundException e) {
            return result(r, Outcome.SKIPPED, "drift: function " + fn + " or its qualifier " + qualifier
                    + " no longer exists (" + ServiceErrors.describe(e) + "); nothing to resume");
        } catch (SdkException e) {
            return result(r, Outcome.FAILED, ServiceErrors.describe(e));
        }
        try {
            GetProvisionedConcurrencyConfigResponse now = lambda.getProvisionedConcurrencyConfig(
                    b -> b.functionName(fn).qualifier(qualifier));
            Integer current = now.requestedProvisionedConcurrentExecutions();
            if (current != null && current == requested) {
                return result(r, dryRun ? Outcome.SKIPPED : Outcome.RESUMED,
                        "already has provisioned concurrency " + current);
            }
            return result(r, Outcome.SKIPPED, "drift: a provisioned concurrency of " + current
                    + " was configured since the pause (recorded " + requested + "): left as it is");
        } catch (ProvisionedConcurrencyConfigNotFoundException expected) {
            // deleted by the pause: put it back
        } catch (ResourceNotFoundException e) {
            return result(r, Outcome.SKIPPED, "drift: function " + fn + " or its qualifier " + qualifier
                    + " no longer exists (" + ServiceErrors.describe(e) + "); nothing to resume");
        } catch (AwsServiceException e) {
            return result(r, Outcome.FAILED, unsupported(e)
                    ? "this Lambda endpoint does not implement the provisioned-concurrency API ("
                            + httpError(e) + "); run the resume again against one that does"
                    : ServiceErrors.describe(e));
        } catch (SdkException e) {
            return result(r, Outcome.FAILED, ServiceErrors.describe(e));
        }
        if (dryRun) {
            return result(r, Outcome.WOULD_RESUME, null);
        }
        try {
            lambda.putProvisionedConcurrencyConfig(b -> b.functionName(fn).qualifier(qualifier)
                    .provisionedConcurrentExecutions(requested));
            return result(r, Outcome.RESUMED, null);
        } catch (ResourceNotFoundException e) {
            return result(r, Outcome.SKIPPED, "drift: function " + fn + " or its qualifier " + qualifier
                    + " no longer exists (" + ServiceErrors.describe(e) + "); nothing to resume");
        } catch (SdkException e) {
            return result(r, Outcome.FAILED, ServiceErrors.describe(e));
        }
    }

    /**
     * True when the endpoint does not implement the API at all: an HTTP 404 that is not one of Lambda's own
     * not-found errors (moto's answer), HTTP 501, or an unknown-operation error code.
     */
    static boolean unsupported(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if (code != null && UNSUPPORTED_CODES.contains(code)) {
            return true;
        }
        return e.statusCode() == 501 || (e.statusCode() == 404 && (code == null || !LAMBDA_NOT_FOUND.contains(code)));
    }

    /** HTTP status and, when there is one, the error code and message. */
    private static String httpError(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return "HTTP " + e.statusCode() + (code == null ? "" : " " + ServiceErrors.describe(e));
    }

    /** The qualifier (version or alias) at the end of a qualified function ARN. */
    static String qualifier(String functionArn) {
        // arn:aws:lambda:region:account:function:name:qualifier
        String[] parts = functionArn.split(":");
        if (parts.length < 8) {
            throw new IllegalStateException("provisioned concurrency config with an unqualified function ARN: " + functionArn);
        }
        return parts[7];
    }

    private static ResourceResult result(Discovered d, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.LAMBDA, d.region(), d.id(), d.type(), d.name(), outcome, reason);
    }

    private static ResourceResult result(PausedResource r, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.LAMBDA, r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for provisioned concurrency to settle", e);
        }
    }
}
