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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.NodegroupScalingConfig;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eks.model.Update;

/**
 * EKS managed node groups with a desired size above 0: {@code UpdateNodegroupConfig} sets the scaling configuration
 * to min 0 and desired 0, max unchanged (AWS requires a max of at least 1), and EKS terminates the nodes through the
 * node group's Auto Scaling group, which the brake never changes itself ({@link AutoScalingPauser} skips it). Resume
 * puts min, max and desired back exactly.
 *
 * <p>Listing costs, per region: one ListClusters per 100 clusters, one ListNodegroups per 100 node groups of each
 * cluster, and one DescribeNodegroup per node group (EKS has no batch describe; it returns the tags, the status, the
 * scaling configuration, the instance and capacity types). A pause or resume then costs one UpdateNodegroupConfig and
 * one DescribeNodegroup (the read-back) per node group, more only while an update is still in progress.
 *
 * <p>The update is asynchronous (the node group is UPDATING meanwhile). What is reported is what DescribeNodegroup
 * shows: the scaling configuration asked for, with the status; while it still shows the configuration from before
 * and the node group is UPDATING, it is read again at the poll interval within the bounded transitional wait.
 * A node group that is not ACTIVE (CREATING, UPDATING, DELETING, DEGRADED, CREATE_FAILED, DELETE_FAILED) is skipped:
 * EKS refuses or queues a second update, and one that is being updated is someone else's change in progress.
 */
public final class EksNodegroupPauser implements ResourcePauser {
    static final String TYPE_PREFIX = "managed node group";
    private static final String ACTIVE = "ACTIVE";
    private static final String UPDATING = "UPDATING";
    private static final int PAGE = 100;

    private final AwsClients clients;
    private final WaitSettings settings;

    public EksNodegroupPauser(AwsClients clients, WaitSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.EKS;
    }

    /** A scaling configuration: min, max, desired. */
    record Scaling(Integer min, Integer max, Integer desired) {
        static Scaling of(NodegroupScalingConfig c) {
            return c == null ? new Scaling(null, null, null) : new Scaling(c.minSize(), c.maxSize(), c.desiredSize());
        }

        static Scaling of(OriginalState.EksNodegroup o) {
            return new Scaling(o.minSize(), o.maxSize(), o.desiredSize());
        }

        /** What a pause makes of it: min 0, desired 0, max unchanged. */
        Scaling paused() {
            return new Scaling(0, max, 0);
        }

        /** A configuration EKS accepts: 0 <= min <= desired <= max, max >= 1. */
        boolean valid() {
            return min != null && max != null && desired != null && min >= 0 && max >= 1 && min <= desired && desired <= max;
        }

        @Override
        public String toString() {
            return min + "/" + max + "/" + desired;
        }
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        EksClient eks = clients.eks(region);
        List<Discovered> out = new ArrayList<>();
        for (String cluster : eks.listClustersPaginator(b -> b.maxResults(PAGE)).clusters()) {
            List<String> names = new ArrayList<>();
            try {
                eks.listNodegroupsPaginator(b -> b.clusterName(cluster).maxResults(PAGE)).nodegroups().forEach(names::add);
            } catch (ResourceNotFoundException deletedSinceListed) {
                continue;
            }
            for (String name : names) {
                Nodegroup g;
                try {
                    g = eks.describeNodegroup(b -> b.clusterName(cluster).nodegroupName(name)).nodegroup();
                } catch (ResourceNotFoundException deletedSinceListed) {
                    continue;
                }
                Map<String, String> tags = g.tags() == null ? Map.of() : g.tags();
                Scaling s = Scaling.of(g.scalingConfig());
                if (!filter.selects(tags) || s.desired() == null || s.desired() <= 0) {
                    continue; // a node group of desired 0 runs no nodes: nothing costs, nothing to pause (as an idle group)
                }
                String id = id(cluster, name);
                String reason = filter.exclusion(id, tags).orElseGet(() -> skipReason(g, s));
                OriginalState original = new OriginalState.EksNodegroup(cluster, name, s.min(), s.max(), s.desired());
                Map<String, Object> costBasis = new LinkedHashMap<>();
                costBasis.put(CostBasis.NODE_INSTANCE_TYPES, g.instanceTypes() == null ? List.of() : List.copyOf(g.instanceTypes()));
                costBasis.put(CostBasis.CAPACITY_TYPE, g.capacityTypeAsString());
                costBasis.put(CostBasis.DESIRED_SIZE, s.desired());
                out.add(new Discovered(ServiceKind.EKS, region, id, type(g), name, tags, original, reason, costBasis));
            }
        }
        return out;
    }

    /** {@code <cluster>/<node group>}: node group names are unique within a cluster only. */
    static String id(String cluster, String nodegroup) {
        return cluster + "/" + nodegroup;
    }

    private static String type(Nodegroup g) {
        String types = g.instanceTypes() == null || g.instanceTypes().isEmpty() ? "launch template"
                : String.join(",", g.instanceTypes());
        return TYPE_PREFIX + " " + types + (g.capacityTypeAsString() == null ? "" : " " + g.capacityTypeAsString());
    }

    private static String skipReason(Nodegroup g, Scaling s) {
        String status = g.statusAsString();
        if (!ACTIVE.equals(status)) {
            return "node group status is " + status + (UPDATING.equals(status) ? ": it is being updated" : "")
                    + "; only an ACTIVE node group is paused (run the pause again once it is ACTIVE)";
        }
        if (!s.valid()) {
            return "scaling configuration min/max/desired " + s + " is not one EKS would accept back: left alone";
        }
        return null;
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        EksClient eks = clients.eks(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, Scaling> asked = new HashMap<>();
        Map<String, OriginalState.EksNodegroup> originals = new HashMap<>();
        for (Discovered d : eligible) {
            OriginalState.EksNodegroup o = (OriginalState.EksNodegroup) d.original();
            Scaling was = Scaling.of(o);
            if (o.clusterName() == null || o.nodegroupName() == null || !was.valid()) {
                out.add(result(d, Outcome.FAILED, "discovery recorded no valid cluster/node group/min/max/desired; nothing changed"));
                continue;
            }
            Scaling paused = was.paused();
            ResourceResult r = update(eks, o, paused, result(d, Outcome.PAUSED, null));
            out.add(r);
            if (r.outcome() == Outcome.PAUSED) {
                asked.put(d.id(), paused);
                originals.put(d.id(), o);
            }
        }
        return readBack(eks, out, asked, originals, "pause");
    }

    /** UpdateNodegroupConfig with this scaling configuration: {@code ok} when EKS accepted it, else FAILED with why. */
    private static ResourceResult update(EksClient eks, OriginalState.EksNodegroup o, Scaling to, ResourceResult ok) {
        try {
            Update u = eks.updateNodegroupConfig(b -> b.clusterName(o.clusterName()).nodegroupName(o.nodegroupName())
                    .scalingConfig(c -> c.minSize(to.min()).maxSize(to.max()).desiredSize(to.desired()))).update();
            if (u != null && ("Failed".equals(u.statusAsString()) || "Cancelled".equals(u.statusAsString()))) {
                return result(ok, Outcome.FAILED, "UpdateNodegroupConfig answered update " + u.id() + " " + u.statusAsString()
                        + (u.errors() == null || u.errors().isEmpty() ? "" : ": " + u.errors().stream()
                                .map(e -> e.errorCodeAsString() + " " + e.errorMessage()).toList()));
            }
            return ok;
        } catch (SdkException e) {
            return result(ok, Outcome.FAILED, ServiceErrors.describe(e));
        }
    }

    /**
     * Reads back, with DescribeNodegroup, each node group whose update EKS accepted: reported as it was ({@code PAUSED}
     * or {@code RESUMED}) when it shows the scaling configuration asked for (said so when still UPDATING), read again
     * within the transitional wait while it shows another and is UPDATING, FAILED with what it shows otherwise.
     */
    private List<ResourceResult> readBack(EksClient eks, List<ResourceResult> results, Map<String, Scaling> asked,
            Map<String, OriginalState.EksNodegroup> originals, String what) {
        Map<String, String> why = new HashMap<>();
        Map<String, String> updating = new HashMap<>();
        List<String> pending = new ArrayList<>(asked.keySet());
        long deadline = System.nanoTime() + settings.transitionalWait().toNanos();
        while (true) {
            List<String> again = new ArrayList<>();
            for (String id : pending) {
                OriginalState.EksNodegroup o = originals.get(id);
                Nodegroup g;
                try {
                    g = eks.describeNodegroup(b -> b.clusterName(o.clusterName()).nodegroupName(o.nodegroupName())).nodegroup();
                } catch (ResourceNotFoundException gone) {
                    why.put(id, "UpdateNodegroupConfig was accepted, but DescribeNodegroup no longer finds the node group");
                    continue;
                } catch (SdkException e) {
                    why.put(id, "UpdateNodegroupConfig was accepted, but DescribeNodegroup failed (" + ServiceErrors.describe(e)
                            + "); run the " + what + " again");
                    continue;
                }
                Scaling is = Scaling.of(g.scalingConfig());
                String status = g.statusAsString();
                if (is.equals(asked.get(id))) {
                    why.remove(id);
                    if (UPDATING.equals(status)) {
                        updating.put(id, "scaling configuration " + is + " read back; the node group is still UPDATING");
                    }
                    continue;
                }
                why.put(id, "UpdateNodegroupConfig was accepted, but DescribeNodegroup shows min/max/desired " + is
                        + " (asked " + asked.get(id) + ", status " + status + ")"
                        + ("pause".equals(what) ? "; run the pause again" : "; its record stays resumable"));
                if (UPDATING.equals(status)) {
                    again.add(id);
                }
            }
            if (again.isEmpty() || System.nanoTime() >= deadline) {
                break;
            }
            sleep(settings.pollInterval().toMillis());
            pending = again;
        }
        List<ResourceResult> out = new ArrayList<>();
        for (ResourceResult r : results) {
            String failed = why.get(r.id());
            if (failed != null && asked.containsKey(r.id())) {
                out.add(result(r, Outcome.FAILED, failed));
            } else if (updating.containsKey(r.id())) {
                out.add(result(r, r.outcome(), r.reason() == null ? updating.get(r.id()) : r.reason() + "; " + updating.get(r.id())));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        EksClient eks = clients.eks(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, Scaling> asked = new HashMap<>();
        Map<String, OriginalState.EksNodegroup> originals = new HashMap<>();
        for (PausedResource r : records) {
            OriginalState.EksNodegroup o = r.original(OriginalState.EksNodegroup.class);
            Scaling was = Scaling.of(o);
            if (o.clusterName() == null || o.nodegroupName() == null || !was.valid()) {
                out.add(result(r, Outcome.FAILED, "the snapshot record lacks a valid clusterName/nodegroupName/minSize/maxSize/"
                        + "desiredSize; record left as it is"));
                continue;
            }
            Nodegroup g;
            try {
                g = eks.describeNodegroup(b -> b.clusterName(o.clusterName()).nodegroupName(o.nodegroupName())).nodegroup();
            } catch (ResourceNotFoundException gone) {
                out.add(result(r, Outcome.SKIPPED, "drift: node group " + o.nodegroupName() + " of cluster " + o.clusterName()
                        + " no longer exists; nothing to resume"));
                continue;
            } catch (SdkException e) {
                out.add(result(r, Outcome.FAILED, ServiceErrors.describe(e)));
                continue;
            }
            Scaling is = Scaling.of(g.scalingConfig());
            String status = g.statusAsString();
            if ("DELETING".equals(status)) {
                out.add(result(r, Outcome.SKIPPED, "drift: the node group is being deleted; nothing to resume"));
                continue;
            }
            if (is.equals(was)) {
                out.add(result(r, dryRun ? Outcome.SKIPPED : Outcome.RESUMED, "already min/max/desired " + is + " as recorded"));
                continue;
            }
            if (!is.equals(was.paused())) {
                out.add(result(r, Outcome.SKIPPED, "drift: scaling configuration changed while paused (min/max/desired now " + is
                        + ", recorded " + was + ", paused " + was.paused() + "): left as it is"));
                continue;
            }
            if (!ACTIVE.equals(status)) {
                out.add(result(r, Outcome.FAILED, "node group status is " + status + ": EKS updates only an ACTIVE node group; "
                        + "its record stays resumable (run the resume again once it is ACTIVE)"));
                continue;
            }
            if (dryRun) {
                out.add(result(r, Outcome.WOULD_RESUME, null));
                continue;
            }
            ResourceResult res = update(eks, o, was, result(r, Outcome.RESUMED, null));
            out.add(res);
            if (res.outcome() == Outcome.RESUMED) {
                asked.put(r.id(), was);
                originals.put(r.id(), o);
            }
        }
        return dryRun ? out : readBack(eks, out, asked, originals, "resume");
    }

    private static ResourceResult result(ResourceResult r, Outcome outcome, String reason) {
        return new ResourceResult(r.service(), r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }

    private static ResourceResult result(Discovered d, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.EKS, d.region(), d.id(), d.type(), d.name(), outcome, reason);
    }

    private static ResourceResult result(PausedResource r, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.EKS, r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading back EKS node groups", e);
        }
    }
}
