package dev.awshitbreaks.services;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Lambda functions throttled: reserved concurrency 0 ({@code PutFunctionConcurrency}), so nothing invokes them
 * while paused. The pause records the function's reserved concurrency, or that it had none; the resume puts the
 * same value back ({@code PutFunctionConcurrency}) or removes the throttle ({@code DeleteFunctionConcurrency}).
 * Every outcome is the function's reserved concurrency read back ({@code GetFunctionConcurrency}).
 *
 * <p>Discovery: ListFunctions (50 a page), then per function ListTags (the tags: protect, stack, filters) and,
 * for a function not left alone by its tags, GetFunctionConcurrency: about {@code pages + 2 x functions} calls a
 * region. A function already at reserved concurrency 0 is skipped ("already throttled"); the stack's own
 * functions (tag {@code aws-hit-breaks:stack}) and protected ones are skipped by {@link ResourceFilter}.
 *
 * <p>Order: AWS refuses provisioned concurrency above a function's reserved concurrency, so this kind is paused
 * after the provisioned-concurrency kind ({@link ServiceKind#LAMBDA}) and resumed before it (the {@code database}
 * phase of {@link ServiceKind#LAMBDA_THROTTLE}); it has nothing to wait for, so no readiness check.
 */
public final class LambdaThrottlePauser implements ResourcePauser {
    static final String TYPE = "function";
    private static final int PAGE = 50;

    private final AwsClients clients;

    public LambdaThrottlePauser(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.LAMBDA_THROTTLE;
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        LambdaClient lambda = clients.lambda(region);
        List<Discovered> out = new ArrayList<>();
        for (FunctionConfiguration fn : lambda.listFunctionsPaginator(b -> b.maxItems(PAGE)).functions()) {
            String name = fn.functionName();
            Map<String, String> tags;
            try {
                tags = lambda.listTags(b -> b.resource(fn.functionArn())).tags();
            } catch (ResourceNotFoundException deletedSinceListed) {
                continue;
            }
            if (!filter.selects(tags)) {
                continue;
            }
            String excluded = filter.exclusion(name, tags).orElse(null);
            if (excluded != null) {
                out.add(new Discovered(ServiceKind.LAMBDA_THROTTLE, region, name, TYPE, name, tags, null, excluded));
                continue;
            }
            Integer reserved;
            try {
                reserved = lambda.getFunctionConcurrency(b -> b.functionName(name)).reservedConcurrentExecutions();
            } catch (ResourceNotFoundException deletedSinceListed) {
                continue;
            }
            if (reserved != null && reserved == 0) {
                out.add(new Discovered(ServiceKind.LAMBDA_THROTTLE, region, name, TYPE, name, tags, null,
                        "already throttled (reserved concurrency 0): nothing to change"));
                continue;
            }
            out.add(new Discovered(ServiceKind.LAMBDA_THROTTLE, region, name, TYPE, name, tags,
                    new OriginalState.LambdaFunctionConcurrency(name, reserved != null, reserved), null));
        }
        return out;
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        LambdaClient lambda = clients.lambda(region);
        List<ResourceResult> out = new ArrayList<>();
        for (Discovered d : eligible) {
            OriginalState.LambdaFunctionConcurrency o = (OriginalState.LambdaFunctionConcurrency) d.original();
            String fn = o.functionName();
            try {
                lambda.putFunctionConcurrency(b -> b.functionName(fn).reservedConcurrentExecutions(0));
            } catch (SdkException e) {
                out.add(result(d.region(), d.id(), d.name(), Outcome.FAILED, ServiceErrors.describe(e)
                        + "; not throttled"));
                continue;
            }
            out.add(readBack(lambda, d.region(), d.id(), d.name(), fn, 0, Outcome.PAUSED, "PutFunctionConcurrency 0"));
        }
        return out;
    }

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        LambdaClient lambda = clients.lambda(region);
        List<ResourceResult> out = new ArrayList<>();
        for (PausedResource r : records) {
            OriginalState.LambdaFunctionConcurrency o = r.original(OriginalState.LambdaFunctionConcurrency.class);
            out.add(resumeOne(lambda, r, o, dryRun));
        }
        return out;
    }

    private ResourceResult resumeOne(LambdaClient lambda, PausedResource r, OriginalState.LambdaFunctionConcurrency o,
            boolean dryRun) {
        String fn = o.functionName();
        boolean had = Boolean.TRUE.equals(o.reserved());
        Integer recorded = o.reservedConcurrentExecutions();
        if (had && (recorded == null || recorded < 1)) {
            return result(r.region(), r.id(), r.name(), Outcome.FAILED, "the snapshot record says reserved concurrency "
                    + "but not a positive reservedConcurrentExecutions; record left as it is");
        }
        Integer now;
        try {
            now = lambda.getFunctionConcurrency(b -> b.functionName(fn)).reservedConcurrentExecutions();
        } catch (ResourceNotFoundException e) {
            return result(r.region(), r.id(), r.name(), Outcome.SKIPPED, "drift: function " + fn
                    + " no longer exists (" + ServiceErrors.describe(e) + "); nothing to resume");
        } catch (SdkException e) {
            return result(r.region(), r.id(), r.name(), Outcome.FAILED, ServiceErrors.describe(e));
        }
        Integer wanted = had ? recorded : null;
        if (java.util.Objects.equals(now, wanted)) {
            return result(r.region(), r.id(), r.name(), dryRun ? Outcome.SKIPPED : Outcome.RESUMED,
                    "already " + describe(now));
        }
        if (now == null || now != 0) {
            return result(r.region(), r.id(), r.name(), Outcome.SKIPPED, "drift: " + describe(now)
                    + " was set since the pause (recorded " + describe(wanted) + "): left as it is");
        }
        if (dryRun) {
            return result(r.region(), r.id(), r.name(), Outcome.WOULD_RESUME, null);
        }
        try {
            if (had) {
                lambda.putFunctionConcurrency(b -> b.functionName(fn).reservedConcurrentExecutions(recorded));
            } else {
                lambda.deleteFunctionConcurrency(b -> b.functionName(fn));
            }
        } catch (ResourceNotFoundException e) {
            return result(r.region(), r.id(), r.name(), Outcome.SKIPPED, "drift: function " + fn
                    + " no longer exists (" + ServiceErrors.describe(e) + "); nothing to resume");
        } catch (SdkException e) {
            return result(r.region(), r.id(), r.name(), Outcome.FAILED, ServiceErrors.describe(e)
                    + "; still throttled, its record stays resumable");
        }
        return readBack(lambda, r.region(), r.id(), r.name(), fn, wanted, Outcome.RESUMED,
                had ? "PutFunctionConcurrency " + recorded : "DeleteFunctionConcurrency");
    }

    /** The outcome as GetFunctionConcurrency shows it: {@code success} when it reads {@code expected}, else failed. */
    private static ResourceResult readBack(LambdaClient lambda, String region, String id, String name, String fn,
            Integer expected, Outcome success, String call) {
        try {
            Integer seen = lambda.getFunctionConcurrency(b -> b.functionName(fn)).reservedConcurrentExecutions();
            if (java.util.Objects.equals(seen, expected)) {
                return result(region, id, name, success, null);
            }
            return result(region, id, name, Outcome.FAILED, call + " was acknowledged, but GetFunctionConcurrency shows "
                    + describe(seen) + "; run it again");
        } catch (SdkException e) {
            return result(region, id, name, Outcome.FAILED, call + " was acknowledged, but GetFunctionConcurrency failed ("
                    + ServiceErrors.describe(e) + "); run it again");
        }
    }

    private static String describe(Integer reserved) {
        return reserved == null ? "no reserved concurrency" : "reserved concurrency " + reserved;
    }

    private static ResourceResult result(String region, String id, String name, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.LAMBDA_THROTTLE, region, id, TYPE, name, outcome, reason);
    }
}
