package dev.awshitbreaks.services;

import dev.awshitbreaks.aws.AwsClients;
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
import java.util.TreeMap;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.redshift.model.Cluster;
import software.amazon.awssdk.services.redshift.model.ClusterNotFoundException;
import software.amazon.awssdk.services.redshift.model.Tag;

/**
 * Amazon Redshift provisioned clusters: available ones are paused (PauseCluster, one call each: there is no batch
 * API) and resumed on resume (ResumeCluster). A database: paused last, resumed first, and compute waits until the
 * resumed clusters are available again ({@link #notReady}). Redshift Serverless workgroups are not clusters and are
 * not listed by DescribeClusters. Clusters AWS documents as impossible to pause (Redshift Management Guide, "Pausing
 * and resuming clusters": hardware security module clusters, clusters with automated snapshots turned off, clusters
 * that are not active) are skipped with the reason; paused (or pausing, deleting) clusters cost no node hours and are
 * not listed. Tags come with DescribeClusters: no call per cluster.
 */
public final class RedshiftPauser implements ResourcePauser {
    /** DescribeClusters' largest page. */
    static final int PAGE = 100;
    /** Statuses that settle on their own: waited for (bounded) before a pause, or before a resume. */
    private static final Set<String> TRANSITIONAL = Set.of("creating", "modifying", "rebooting", "renaming", "resizing",
            "rotating-keys", "updating-hsm", "prep-for-resize", "resize-cleanup", "cancelling-resize", "resuming", "pausing");
    /** Statuses that cost no node hours (or soon none): not listed for a pause. */
    private static final Set<String> NOT_LISTED = Set.of("paused", "pausing", "deleting", "final-snapshot");
    /** What a pause is read back as. */
    private static final Set<String> PAUSED_STATUSES = Set.of("pausing", "paused");
    /** What a resume is read back as. */
    private static final Set<String> RESUMED_STATUSES = Set.of("resuming", "available");

    private final AwsClients clients;
    private final WaitSettings settings;

    public RedshiftPauser(AwsClients clients, WaitSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.REDSHIFT;
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        RedshiftClient redshift = clients.redshift(region);
        List<Cluster> selected = new ArrayList<>();
        List<String> toSettle = new ArrayList<>();
        for (Cluster c : describeAll(redshift).values()) {
            if (NOT_LISTED.contains(c.clusterStatus())) {
                continue;
            }
            Map<String, String> tags = tags(c.tags());
            if (!filter.selects(tags)) {
                continue;
            }
            selected.add(c);
            if (TRANSITIONAL.contains(c.clusterStatus()) && filter.exclusion(c.clusterIdentifier(), tags).isEmpty()
                    && cannotPause(c) == null) {
                toSettle.add(c.clusterIdentifier());
            }
        }
        Map<String, Cluster> settled = toSettle.isEmpty() ? Map.of()
                : settle(redshift, toSettle, TRANSITIONAL::contains);
        Set<String> settling = Set.copyOf(toSettle);
        List<Discovered> out = new ArrayList<>();
        for (Cluster first : selected) {
            Cluster c = settling.contains(first.clusterIdentifier()) ? settled.get(first.clusterIdentifier()) : first;
            if (c == null || NOT_LISTED.contains(c.clusterStatus())) {
                continue; // deleted or paused while we waited
            }
            Map<String, String> tags = tags(c.tags());
            String reason = filter.exclusion(c.clusterIdentifier(), tags).orElseGet(() -> skipReason(c));
            OriginalState original = new OriginalState.RedshiftCluster(c.clusterStatus(), c.nodeType(), c.numberOfNodes());
            Map<String, Object> costBasis = new LinkedHashMap<>();
            costBasis.put(CostBasis.NODE_TYPE, c.nodeType());
            costBasis.put(CostBasis.NUMBER_OF_NODES, c.numberOfNodes());
            costBasis.put(CostBasis.MULTI_AZ, "Enabled".equalsIgnoreCase(c.multiAZ()));
            out.add(new Discovered(ServiceKind.REDSHIFT, region, c.clusterIdentifier(), c.nodeType(), tags.get("Name"), tags,
                    original, reason, costBasis));
        }
        return out;
    }

    private String skipReason(Cluster c) {
        String structural = cannotPause(c);
        if (structural != null) {
            return structural;
        }
        String status = c.clusterStatus();
        if (TRANSITIONAL.contains(status)) {
            return "still " + status + " after waiting " + settings.transitionalWait().toSeconds()
                    + "s; run the pause again once it is available";
        }
        if (!"available".equals(status)) {
            return "status " + status + ": Redshift can only pause an available cluster; repair it, then run the pause again";
        }
        return null;
    }

    /** Why Redshift refuses to pause this cluster whatever its status (Management Guide, "Pausing and resuming clusters"). */
    private static String cannotPause(Cluster c) {
        if (c.hsmStatus() != null && (c.hsmStatus().hsmConfigurationIdentifier() != null
                || c.hsmStatus().hsmClientCertificateIdentifier() != null)) {
            return "hardware security module (HSM) cluster (" + c.hsmStatus().hsmConfigurationIdentifier()
                    + "): Redshift cannot pause an HSM cluster";
        }
        if (c.automatedSnapshotRetentionPeriod() != null && c.automatedSnapshotRetentionPeriod() == 0) {
            return "automated snapshots are turned off (retention period 0): Redshift cannot pause a cluster without "
                    + "automated snapshots; turn them on to pause it";
        }
        return null;
    }

    /**
     * Reads the clusters again, every {@code pollInterval}, until none of them is {@code waiting} or the bounded
     * transitional wait has passed; returns them as they are then (absent: deleted).
     */
    private Map<String, Cluster> settle(RedshiftClient redshift, List<String> ids, Predicate<String> waiting) {
        Map<String, Cluster> current = pick(describeAll(redshift), ids);
        long deadline = System.nanoTime() + settings.transitionalWait().toNanos();
        while (current.values().stream().anyMatch(c -> waiting.test(c.clusterStatus()))
                && System.nanoTime() + settings.pollInterval().toNanos() <= deadline) {
            sleep(settings.pollInterval().toMillis());
            current = pick(describeAll(redshift), ids);
        }
        return current;
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        RedshiftClient redshift = clients.redshift(region);
        List<ResourceResult> out = new ArrayList<>();
        for (Discovered d : eligible) {
            try {
                redshift.pauseCluster(b -> b.clusterIdentifier(d.id()));
                out.add(result(d.region(), d.id(), d.type(), d.name(), Outcome.PAUSED, null));
            } catch (SdkException e) {
                // A retried pause whose first answer was lost finds the cluster already pausing: that is success.
                boolean done = isStateFault(e) && PAUSED_STATUSES.contains(status(redshift, d.id()));
                out.add(result(d.region(), d.id(), d.type(), d.name(), done ? Outcome.PAUSED : Outcome.FAILED,
                        done ? null : ServiceErrors.describe(e)));
            }
        }
        return readBack(redshift, out, PAUSED_STATUSES, "available", "PauseCluster");
    }

    /**
     * The results as read back: each acknowledged one (PAUSED/RESUMED) is kept only when DescribeClusters shows it in
     * {@code done}; one still showing {@code before} is read again within the bounded transitional wait (the read may
     * precede the change); anything else is FAILED with the status Redshift shows.
     */
    private List<ResourceResult> readBack(RedshiftClient redshift, List<ResourceResult> results, Set<String> done,
            String before, String operation) {
        List<String> acknowledged = results.stream()
                .filter(r -> r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED).map(ResourceResult::id).toList();
        if (acknowledged.isEmpty()) {
            return results;
        }
        Map<String, Cluster> seen = settle(redshift, acknowledged, before::equals);
        List<ResourceResult> out = new ArrayList<>();
        for (ResourceResult r : results) {
            Cluster c = seen.get(r.id());
            String status = c == null ? "missing" : c.clusterStatus();
            boolean acked = r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED;
            out.add(!acked || done.contains(status) ? r : new ResourceResult(r.service(), r.region(), r.id(), r.type(), r.name(),
                    Outcome.FAILED, operation + " was acknowledged, but DescribeClusters shows the cluster " + status
                            + (before.equals(status) ? " after waiting " + settings.transitionalWait().toSeconds() + "s" : "")
                            + "; its record stays resumable"));
        }
        return out;
    }

    /** A resumed cluster is ready once it is available again; one that no longer exists has nothing to wait for. */
    @Override
    public Map<String, String> notReady(String region, List<PausedResource> resumed) {
        Map<String, Cluster> now = pick(describeAll(clients.redshift(region)), resumed.stream().map(PausedResource::id).toList());
        Map<String, String> out = new TreeMap<>();
        now.forEach((id, c) -> {
            if (!"available".equals(c.clusterStatus())) {
                out.put(id, c.clusterStatus());
            }
        });
        return out;
    }

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        RedshiftClient redshift = clients.redshift(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, PausedResource> valid = new LinkedHashMap<>();
        for (PausedResource r : records) {
            String was = r.original(OriginalState.RedshiftCluster.class).status();
            if (!"available".equals(was)) {
                out.add(result(r, Outcome.SKIPPED, "was " + was + " before the pause, not available: left as it is"));
            } else {
                valid.put(r.id(), r);
            }
        }
        Map<String, Cluster> now = valid.isEmpty() ? Map.of()
                : settle(redshift, new ArrayList<>(valid.keySet()), s -> TRANSITIONAL.contains(s) && !"resuming".equals(s));
        for (PausedResource r : valid.values()) {
            Cluster c = now.get(r.id());
            String status = c == null ? "missing" : c.clusterStatus();
            switch (status) {
                case "missing", "deleting", "final-snapshot" -> out.add(result(r, Outcome.SKIPPED,
                        "drift: the cluster no longer exists (" + status + "); nothing to resume"));
                case "available", "resuming" -> out.add(result(r, dryRun ? Outcome.SKIPPED : Outcome.RESUMED, "already " + status));
                case "paused" -> {
                    String drift = drift(r.original(OriginalState.RedshiftCluster.class), c);
                    if (dryRun) {
                        out.add(result(r, Outcome.WOULD_RESUME, drift));
                        continue;
                    }
                    try {
                        redshift.resumeCluster(b -> b.clusterIdentifier(r.id()));
                        out.add(result(r, Outcome.RESUMED, drift));
                    } catch (SdkException e) {
                        // A retried resume whose first answer was lost finds the cluster already resuming.
                        boolean done = isStateFault(e) && RESUMED_STATUSES.contains(status(redshift, r.id()));
                        out.add(result(r, done ? Outcome.RESUMED : Outcome.FAILED, done ? drift : ServiceErrors.describe(e)));
                    }
                }
                default -> out.add(result(r, Outcome.FAILED, TRANSITIONAL.contains(status)
                        ? "still " + status + " after waiting " + settings.transitionalWait().toSeconds()
                                + "s; run the resume again once it settles"
                        : "status " + status + ": Redshift can only resume a paused cluster; repair it, then run the resume again"));
            }
        }
        return dryRun ? out : readBack(redshift, out, RESUMED_STATUSES, "paused", "ResumeCluster");
    }

    /** The node type or number of nodes changed since the pause (said, not fought: the cluster is resumed as it is). */
    private static String drift(OriginalState.RedshiftCluster was, Cluster now) {
        List<String> changed = new ArrayList<>();
        if (was.nodeType() != null && !was.nodeType().equals(now.nodeType())) {
            changed.add("node type " + was.nodeType() + " became " + now.nodeType());
        }
        if (was.numberOfNodes() != null && !was.numberOfNodes().equals(now.numberOfNodes())) {
            changed.add("number of nodes " + was.numberOfNodes() + " became " + now.numberOfNodes());
        }
        return changed.isEmpty() ? null : "drift: " + String.join(", ", changed) + " since the pause; resumed as it is now";
    }

    /** Every cluster of the region by identifier (DescribeClusters, 100 a page, every page; tags included). */
    private static Map<String, Cluster> describeAll(RedshiftClient redshift) {
        Map<String, Cluster> out = new LinkedHashMap<>();
        for (var page : redshift.describeClustersPaginator(b -> b.maxRecords(PAGE))) {
            page.clusters().forEach(c -> out.put(c.clusterIdentifier(), c));
        }
        return out;
    }

    private static Map<String, Cluster> pick(Map<String, Cluster> all, List<String> ids) {
        Map<String, Cluster> out = new HashMap<>();
        ids.forEach(id -> {
            if (all.containsKey(id)) {
                out.put(id, all.get(id));
            }
        });
        return out;
    }

    private static String status(RedshiftClient redshift, String id) {
        try {
            return redshift.describeClusters(b -> b.clusterIdentifier(id)).clusters().stream().findFirst()
                    .map(Cluster::clusterStatus).orElse("missing");
        } catch (ClusterNotFoundException e) {
            return "missing";
        }
    }

    /** Redshift's answer to a pause or resume the cluster's current status does not allow. */
    static boolean isStateFault(SdkException e) {
        return e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                && "InvalidClusterState".equals(ase.awsErrorDetails().errorCode());
    }

    static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new HashMap<>();
        if (tags != null) {
            tags.forEach(t -> out.put(t.key(), t.value()));
        }
        return out;
    }

    private static ResourceResult result(String region, String id, String type, String name, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.REDSHIFT, region, id, type, name, outcome, reason);
    }

    private static ResourceResult result(PausedResource r, Outcome outcome, String reason) {
        return result(r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Redshift cluster to settle", e);
        }
    }
}
