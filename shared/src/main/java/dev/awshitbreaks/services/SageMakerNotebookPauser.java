package dev.awshitbreaks.services;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.SageMakerApi;
import dev.awshitbreaks.aws.SageMakerApi.NotebookInstance;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.cost.CostBasis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Amazon SageMaker notebook instances: InService ones are stopped (StopNotebookInstance: SageMaker terminates the ML
 * compute instance and keeps its ML storage volume) and started again on resume (StartNotebookInstance). Stopped,
 * Stopping and Deleting instances cost no instance hours and are not listed; Pending and Updating ones are waited for
 * (bounded), then skipped with the reason if still so; Failed ones are skipped with the reason. ListNotebookInstances
 * does not carry tags: the protect and stack tags cost one ListTags call per notebook instance that is not stopped.
 * SageMaker's API is called through {@link SageMakerApi} (signed JSON; the SDK module is not served here).
 */
public final class SageMakerNotebookPauser implements ResourcePauser {
    /** Statuses that settle on their own: waited for (bounded). */
    private static final Set<String> TRANSITIONAL = Set.of("Pending", "Updating", "Stopping");
    /** Statuses that cost no instance hours (or soon none): not listed for a pause. */
    private static final Set<String> NOT_LISTED = Set.of("Stopped", "Stopping", "Deleting");
    private static final Set<String> PAUSED_STATUSES = Set.of("Stopping", "Stopped");
    private static final Set<String> RESUMED_STATUSES = Set.of("Pending", "InService");

    private final AwsClients clients;
    private final WaitSettings settings;

    public SageMakerNotebookPauser(AwsClients clients, WaitSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.SAGEMAKER_NOTEBOOKS;
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        SageMakerApi sageMaker = clients.sageMaker(region);
        Map<String, Map<String, String>> tagsByName = new HashMap<>();
        List<NotebookInstance> selected = new ArrayList<>();
        List<String> toSettle = new ArrayList<>();
        for (NotebookInstance n : sageMaker.listNotebookInstances()) {
            if (NOT_LISTED.contains(n.status())) {
                continue;
            }
            Map<String, String> tags;
            try {
                tags = sageMaker.listTags(n.arn());
            } catch (SageMakerApi.Failure e) {
                if (e.notFound()) {
                    continue; // deleted since listed
                }
                throw e;
            }
            if (!filter.selects(tags)) {
                continue;
            }
            tagsByName.put(n.name(), tags);
            selected.add(n);
            if (TRANSITIONAL.contains(n.status()) && filter.exclusion(n.name(), tags).isEmpty()) {
                toSettle.add(n.name());
            }
        }
        Map<String, NotebookInstance> settled = toSettle.isEmpty() ? Map.of()
                : settle(sageMaker, toSettle, TRANSITIONAL::contains);
        Set<String> settling = Set.copyOf(toSettle);
        List<Discovered> out = new ArrayList<>();
        for (NotebookInstance first : selected) {
            NotebookInstance n = settling.contains(first.name()) ? settled.get(first.name()) : first;
            if (n == null || NOT_LISTED.contains(n.status())) {
                continue; // deleted or stopped while we waited
            }
            Map<String, String> tags = tagsByName.get(n.name());
            String reason = filter.exclusion(n.name(), tags).orElseGet(() -> skipReason(n));
            Map<String, Object> costBasis = new LinkedHashMap<>();
            costBasis.put(CostBasis.NOTEBOOK_INSTANCE_TYPE, n.instanceType());
            out.add(new Discovered(ServiceKind.SAGEMAKER_NOTEBOOKS, region, n.name(), n.instanceType(), tags.get("Name"), tags,
                    new OriginalState.NotebookInstance(n.status(), n.instanceType()), reason, costBasis));
        }
        return out;
    }

    private String skipReason(NotebookInstance n) {
        if (TRANSITIONAL.contains(n.status())) {
            return "still " + n.status() + " after waiting " + settings.transitionalWait().toSeconds()
                    + "s; run the pause again once it is InService";
        }
        if (!"InService".equals(n.status())) {
            return "status " + n.status() + ": SageMaker can only stop an InService notebook instance";
        }
        return null;
    }

    /** Lists the region's notebook instances again until none of these is {@code waiting} or the bounded wait passed. */
    private Map<String, NotebookInstance> settle(SageMakerApi sageMaker, List<String> names, Predicate<String> waiting) {
        Map<String, NotebookInstance> current = pick(sageMaker.listNotebookInstances(), names);
        long deadline = System.nanoTime() + settings.transitionalWait().toNanos();
        while (current.values().stream().anyMatch(n -> waiting.test(n.status()))
                && System.nanoTime() + settings.pollInterval().toNanos() <= deadline) {
            sleep(settings.pollInterval().toMillis());
            current = pick(sageMaker.listNotebookInstances(), names);
        }
        return current;
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        SageMakerApi sageMaker = clients.sageMaker(region);
        List<ResourceResult> out = new ArrayList<>();
        for (Discovered d : eligible) {
            try {
                sageMaker.stopNotebookInstance(d.id());
                out.add(result(d.region(), d.id(), d.type(), d.name(), Outcome.PAUSED, null));
            } catch (RuntimeException e) {
                // A retried stop whose first answer was lost finds the instance already stopping: that is success.
                boolean done = PAUSED_STATUSES.contains(status(sageMaker, d.id()));
                out.add(result(d.region(), d.id(), d.type(), d.name(), done ? Outcome.PAUSED : Outcome.FAILED,
                        done ? null : describe(e)));
            }
        }
        return readBack(sageMaker, out, PAUSED_STATUSES, "InService", "StopNotebookInstance");
    }

    /**
     * The results as read back: each acknowledged one (PAUSED/RESUMED) is kept only when ListNotebookInstances shows it
     * in {@code done}; one still showing {@code before} is read again within the bounded transitional wait; anything
     * else is FAILED with the status SageMaker shows.
     */
    private List<ResourceResult> readBack(SageMakerApi sageMaker, List<ResourceResult> results, Set<String> done,
            String before, String operation) {
        List<String> acknowledged = results.stream()
                .filter(r -> r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED).map(ResourceResult::id).toList();
        if (acknowledged.isEmpty()) {
            return results;
        }
        Map<String, NotebookInstance> seen = settle(sageMaker, acknowledged, before::equals);
        List<ResourceResult> out = new ArrayList<>();
        for (ResourceResult r : results) {
            NotebookInstance n = seen.get(r.id());
            String status = n == null ? "missing" : n.status();
            boolean acked = r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED;
            out.add(!acked || done.contains(status) ? r : new ResourceResult(r.service(), r.region(), r.id(), r.type(), r.name(),
                    Outcome.FAILED, operation + " was acknowledged, but ListNotebookInstances shows the notebook instance "
                            + status + (before.equals(status) ? " after waiting " + settings.transitionalWait().toSeconds() + "s" : "")
                            + "; its record stays resumable"));
        }
        return out;
    }

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        SageMakerApi sageMaker = clients.sageMaker(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, PausedResource> valid = new LinkedHashMap<>();
        for (PausedResource r : records) {
            String was = r.original(OriginalState.NotebookInstance.class).status();
            if (!"InService".equals(was)) {
                out.add(result(r, Outcome.SKIPPED, "was " + was + " before the pause, not InService: left as it is"));
            } else {
                valid.put(r.id(), r);
            }
        }
        Map<String, NotebookInstance> now = valid.isEmpty() ? Map.of()
                : settle(sageMaker, new ArrayList<>(valid.keySet()), s -> "Stopping".equals(s) || "Updating".equals(s));
        for (PausedResource r : valid.values()) {
            NotebookInstance n = now.get(r.id());
            String status = n == null ? "missing" : n.status();
            switch (status) {
                case "missing", "Deleting" -> out.add(result(r, Outcome.SKIPPED,
                        "drift: the notebook instance no longer exists (" + status + "); nothing to resume"));
                case "InService", "Pending" -> out.add(result(r, dryRun ? Outcome.SKIPPED : Outcome.RESUMED, "already " + status));
                case "Stopped" -> {
                    String was = r.original(OriginalState.NotebookInstance.class).instanceType();
                    String drift = was != null && !was.equals(n.instanceType())
                            ? "drift: instance type changed from " + was + " to " + n.instanceType()
                                    + " since the pause; started as it is now"
                            : null;
                    if (dryRun) {
                        out.add(result(r, Outcome.WOULD_RESUME, drift));
                        continue;
                    }
                    try {
                        sageMaker.startNotebookInstance(r.id());
                        out.add(result(r, Outcome.RESUMED, drift));
                    } catch (RuntimeException e) {
                        boolean done = RESUMED_STATUSES.contains(status(sageMaker, r.id()));
                        out.add(result(r, done ? Outcome.RESUMED : Outcome.FAILED, done ? drift : describe(e)));
                    }
                }
                default -> out.add(result(r, Outcome.FAILED, TRANSITIONAL.contains(status)
                        ? "still " + status + " after waiting " + settings.transitionalWait().toSeconds()
                                + "s; run the resume again once it settles"
                        : "status " + status + ": SageMaker can only start a Stopped notebook instance; repair it, then run "
                                + "the resume again"));
            }
        }
        return dryRun ? out : readBack(sageMaker, out, RESUMED_STATUSES, "Stopped", "StartNotebookInstance");
    }

    private static Map<String, NotebookInstance> pick(List<NotebookInstance> all, List<String> names) {
        Set<String> wanted = Set.copyOf(names);
        Map<String, NotebookInstance> out = new HashMap<>();
        all.stream().filter(n -> wanted.contains(n.name())).forEach(n -> out.put(n.name(), n));
        return out;
    }

    /** Its status now (DescribeNotebookInstance); "missing" when it no longer exists, "unknown" when unreadable. */
    private static String status(SageMakerApi sageMaker, String name) {
        try {
            return sageMaker.describeNotebookInstance(name).status();
        } catch (SageMakerApi.Failure e) {
            return e.notFound() ? "missing" : "unknown";
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static String describe(RuntimeException e) {
        return e instanceof SageMakerApi.Failure ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static ResourceResult result(String region, String id, String type, String name, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.SAGEMAKER_NOTEBOOKS, region, id, type, name, outcome, reason);
    }

    private static ResourceResult result(PausedResource r, Outcome outcome, String reason) {
        return result(r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a notebook instance to settle", e);
        }
    }
}
