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
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.SuspendedState;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * ECS services: a service with a desired count above 0 is scaled to 0 (UpdateService) and put back to its
 * recorded desired count on resume. When the service has an Application Auto Scaling target
 * (ecs:service:DesiredCount), scaling would put the tasks straight back, so the target gets MinCapacity 0 and
 * all scaling suspended BEFORE the desired count is set to 0; on resume the desired count is restored FIRST
 * and the target's recorded min, max and SuspendedState after it.
 *
 * <p>Resource id: {@code <cluster name>/<service name>}, unique in a region (the snapshot key carries the
 * region), the exact tail of the scalable target's ResourceId ({@code service/<cluster>/<service>}), and
 * all resume needs to find the service again whatever the account's ARN format.
 */
public final class EcsPauser implements ResourcePauser {
    static final int DESCRIBE_BATCH = 10;
    static final int TARGET_BATCH = 50;
    private static final int LIST_PAGE = 100;
    private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}/[A-Za-z0-9_-]{1,255}");

    private static final SuspendedState ALL_SUSPENDED = SuspendedState.builder()
            .dynamicScalingInSuspended(true).dynamicScalingOutSuspended(true).scheduledScalingSuspended(true).build();

    private final AwsClients clients;

    public EcsPauser(AwsClients clients, WaitSettings settings) {
        this.clients = clients; // ECS has no state that blocks UpdateService: nothing to wait for
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.ECS;
    }

    // ---------------------------------------------------------------- discover

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        EcsClient ecs = clients.ecs(region);
        List<Service> candidates = new ArrayList<>();
        for (var page : ecs.listClustersPaginator(b -> b.maxResults(LIST_PAGE))) {
            for (String clusterArn : page.clusterArns()) {
                try {
                    candidates.addAll(servicesOf(ecs, clusterArn));
                } catch (ClusterNotFoundException gone) {
                    // deleted between ListClusters and ListServices: nothing of it to pause
                }
            }
        }
        List<Service> selected = new ArrayList<>();
        for (Service s : candidates) {
            if ("ACTIVE".equals(s.status()) && s.desiredCount() != null && s.desiredCount() > 0
                    && filter.selects(tags(s))) {
                selected.add(s);
            }
        }
        Map<String, ScalableTarget> targets = scalableTargets(region,
                selected.stream().filter(s -> s.schedulingStrategy() != SchedulingStrategy.DAEMON).map(EcsPauser::id).toList());
        Map<String, TaskDefinition> taskDefinitions = new HashMap<>();
        List<Discovered> out = new ArrayList<>();
        for (Service s : selected) {
            String id = id(s);
            Map<String, String> tags = tags(s);
            String reason = filter.exclusion(id, tags).orElseGet(() -> skipReason(s));
            ScalableTarget t = targets.get(id);
            OriginalState original = t == null ? OriginalState.EcsService.withoutTarget(s.desiredCount())
                    : OriginalState.EcsService.withTarget(s.desiredCount(), new OriginalState.EcsService.ScalableTarget(t.minCapacity(),
                            t.maxCapacity(), suspended(t.suspendedState(), 0), suspended(t.suspendedState(), 1),
                            suspended(t.suspendedState(), 2)));
            out.add(new Discovered(ServiceKind.ECS, region, id, type(s), s.serviceName(), tags, original, reason,
                    costBasis(ecs, s, taskDefinitions)));
        }
        return out;
    }

    /**
     * What the service's tasks cost while they run: Fargate tasks by the task definition's cpu and memory
     * times the desired count (one DescribeTaskDefinition per distinct definition); tasks on EC2 instances
     * are priced as those instances' own rows.
     */
    private static Map<String, Object> costBasis(EcsClient ecs, Service s, Map<String, TaskDefinition> cache) {
        Map<String, Object> basis = new LinkedHashMap<>();
        basis.put(CostBasis.LAUNCH_TYPE, type(s)); // FARGATE, EC2, or the capacity providers
        basis.put(CostBasis.DESIRED_COUNT, s.desiredCount());
        if ("FARGATE".equals(basis.get(CostBasis.LAUNCH_TYPE)) && s.taskDefinition() != null) {
            TaskDefinition td = cache.computeIfAbsent(s.taskDefinition(), arn -> {
                try {
                    return ecs.describeTaskDefinition(b -> b.taskDefinition(arn)).taskDefinition();
                } catch (SdkException e) {
                    return null; // unpriced, said so; never a reason to leave a service unpaused
                }
            });
            if (td != null) {
                basis.put(CostBasis.TASK_CPU, td.cpu());
                basis.put(CostBasis.TASK_MEMORY, td.memory());
            }
        }
        return basis;
    }

    private static String skipReason(Service s) {
        if (s.schedulingStrategy() == SchedulingStrategy.DAEMON) {
            return "DAEMON service: it runs one task per container instance and has no desired count to set; "
                    + "it stops with its cluster's instances";
        }
        return null;
    }

    /** Every service of one cluster, described with its tags (ListServices paginated, DescribeServices by 10). */
    private static List<Service> servicesOf(EcsClient ecs, String clusterArn) {
        List<String> arns = new ArrayList<>();
        for (var page : ecs.listServicesPaginator(b -> b.cluster(clusterArn).maxResults(LIST_PAGE))) {
            arns.addAll(page.serviceArns());
        }
        return describe(ecs, clusterArn, arns);
    }

    private static List<Service> describe(EcsClient ecs, String cluster, List<String> servicesOrArns) {
        List<Service> out = new ArrayList<>();
        for (int from = 0; from < servicesOrArns.size(); from += DESCRIBE_BATCH) {
            List<String> batch = servicesOrArns.subList(from, Math.min(servicesOrArns.size(), from + DESCRIBE_BATCH));
            DescribeServicesResponse r = ecs.describeServices(b -> b.cluster(cluster).services(batch).include(ServiceField.TAGS));
            out.addAll(r.services()); // failures: MISSING services, gone since they were listed
        }
        return out;
    }

    /** The ecs:service:DesiredCount scalable targets of these services, by service id (cluster/service). */
    private Map<String, ScalableTarget> scalableTargets(String region, List<String> serviceIds) {
        Map<String, ScalableTarget> out = new HashMap<>();
        if (serviceIds.isEmpty()) {
            return out;
        }
        ApplicationAutoScalingClient aas = clients.applicationAutoScaling(region);
        for (int from = 0; from < serviceIds.size(); from += TARGET_BATCH) {
            List<String> resourceIds = serviceIds.subList(from, Math.min(serviceIds.size(), from + TARGET_BATCH))
                    .stream().map(EcsPauser::resourceId).toList();
            for (var page : aas.describeScalableTargetsPaginator(b -> b.serviceNamespace(ServiceNamespace.ECS)
                    .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceIds(resourceIds).maxResults(TARGET_BATCH))) {
                for (ScalableTarget t : page.scalableTargets()) {
                    out.put(t.resourceId().substring("service/".length()), t);
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- pause

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        EcsClient ecs = clients.ecs(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, Integer> expected = new HashMap<>();
        for (Discovered d : eligible) {
            ResourceResult r = pauseOne(region, ecs, d);
            out.add(r);
            if (r.outcome() == Outcome.PAUSED) {
                expected.put(r.id(), 0);
            }
        }
        return readBack(ecs, out, expected, "UpdateService desiredCount 0");
    }

    /**
     * What is reported is what was read back: DescribeServices (10 a call, per cluster) must show each changed
     * service at the desiredCount asked for ({@code expected}, by id); one that does not is FAILED with what it shows.
     */
    private static List<ResourceResult> readBack(EcsClient ecs, List<ResourceResult> results, Map<String, Integer> expected,
            String operation) {
        if (expected.isEmpty()) {
            return results;
        }
        Map<String, List<String>> byCluster = new LinkedHashMap<>();
        expected.keySet().forEach(id -> byCluster.computeIfAbsent(id.split("/", 2)[0], c -> new ArrayList<>()).add(id.split("/", 2)[1]));
        Map<String, Service> seen = new HashMap<>();
        for (var e : byCluster.entrySet()) {
            try {
                describe(ecs, e.getKey(), e.getValue()).forEach(sv -> seen.put(id(sv), sv));
            } catch (ClusterNotFoundException gone) {
                // its services are reported as not found below
            }
        }
        List<ResourceResult> out = new ArrayList<>();
        for (ResourceResult r : results) {
            Integer want = expected.get(r.id());
            Service sv = seen.get(r.id());
            if (want == null || sv != null && "ACTIVE".equals(sv.status()) && want.equals(sv.desiredCount())) {
                out.add(r);
                continue;
            }
            out.add(new ResourceResult(r.service(), r.region(), r.id(), r.type(), r.name(), Outcome.FAILED, operation
                    + " was acknowledged, but DescribeServices shows "
                    + (sv == null ? "no such service" : "desiredCount " + sv.desiredCount() + " (status " + sv.status() + ")")
                    + "; its record stays resumable"
                    + (r.reason() == null ? "" : "; " + r.reason())));
        }
        return out;
    }

    private ResourceResult pauseOne(String region, EcsClient ecs, Discovered d) {
        String[] cs = d.id().split("/", 2);
        Optional<OriginalState.EcsService.ScalableTarget> recordedTarget = ((OriginalState.EcsService) d.original()).target();
        boolean hasTarget = recordedTarget.isPresent();
        if (hasTarget) {
            // first: otherwise scaling (MinCapacity, scheduled actions, alarms) puts the tasks straight back
            try {
                clients.applicationAutoScaling(region).registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                        .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(resourceId(d.id()))
                        .minCapacity(0).suspendedState(ALL_SUSPENDED)); // MaxCapacity left as it is
            } catch (SdkException e) {
                return result(d, Outcome.FAILED, "could not suspend its auto scaling (RegisterScalableTarget): "
                        + ServiceErrors.describe(e) + "; the service was not changed");
            }
        }
        try {
            ecs.updateService(b -> b.cluster(cs[0]).service(cs[1]).desiredCount(0));
            return result(d, Outcome.PAUSED, null);
        } catch (SdkException e) {
            String reason = "UpdateService desiredCount 0 failed: " + ServiceErrors.describe(e);
            if (!hasTarget) {
                return result(d, Outcome.FAILED, reason);
            }
            try { // never half-done: put its scaling back as it was
                restoreTarget(region, d.id(), recordedTarget.get());
                return result(d, Outcome.FAILED, reason + "; its auto scaling was put back as it was");
            } catch (SdkException rollback) {
                return result(d, Outcome.FAILED, reason + "; putting its auto scaling back failed too ("
                        + ServiceErrors.describe(rollback) + "): resume restores it");
            }
        }
    }

    // ---------------------------------------------------------------- resume

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        EcsClient ecs = clients.ecs(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, List<PausedResource>> byCluster = new LinkedHashMap<>();
        for (PausedResource r : records) {
            Integer desired = r.original(OriginalState.EcsService.class).desiredCount();
            if (!SERVICE_ID.matcher(r.id()).matches() || desired == null) {
                out.add(result(r, Outcome.FAILED, "the snapshot record is not an ECS service record (id cluster/service "
                        + "and desiredCount); record left as it is"));
            } else if (desired <= 0) {
                out.add(result(r, Outcome.SKIPPED, "desiredCount was " + desired + " before the pause: left as it is"));
            } else {
                byCluster.computeIfAbsent(r.id().split("/", 2)[0], c -> new ArrayList<>()).add(r);
            }
        }
        Map<String, Service> now = new HashMap<>();
        for (var e : byCluster.entrySet()) {
            try {
                describe(ecs, e.getKey(), e.getValue().stream().map(r -> r.id().split("/", 2)[1]).toList())
                        .forEach(s -> now.put(id(s), s));
            } catch (ClusterNotFoundException gone) {
                // every service of it is reported as gone below
            }
        }
        List<PausedResource> valid = byCluster.values().stream().flatMap(List::stream).toList();
        Map<String, ScalableTarget> targets = scalableTargets(region, valid.stream()
                .filter(r -> r.original(OriginalState.EcsService.class).scalableTarget()).map(PausedResource::id).toList());
        Map<String, Integer> expected = new HashMap<>();
        for (PausedResource r : valid) {
            ResourceResult result = resumeOne(region, ecs, r, now.get(r.id()), targets.get(r.id()), dryRun);
            out.add(result);
            Service s = now.get(r.id());
            if (!dryRun && result.outcome() == Outcome.RESUMED && s != null && (s.desiredCount() == null || s.desiredCount() == 0)) {
                expected.put(r.id(), r.original(OriginalState.EcsService.class).desiredCount()); // the count was put back: read it back
            }
        }
        return readBack(ecs, out, expected, "UpdateService desiredCount (as recorded)");
    }

    private ResourceResult resumeOne(String region, EcsClient ecs, PausedResource r, Service s, ScalableTarget t, boolean dryRun) {
        OriginalState.EcsService original = r.original(OriginalState.EcsService.class);
        int recorded = original.desiredCount();
        if (s == null || !"ACTIVE".equals(s.status())) {
            return result(r, Outcome.SKIPPED, "drift: the service no longer exists (" + (s == null ? "missing" : s.status())
                    + "); nothing to resume");
        }
        int current = s.desiredCount() == null ? 0 : s.desiredCount();
        List<String> notes = new ArrayList<>();
        boolean restoreCount = current == 0;
        if (current != 0 && current != recorded) {
            notes.add("drift: desiredCount was set to " + current + " while paused (" + recorded
                    + " before the pause); left at " + current);
        }
        boolean restoreTarget = false;
        Optional<OriginalState.EcsService.ScalableTarget> was = original.target();
        if (was.isPresent()) {
            if (t == null) {
                notes.add("drift: its auto scaling target was deregistered while paused; not registered again");
            } else if (sameAs(t, was.get())) {
                // as it was before the pause (the pause failed before changing it, or it was restored already)
            } else if (asPaused(t, was.get())) {
                restoreTarget = true;
            } else {
                notes.add("drift: its auto scaling target was changed while paused (now min " + t.minCapacity() + ", max "
                        + t.maxCapacity() + ", " + describe(t.suspendedState()) + "); left as it is");
            }
        }
        String reason = notes.isEmpty() ? (restoreCount ? null : "already at desiredCount " + current) : String.join("; ", notes);
        boolean changes = restoreCount || restoreTarget;
        if (dryRun) {
            return result(r, changes ? Outcome.WOULD_RESUME : Outcome.SKIPPED, reason);
        }
        if (!changes) { // nothing of ours left to undo: done if as recorded, skipped (drift) if someone changed it
            return result(r, notes.isEmpty() ? Outcome.RESUMED : Outcome.SKIPPED, reason);
        }
        String[] cs = r.id().split("/", 2);
        if (restoreCount) {
            // first the count, then scaling: re-enabled scaling then starts from the recorded count, already within
            // the recorded min/max, instead of scaling 0 up to min while our UpdateService sets another count
            try {
                ecs.updateService(b -> b.cluster(cs[0]).service(cs[1]).desiredCount(recorded));
            } catch (SdkException e) {
                return result(r, Outcome.FAILED, "UpdateService desiredCount " + recorded + " failed: " + ServiceErrors.describe(e)
                        + (restoreTarget ? "; its auto scaling stays suspended" : ""));
            }
        }
        if (restoreTarget) {
            try {
                restoreTarget(region, r.id(), was.get());
            } catch (SdkException e) {
                return result(r, Outcome.FAILED, (restoreCount ? "desiredCount restored to " + recorded + ", but " : "")
                        + "restoring its auto scaling (RegisterScalableTarget) failed: " + ServiceErrors.describe(e));
            }
        }
        return result(r, Outcome.RESUMED, reason);
    }

    /** RegisterScalableTarget with the recorded min, max and SuspendedState, exactly. */
    private void restoreTarget(String region, String id, OriginalState.EcsService.ScalableTarget o) {
        clients.applicationAutoScaling(region).registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(resourceId(id))
                .minCapacity(o.minCapacity()).maxCapacity(o.maxCapacity())
                .suspendedState(SuspendedState.builder()
                        .dynamicScalingInSuspended(o.dynamicScalingInSuspended())
                        .dynamicScalingOutSuspended(o.dynamicScalingOutSuspended())
                        .scheduledScalingSuspended(o.scheduledScalingSuspended()).build()));
    }

    private static boolean sameAs(ScalableTarget t, OriginalState.EcsService.ScalableTarget o) {
        SuspendedState st = t.suspendedState();
        return Objects.equals(t.minCapacity(), o.minCapacity()) && Objects.equals(t.maxCapacity(), o.maxCapacity())
                && suspended(st, 0) == o.dynamicScalingInSuspended()
                && suspended(st, 1) == o.dynamicScalingOutSuspended()
                && suspended(st, 2) == o.scheduledScalingSuspended();
    }

    /** As the pause left it: min 0, the recorded max, everything suspended. */
    private static boolean asPaused(ScalableTarget t, OriginalState.EcsService.ScalableTarget o) {
        SuspendedState st = t.suspendedState();
        return Objects.equals(t.minCapacity(), 0) && Objects.equals(t.maxCapacity(), o.maxCapacity())
                && suspended(st, 0) && suspended(st, 1) && suspended(st, 2);
    }

    private static boolean suspended(SuspendedState st, int which) {
        if (st == null) {
            return false;
        }
        Boolean b = switch (which) {
            case 0 -> st.dynamicScalingInSuspended();
            case 1 -> st.dynamicScalingOutSuspended();
            default -> st.scheduledScalingSuspended();
        };
        return Boolean.TRUE.equals(b);
    }

    private static String describe(SuspendedState st) {
        return "suspended: scale-in " + suspended(st, 0) + ", scale-out " + suspended(st, 1) + ", scheduled " + suspended(st, 2);
    }

    // ---------------------------------------------------------------- helpers

    private static String id(Service s) {
        return clusterName(s.clusterArn()) + "/" + s.serviceName();
    }

    private static String clusterName(String clusterArn) {
        return clusterArn.substring(clusterArn.lastIndexOf('/') + 1);
    }

    private static String resourceId(String serviceId) {
        return "service/" + serviceId;
    }

    private static String type(Service s) {
        if (s.launchType() != null) {
            return s.launchTypeAsString();
        }
        if (s.hasCapacityProviderStrategy() && !s.capacityProviderStrategy().isEmpty()) {
            return String.join("+", s.capacityProviderStrategy().stream().map(CapacityProviderStrategyItem::capacityProvider).toList());
        }
        return "cluster default capacity provider";
    }

    private static Map<String, String> tags(Service s) {
        Map<String, String> out = new HashMap<>();
        if (s.hasTags()) {
            s.tags().forEach(t -> out.put(t.key(), t.value()));
        }
        return out;
    }

    private static ResourceResult result(Discovered d, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.ECS, d.region(), d.id(), d.type(), d.name(), outcome, reason);
    }

    private static ResourceResult result(PausedResource r, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.ECS, r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }
}
