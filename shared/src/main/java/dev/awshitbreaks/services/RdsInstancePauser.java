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
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * RDS DB instances: available ones are stopped (StopDBInstance, one call each: there is no batch API) and
 * started again on resume. Members of a DB cluster (Aurora, Neptune, DocumentDB, Multi-AZ DB clusters) are
 * not listed at all: their cluster is paused by {@link RdsClusterPauser}. Read replicas, sources of read
 * replicas and Multi-AZ SQL Server cannot be stopped and are skipped with a reason.
 */
public final class RdsInstancePauser implements ResourcePauser {
    /** DB instance and cluster identifiers: a letter, then letters, digits and hyphens, up to 63 characters. */
    static final Pattern DB_IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,62}");
    /** Values per DescribeDBInstances filter. */
    static final int FILTER_VALUES = 100;
    /** Statuses that settle on their own; RDS stops only an available instance, so these are waited for. */
    private static final Set<String> TRANSITIONAL = Set.of("starting", "stopping", "modifying", "backing-up", "rebooting",
            "renaming", "maintenance", "upgrading", "creating", "configuring-enhanced-monitoring",
            "configuring-iam-database-auth", "configuring-log-exports", "configuring-activity-stream",
            "resetting-master-credentials", "storage-optimization", "storage-initialization", "storage-config-upgrade",
            "moving-to-vpc", "converting-to-vpc");
    /** Statuses that cost no instance hours (or soon none): not listed. */
    private static final Set<String> NOT_LISTED = Set.of("stopped", "deleting");
    /** Engine families StopDBInstance supports (RDS User Guide, "Stopping an Amazon RDS DB instance temporarily"). */
    private static final List<String> STOPPABLE_ENGINES = List.of("mariadb", "mysql", "postgres", "oracle", "sqlserver",
            "db2", "custom-");

    private final AwsClients clients;
    private final WaitSettings settings;

    public RdsInstancePauser(AwsClients clients, WaitSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.RDS;
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        RdsClient rds = clients.rds(region);
        List<DBInstance> selected = new ArrayList<>();
        List<String> toSettle = new ArrayList<>();
        for (DBInstance i : describe(rds, List.of())) {
            if (i.dbClusterIdentifier() != null || NOT_LISTED.contains(i.dbInstanceStatus())) {
                continue; // a cluster member belongs to its cluster; a stopped instance costs no instance hours
            }
            Map<String, String> tags = tags(i.tagList());
            if (!filter.selects(tags)) {
                continue;
            }
            selected.add(i);
            if (TRANSITIONAL.contains(i.dbInstanceStatus()) && filter.exclusion(i.dbInstanceIdentifier(), tags).isEmpty()
                    && cannotStop(i) == null) {
                toSettle.add(i.dbInstanceIdentifier());
            }
        }
        Map<String, DBInstance> settled = settle(rds, toSettle);
        Set<String> settling = Set.copyOf(toSettle);
        List<Discovered> out = new ArrayList<>();
        for (DBInstance first : selected) {
            DBInstance i = settling.contains(first.dbInstanceIdentifier()) ? settled.get(first.dbInstanceIdentifier()) : first;
            if (i == null || i.dbClusterIdentifier() != null || NOT_LISTED.contains(i.dbInstanceStatus())) {
                continue; // deleted, stopped or joined to a cluster while we waited
            }
            Map<String, String> tags = tags(i.tagList());
            String reason = filter.exclusion(i.dbInstanceIdentifier(), tags).orElseGet(() -> skipReason(i));
            OriginalState original = new OriginalState.RdsInstance(i.dbInstanceStatus(), i.dbInstanceClass(), i.engine(),
                    i.dbiResourceId());
            Map<String, Object> costBasis = new LinkedHashMap<>();
            costBasis.put(CostBasis.DB_INSTANCE_CLASS, i.dbInstanceClass());
            costBasis.put(CostBasis.ENGINE, i.engine());
            costBasis.put(CostBasis.MULTI_AZ, Boolean.TRUE.equals(i.multiAZ()));
            out.add(new Discovered(ServiceKind.RDS, region, i.dbInstanceIdentifier(), i.dbInstanceClass(), tags.get("Name"),
                    tags, original, reason, costBasis));
        }
        return out;
    }

    private String skipReason(DBInstance i) {
        String structural = cannotStop(i);
        if (structural != null) {
            return structural;
        }
        String status = i.dbInstanceStatus();
        if (TRANSITIONAL.contains(status)) {
            return "still " + status + " after waiting " + settings.transitionalWait().toSeconds()
                    + "s; run the pause again once it is available";
        }
        if (!"available".equals(status)) {
            return "status " + status + ": RDS can only stop an available DB instance; repair it, then run the pause again";
        }
        return null;
    }

    /** Why RDS refuses to stop this instance whatever its status, if it does. */
    private static String cannotStop(DBInstance i) {
        if (i.readReplicaSourceDBInstanceIdentifier() != null) {
            return "read replica of " + i.readReplicaSourceDBInstanceIdentifier()
                    + ": RDS cannot stop a read replica (delete or promote it to save its cost)";
        }
        if (i.readReplicaSourceDBClusterIdentifier() != null) {
            return "read replica of DB cluster " + i.readReplicaSourceDBClusterIdentifier() + ": RDS cannot stop a read replica";
        }
        List<String> replicas = new ArrayList<>(i.readReplicaDBInstanceIdentifiers());
        replicas.addAll(i.readReplicaDBClusterIdentifiers());
        if (!replicas.isEmpty()) {
            return "source of read replicas " + String.join(", ", replicas)
                    + ": RDS cannot stop a DB instance that has read replicas";
        }
        String engine = i.engine() == null ? "" : i.engine();
        if (engine.contains("sqlserver") && Boolean.TRUE.equals(i.multiAZ())) {
            return "SQL Server Multi-AZ (" + engine + "): RDS cannot stop a Multi-AZ SQL Server DB instance";
        }
        if (STOPPABLE_ENGINES.stream().noneMatch(engine::startsWith)) {
            return "engine " + engine + " cannot be stopped with StopDBInstance";
        }
        return null;
    }

    /** Waits, bounded, for instances in a transitional status to settle; returns them as they are then (absent: gone). */
    private Map<String, DBInstance> settle(RdsClient rds, List<String> ids) {
        Map<String, DBInstance> current = describeIds(rds, ids);
        long deadline = System.nanoTime() + settings.transitionalWait().toNanos();
        while (System.nanoTime() < deadline) {
            List<String> waiting = current.values().stream().filter(i -> TRANSITIONAL.contains(i.dbInstanceStatus()))
                    .map(DBInstance::dbInstanceIdentifier).toList();
            if (waiting.isEmpty()) {
                break;
            }
            RdsClusterPauser.sleep(settings.pollInterval().toMillis());
            Map<String, DBInstance> fresh = describeIds(rds, waiting);
            waiting.forEach(id -> current.remove(id));
            current.putAll(fresh);
        }
        return current;
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        RdsClient rds = clients.rds(region);
        List<ResourceResult> out = new ArrayList<>();
        for (Discovered d : eligible) {
            try {
                rds.stopDBInstance(b -> b.dbInstanceIdentifier(d.id()));
                out.add(result(d.region(), d.id(), d.type(), d.name(), Outcome.PAUSED, null));
            } catch (SdkException e) {
                // A retried stop whose first answer was lost finds the instance already stopping: that is success.
                boolean done = isStateFault(e) && Set.of("stopping", "stopped").contains(status(rds, d.id()));
                out.add(result(d.region(), d.id(), d.type(), d.name(), done ? Outcome.PAUSED : Outcome.FAILED,
                        done ? null : ServiceErrors.describe(e)));
            }
        }
        return readBack(rds, out, PAUSED_STATUSES, "available", "StopDBInstance");
    }

    /** What a stop is read back as: stopping or stopped. */
    private static final Set<String> PAUSED_STATUSES = Set.of("stopping", "stopped");

    /** What a start is read back as: starting, available, or on its way there (not stopping or stopped). */
    private static boolean startedStatus(String status) {
        return "available".equals(status) || TRANSITIONAL.contains(status) && !"stopping".equals(status);
    }

    /**
     * The results as read back: each acknowledged one (PAUSED/RESUMED) is kept only when DescribeDBInstances
     * (100 ids a call) shows it in {@code done}; one still showing {@code before} is read again within the bounded
     * transitional wait (the read may precede the change); anything else is FAILED with the status RDS shows.
     */
    private List<ResourceResult> readBack(RdsClient rds, List<ResourceResult> results, Set<String> done, String before,
            String operation) {
        return readBack(rds, results, done::contains, before, operation);
    }

    private List<ResourceResult> readBack(RdsClient rds, List<ResourceResult> results,
            java.util.function.Predicate<String> done, String before, String operation) {
        List<String> acknowledged = results.stream()
                .filter(r -> r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED).map(ResourceResult::id).toList();
        if (acknowledged.isEmpty()) {
            return results;
        }
        Map<String, DBInstance> seen = describeIds(rds, acknowledged);
        long deadline = System.nanoTime() + settings.transitionalWait().toNanos();
        while (System.nanoTime() + settings.pollInterval().toNanos() <= deadline) {
            List<String> waiting = acknowledged.stream()
                    .filter(id -> seen.containsKey(id) && before.equals(seen.get(id).dbInstanceStatus())).toList();
            if (waiting.isEmpty()) {
                break;
            }
            RdsClusterPauser.sleep(settings.pollInterval().toMillis());
            seen.putAll(describeIds(rds, waiting));
        }
        List<ResourceResult> out = new ArrayList<>();
        for (ResourceResult r : results) {
            DBInstance i = seen.get(r.id());
            String status = i == null ? "missing" : i.dbInstanceStatus();
            boolean acked = r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED;
            out.add(!acked || done.test(status) ? r : new ResourceResult(r.service(), r.region(), r.id(), r.type(), r.name(),
                    Outcome.FAILED, operation + " was acknowledged, but DescribeDBInstances shows the DB instance " + status
                            + (before.equals(status) ? " after waiting " + settings.transitionalWait().toSeconds() + "s" : "")
                            + "; its record stays resumable"));
        }
        return out;
    }

    /** A started database is ready once it is available again; one that no longer exists has nothing to wait for. */
    @Override
    public Map<String, String> notReady(String region, List<PausedResource> resumed) {
        List<String> ids = resumed.stream().map(PausedResource::id).toList();
        Map<String, String> out = new java.util.TreeMap<>();
        describeIds(clients.rds(region), ids).forEach((id, db) -> {
            if (!"available".equals(db.dbInstanceStatus())) {
                out.put(id, db.dbInstanceStatus());
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
            if (!DB_IDENTIFIER.matcher(r.id()).matches()) {
                out.add(result(r, Outcome.FAILED, "the snapshot record's id is not a DB instance identifier; record left as it is"));
            } else if (!"available".equals(r.original(OriginalState.RdsInstance.class).status())) {
                out.add(result(r, Outcome.SKIPPED, "was " + r.original(OriginalState.RdsInstance.class).status()
                        + " before the pause, not available: left as it is"));
            } else {
                valid.put(r.id(), r);
            }
        }
        Map<String, DBInstance> now = settle(rds, new ArrayList<>(valid.keySet()));
        for (PausedResource r : valid.values()) {
            DBInstance i = now.get(r.id());
            String status = i == null ? "missing" : i.dbInstanceStatus();
            String originalResource = r.original(OriginalState.RdsInstance.class).resourceId();
            if (i != null && originalResource != null && i.dbiResourceId() != null && !originalResource.equals(i.dbiResourceId())) {
                out.add(result(r, Outcome.SKIPPED, "drift: " + r.id() + " is now a different DB instance (resource id "
                        + originalResource + " became " + i.dbiResourceId() + "); not ours to start"));
                continue;
            }
            switch (status) {
                case "missing", "deleting", "deleted" ->
                        out.add(result(r, Outcome.SKIPPED, "drift: the DB instance no longer exists (" + status + "); nothing to resume"));
                case "available" -> out.add(result(r, dryRun ? Outcome.SKIPPED : Outcome.RESUMED, "already available"));
                case "stopped" -> {
                    String drift = null;
                    String originalClass = r.original(OriginalState.RdsInstance.class).dbInstanceClass();
                    if (originalClass != null && !originalClass.equals(i.dbInstanceClass())) {
                        drift = "drift: instance class changed from " + originalClass + " to " + i.dbInstanceClass()
                                + " since the pause; started as it is now";
                    }
                    if (dryRun) {
                        out.add(result(r, Outcome.WOULD_RESUME, drift));
                        continue;
                    }
                    try {
                        rds.startDBInstance(b -> b.dbInstanceIdentifier(r.id()));
                        out.add(result(r, Outcome.RESUMED, drift));
                    } catch (SdkException e) {
                        // A retried start whose first answer was lost finds the instance already starting.
                        boolean done = isStateFault(e) && Set.of("starting", "available").contains(status(rds, r.id()));
                        out.add(result(r, done ? Outcome.RESUMED : Outcome.FAILED, done ? drift : ServiceErrors.describe(e)));
                    }
                }
                default -> out.add(result(r, Outcome.FAILED, TRANSITIONAL.contains(status)
                        ? "still " + status + " after waiting " + settings.transitionalWait().toSeconds()
                                + "s; run the resume again once it settles"
                        : "status " + status + ": RDS can only start a stopped DB instance; repair it, then run the resume again"));
            }
        }
        return dryRun ? out : readBack(rds, out, RdsInstancePauser::startedStatus, "stopped", "StartDBInstance");
    }

    private static List<DBInstance> describe(RdsClient rds, List<Filter> filters) {
        List<DBInstance> out = new ArrayList<>();
        for (var page : rds.describeDBInstancesPaginator(b -> {
            if (!filters.isEmpty()) {
                b.filters(filters);
            }
            b.maxRecords(100);
        })) {
            out.addAll(page.dbInstances());
        }
        return out;
    }

    /** Describes instances by identifier without failing on ones that no longer exist (a filter, not DBInstanceIdentifier). */
    /** RDS's answer to a stop or start the instance's current status does not allow. */
    static boolean isStateFault(SdkException e) {
        return e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException ase && ase.awsErrorDetails() != null
                && ase.awsErrorDetails().errorCode() != null && ase.awsErrorDetails().errorCode().startsWith("InvalidDB")
                && ase.awsErrorDetails().errorCode().contains("State");
    }

    private static String status(RdsClient rds, String id) {
        DBInstance i = describeIds(rds, List.of(id)).get(id);
        return i == null ? "missing" : i.dbInstanceStatus();
    }

    private static Map<String, DBInstance> describeIds(RdsClient rds, List<String> ids) {
        Map<String, DBInstance> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += FILTER_VALUES) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + FILTER_VALUES));
            for (DBInstance i : describe(rds, List.of(Filter.builder().name("db-instance-id").values(chunk).build()))) {
                out.put(i.dbInstanceIdentifier(), i);
            }
        }
        return out;
    }

    static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new HashMap<>();
        if (tags != null) {
            tags.forEach(t -> out.put(t.key(), t.value()));
        }
        return out;
    }

    private static ResourceResult result(String region, String id, String type, String name, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.RDS, region, id, type, name, outcome, reason);
    }

    private static ResourceResult result(PausedResource r, Outcome outcome, String reason) {
        return result(r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }
}
