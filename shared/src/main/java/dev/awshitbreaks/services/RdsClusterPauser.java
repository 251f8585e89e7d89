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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.BlueGreenDeployment;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.GlobalCluster;
import software.amazon.awssdk.services.rds.model.GlobalClusterMember;

/**
 * DB clusters listed by the RDS API (Aurora MySQL/PostgreSQL, Neptune, DocumentDB): available ones are stopped
 * with StopDBCluster, which stops every instance of the cluster, and started again with StartDBCluster. Aurora
 * Serverless v1, multi-master and parallel query clusters, global database members, clusters in a blue/green
 * deployment and Multi-AZ DB clusters (non-Aurora) cannot be stopped and are skipped with a reason.
 */
public final class RdsClusterPauser implements ResourcePauser {
    private static final Set<String> TRANSITIONAL = Set.of("starting", "stopping", "modifying", "backing-up", "creating",
            "maintenance", "upgrading", "renaming", "rebooting", "resetting-master-credentials", "failing-over", "promoting",
            "backtracking", "migrating", "preparing-data-migration", "update-iam-db-auth", "storage-optimization");
    private static final Set<String> NOT_LISTED = Set.of("stopped", "deleting");
    /** Engines whose DB clusters are Multi-AZ DB clusters of RDS, not Aurora/Neptune/DocumentDB. */
    private static final Set<String> MULTI_AZ_DB_CLUSTER_ENGINES = Set.of("mysql", "postgres");

    private final AwsClients clients;
    private final WaitSettings settings;

    public RdsClusterPauser(AwsClients clients, WaitSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.AURORA;
    }

    /** Cluster-wide facts that forbid stopping a cluster: its global database, its blue/green deployment. */
    private record Memberships(Map<String, String> globalByArn, Map<String, String> blueGreenByArn) {
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        RdsClient rds = clients.rds(region);
        List<DBCluster> selected = new ArrayList<>();
        for (DBCluster c : describe(rds, List.of())) {
            if (NOT_LISTED.contains(c.status()) || !filter.selects(RdsInstancePauser.tags(c.tagList()))) {
                continue;
            }
            selected.add(c);
        }
        if (selected.isEmpty()) {
            return List.of();
        }
        Memberships memberships = memberships(rds);
        List<String> toSettle = selected.stream()
                .filter(c -> TRANSITIONAL.contains(c.status()))
                .filter(c -> filter.exclusion(c.dbClusterIdentifier(), RdsInstancePauser.tags(c.tagList())).isEmpty())
                .filter(c -> cannotStop(c, memberships) == null)
                .map(DBCluster::dbClusterIdentifier).toList();
        Set<String> settling = Set.copyOf(toSettle);
        Map<String, DBCluster> settled = settle(rds, toSettle);
        Map<String, List<String>> memberClasses = memberClasses(rds);
        List<Discovered> out = new ArrayList<>();
        for (DBCluster first : selected) {
            DBCluster c = settling.contains(first.dbClusterIdentifier()) ? settled.get(first.dbClusterIdentifier()) : first;
            if (c == null || NOT_LISTED.contains(c.status())) {
                continue; // deleted or stopped while we waited
            }
            Map<String, String> tags = RdsInstancePauser.tags(c.tagList());
            String reason = filter.exclusion(c.dbClusterIdentifier(), tags).orElseGet(() -> skipReason(c, memberships));
            OriginalState original = new OriginalState.AuroraCluster(c.status(), c.engine(), c.engineMode(),
                    c.dbClusterResourceId());
            Map<String, Object> costBasis = new LinkedHashMap<>();
            costBasis.put(CostBasis.ENGINE, c.engine());
            costBasis.put(CostBasis.MEMBER_CLASSES, memberClasses.getOrDefault(c.dbClusterIdentifier(), List.of()));
            out.add(new Discovered(ServiceKind.AURORA, region, c.dbClusterIdentifier(), c.engine(), tags.get("Name"),
                    tags, original, reason, costBasis));
        }
        return out;
    }

    /** The instance classes of every cluster's members, by cluster id, for pricing (one paginated call). */
    private static Map<String, List<String>> memberClasses(RdsClient rds) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        for (var page : rds.describeDBInstancesPaginator(b -> b.maxRecords(100))) {
            for (var i : page.dbInstances()) {
                if (i.dbClusterIdentifier() != null) {
                    out.computeIfAbsent(i.dbClusterIdentifier(), k -> new ArrayList<>()).add(i.dbInstanceClass());
                }
            }
        }
        return out;
    }

    private String skipReason(DBCluster c, Memberships memberships) {
        String structural = cannotStop(c, memberships);
        if (structural != null) {
            return structural;
        }
        if (TRANSITIONAL.contains(c.status())) {
            return "still " + c.status() + " after waiting " + settings.transitionalWait().toSeconds()
                    + "s; run the pause again once it is available";
        }
        if (!"available".equals(c.status())) {
            return "status " + c.status() + ": RDS can only stop an available DB cluster; repair it, then run the pause again";
        }
        return null;
    }

    /** Why RDS refuses to stop this cluster whatever its status, if it does (Aurora User Guide, stopping a cluster). */
    private static String cannotStop(DBCluster c, Memberships memberships) {
        String mode = c.engineMode() == null ? "provisioned" : c.engineMode();
        switch (mode) {
            case "serverless" -> {
                return "Aurora Serverless v1: RDS cannot stop it (it pauses itself when auto-pause is on)";
            }
            case "multimaster" -> {
                return "Aurora multi-master cluster: RDS cannot stop it";
            }
            case "parallelquery" -> {
                return "Aurora parallel query cluster: RDS cannot stop it";
            }
            default -> {
            }
        }
        String global = c.globalClusterIdentifier() != null ? c.globalClusterIdentifier()
                : memberships.globalByArn().get(c.dbClusterArn());
        if (global != null) {
            return "member of Aurora global database " + global + ": RDS cannot stop a global database member";
        }
        String blueGreen = memberships.blueGreenByArn().get(c.dbClusterArn());
        if (blueGreen != null) {
            return "part of blue/green deployment " + blueGreen + ": RDS cannot stop a cluster in a blue/green deployment";
        }
        if (c.engine() != null && MULTI_AZ_DB_CLUSTER_ENGINES.contains(c.engine())) {
            return "Multi-AZ DB cluster (" + c.engine() + "): RDS does not support stopping Multi-AZ DB clusters";
        }
        return null;
    }

    private static Memberships memberships(RdsClient rds) {
        Map<String, String> global = new HashMap<>();
        for (var page : rds.describeGlobalClustersPaginator(b -> b.maxRecords(100))) {
            for (GlobalCluster g : page.globalClusters()) {
                for (GlobalClusterMember m : g.globalClusterMembers()) {
                    global.put(m.dbClusterArn(), g.globalClusterIdentifier());
                }
            }
        }
        Map<String, String> blueGreen = new HashMap<>();
        for (var page : rds.describeBlueGreenDeploymentsPaginator(b -> { })) {
            for (BlueGreenDeployment d : page.blueGreenDeployments()) {
                String label = d.blueGreenDeploymentName() + " (" + d.blueGreenDeploymentIdentifier() + ", " + d.status() + ")";
                if (d.source() != null) {
                    blueGreen.put(d.source(), label);
                }
                if (d.target() != null) {
                    blueGreen.put(d.target(), label);
                }
            }
        }
        return new Memberships(global, blueGreen);
    }

    /** Waits, bounded, for clusters in a transitional status to settle; returns them as they are then (absent: gone). */
    private Map<String, DBCluster> settle(RdsClient rds, List<String> ids) {
        Map<String, DBCluster> current = describeIds(rds, ids);
        long deadline = System.nanoTime() + settings.transitionalWait().toNanos();
        while (System.nanoTime() < deadline) {
            List<String> waiting = current.values().stream().filter(c -> TRANSITIONAL.contains(c.status()))
                    .map(DBCluster::dbClusterIdentifier).toList();
            if (waiting.isEmpty()) {
                break;
            }
            sleep(settings.pollInterval().toMillis());
            Map<String, DBCluster> fresh = describeIds(rds, waiting);
            waiting.forEach(current::remove);
            current.putAll(fresh);
        }
        return current;
    }

    /**
     * Stops each cluster. StopDBCluster's response is not read (moto returns the status from before the call);
     * resume reads every cluster fresh.
     */
    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        RdsClient rds = clients.rds(region);
        List<ResourceResult> out = new ArrayList<>();
        for (Discovered d : eligible) {
            try {
                rds.stopDBCluster(b -> b.dbClusterIdentifier(d.id()));
                out.add(result(d.region(), d.id(), d.type(), d.name(), Outcome.PAUSED, null));
            } catch (SdkException e) {
                // A retried stop whose first answer was lost finds the cluster already stopping: that is success.
                boolean done = RdsInstancePauser.isStateFault(e) && Set.of("stopping", "stopped").contains(status(rds, d.id()));
                out.add(result(d.region(), d.id(), d.type(), d.name(), done ? Outcome.PAUSED : Outcome.FAILED,
                        done ? null : ServiceErrors.describe(e)));
            }
        }
        return readBack(rds, out, Set.of("stopping", "stopped")::contains, "available", "StopDBCluster");
    }

    /** What a start is read back as: starting, available, or on its way there (not stopping or stopped). */
    private static boolean startedStatus(String status) {
        return "available".equals(status) || TRANSITIONAL.contains(status) && !"stopping".equals(status);
    }

    /**
     * The results as read back: each acknowledged one (PAUSED/RESUMED) is kept only when DescribeDBClusters (100
     * identifiers a call) shows it {@code done}; one still showing {@code before} is read again within the bounded
     * transitional wait (the read may precede the change); anything else is FAILED with the status RDS shows.
     */
    private List<ResourceResult> readBack(RdsClient rds, List<ResourceResult> results,
            java.util.function.Predicate<String> done, String before, String operation) {
        List<String> acknowledged = results.stream()
                .filter(r -> r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED).map(ResourceResult::id).toList();
        if (acknowledged.isEmpty()) {
            return results;
        }
        Map<String, DBCluster> seen = describeIds(rds, acknowledged);
        long deadline = System.nanoTime() + settings.transitionalWait().toNanos();
        while (System.nanoTime() + settings.pollInterval().toNanos() <= deadline) {
            List<String> waiting = acknowledged.stream()
                    .filter(id -> seen.containsKey(id) && before.equals(seen.get(id).status())).toList();
            if (waiting.isEmpty()) {
                break;
            }
            sleep(settings.pollInterval().toMillis());
            seen.putAll(describeIds(rds, waiting));
        }
        List<ResourceResult> out = new ArrayList<>();
        for (ResourceResult r : results) {
            DBCluster c = seen.get(r.id());
            String status = c == null ? "missing" : c.status();
            boolean acked = r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED;
            out.add(!acked || done.test(status) ? r : new ResourceResult(r.service(), r.region(), r.id(), r.type(), r.name(),
                    Outcome.FAILED, operation + " was acknowledged, but DescribeDBClusters shows the DB cluster " + status
                            + (before.equals(status) ? " after waiting " + settings.transitionalWait().toSeconds() + "s" : "")
                            + "; its record stays resumable"));
        }
        return out;
    }

    private static String status(RdsClient rds, String id) {
        DBCluster c = describeIds(rds, List.of(id)).get(id);
        return c == null ? "missing" : c.status();
    }

    /** A started database is ready once it is available again; one that no longer exists has nothing to wait for. */
    @Override
    public Map<String, String> notReady(String region, List<PausedResource> resumed) {
        List<String> ids = resumed.stream().map(PausedResource::id).toList();
        Map<String, String> out = new java.util.TreeMap<>();
        describeIds(clients.rds(region), ids).forEach((id, db) -> {
            if (!"available".equals(db.status())) {
                out.put(id, db.status());
            }
        });
        return out;
    }

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        RdsClient rds = clients.rds(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, PausedResource> valid = new LinkedHashMap<>();
        for (PausedResource r : records) {
            if (!RdsInstancePauser.DB_IDENTIFIER.matcher(r.id()).matches()) {
                out.add(result(r, Outcome.FAILED, "the snapshot record's id is not a DB cluster identifier; record left as it is"));
            } else if (!"available".equals(r.original(OriginalState.AuroraCluster.class).status())) {
                out.add(result(r, Outcome.SKIPPED, "was " + r.original(OriginalState.AuroraCluster.class).status()
                        + " before the pause, not available: left as it is"));
            } else {
                valid.put(r.id(), r);
            }
        }
        Map<String, DBCluster> now = settle(rds, new ArrayList<>(valid.keySet()));
        for (PausedResource r : valid.values()) {
            DBCluster c = now.get(r.id());
            String status = c == null ? "missing" : c.status();
            String originalResource = r.original(OriginalState.AuroraCluster.class).resourceId();
            if (c != null && originalResource != null && c.dbClusterResourceId() != null
                    && !originalResource.equals(c.dbClusterResourceId())) {
                out.add(result(r, Outcome.SKIPPED, "drift: " + r.id() + " is now a different DB cluster (resource id "
                        + originalResource + " became " + c.dbClusterResourceId() + "); not ours to start"));
                continue;
            }
            switch (status) {
                case "missing", "deleting" ->
                        out.add(result(r, Outcome.SKIPPED, "drift: the DB cluster no longer exists (" + status + "); nothing to resume"));
                case "available" -> out.add(result(r, dryRun ? Outcome.SKIPPED : Outcome.RESUMED, "already available"));
                case "stopped" -> {
                    String drift = null;
                    String originalEngine = r.original(OriginalState.AuroraCluster.class).engine();
                    if (originalEngine != null && !originalEngine.equals(c.engine())) {
                        drift = "drift: engine changed from " + originalEngine + " to " + c.engine()
                                + " since the pause; started as it is now";
                    }
                    if (dryRun) {
                        out.add(result(r, Outcome.WOULD_RESUME, drift));
                        continue;
                    }
                    try {
                        rds.startDBCluster(b -> b.dbClusterIdentifier(r.id()));
                        out.add(result(r, Outcome.RESUMED, drift));
                    } catch (SdkException e) {
                        // A retried start whose first answer was lost finds the cluster already starting.
                        boolean done = RdsInstancePauser.isStateFault(e)
                                && Set.of("starting", "available").contains(status(rds, r.id()));
                        out.add(result(r, done ? Outcome.RESUMED : Outcome.FAILED, done ? drift : ServiceErrors.describe(e)));
                    }
                }
                default -> out.add(result(r, Outcome.FAILED, TRANSITIONAL.contains(status)
                        ? "still " + status + " after waiting " + settings.transitionalWait().toSeconds()
                                + "s; run the resume again once it settles"
                        : "status " + status + ": RDS can only start a stopped DB cluster; repair it, then run the resume again"));
            }
        }
        return dryRun ? out : readBack(rds, out, RdsClusterPauser::startedStatus, "stopped", "StartDBCluster");
    }

    private static List<DBCluster> describe(RdsClient rds, List<Filter> filters) {
        List<DBCluster> out = new ArrayList<>();
        for (var page : rds.describeDBClustersPaginator(b -> {
            if (!filters.isEmpty()) {
                b.filters(filters);
            }
            b.maxRecords(100);
        })) {
            out.addAll(page.dbClusters());
        }
        return out;
    }

    /** Describes clusters by identifier without failing on ones that no longer exist (a filter, not DBClusterIdentifier). */
    private static Map<String, DBCluster> describeIds(RdsClient rds, List<String> ids) {
        Map<String, DBCluster> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += RdsInstancePauser.FILTER_VALUES) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + RdsInstancePauser.FILTER_VALUES));
            for (DBCluster c : describe(rds, List.of(Filter.builder().name("db-cluster-id").values(chunk).build()))) {
                out.put(c.dbClusterIdentifier(), c);
            }
        }
        return out;
    }

    private static ResourceResult result(String region, String id, String type, String name, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.AURORA, region, id, type, name, outcome, reason);
    }

    private static ResourceResult result(PausedResource r, Outcome outcome, String reason) {
        return result(r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for RDS resources to settle", e);
        }
    }
}
