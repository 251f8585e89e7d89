package dev.awshitbreaks.services;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.cost.CostBasis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Filter;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.SuspendedProcess;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;

/**
 * EC2 Auto Scaling groups with a desired capacity above 0: the processes that could bring instances back
 * are suspended, then the group is set to min 0 and desired 0 (max unchanged) so it terminates its own
 * instances. Resume sets min, max and desired back exactly and resumes only the processes the pause
 * suspended; processes someone else had suspended before stay suspended.
 *
 * <p>Which processes, and in which order. {@link #PAUSE_PROCESSES} are suspended <em>before</em> the
 * capacity change, so no scheduled action, alarm, rebalance or health replacement can raise the capacity
 * again between the two calls:
 * <ul>
 *   <li>Launch: nothing is launched while paused, even if someone raises the desired capacity.</li>
 *   <li>AlarmNotification, ScheduledActions: scaling policies and scheduled actions would set the
 *       capacity back up.</li>
 *   <li>HealthCheck, ReplaceUnhealthy, AZRebalance, InstanceRefresh: each replaces instances, which
 *       means launches.</li>
 * </ul>
 * Terminate is never suspended: the group must still terminate its instances to reach desired 0. A group
 * whose Terminate process is already suspended cannot scale in, so it is skipped with a reason.
 * AddToLoadBalancer is not suspended either: nothing launches while Launch is suspended, and instances
 * launched while AddToLoadBalancer is suspended are never registered with the load balancer afterwards.
 */
public final class AutoScalingPauser implements ResourcePauser {
    /** The processes a pause suspends (those not already suspended), in the order given to SuspendProcesses. */
    static final List<String> PAUSE_PROCESSES = List.of(
            "Launch", "AlarmNotification", "ScheduledActions", "AZRebalance", "ReplaceUnhealthy", "HealthCheck",
            "InstanceRefresh");
    private static final int PAGE = 100;

    private final AwsClients clients;
    /**
     * Instances protected from scale-in per group ({@code region/name}), as the discovery of this target saw them,
     * so the pause that follows needs no second DescribeAutoScalingGroups (issue #8: calls at the floor).
     */
    private final Map<String, Long> protectedSeen = new java.util.concurrent.ConcurrentHashMap<>();

    public AutoScalingPauser(AwsClients clients, WaitSettings settings) {
        this.clients = clients;
        // No transitional wait: UpdateAutoScalingGroup is asynchronous and accepted in any group state
        // except deletion, which is skipped; the instances terminate on the group's own schedule.
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.AUTOSCALING;
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        List<Discovered> out = new ArrayList<>();
        List<Filter> filters = new ArrayList<>();
        // required tags are filtered by Auto Scaling itself (fewer pages); filter.selects() below still checks them
        filter.tags().forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        protectedSeen.keySet().removeIf(k -> k.startsWith(region + "/")); // only this discovery's view counts
        for (AutoScalingGroup g : describeAll(clients.autoScaling(region), filters)) {
            Map<String, String> tags = tags(g.tags());
            if (!filter.selects(tags) || g.desiredCapacity() == null || g.desiredCapacity() <= 0) {
                continue;
            }
            String reason = filter.exclusion(g.autoScalingGroupName(), tags).orElseGet(() -> skipReason(g, tags));
            OriginalState original = new OriginalState.AutoScalingGroup(g.minSize(), g.maxSize(), g.desiredCapacity(),
                    suspended(g));
            // what the pause stops is what it saves: each instance at its type's price, except those protected from
            // scale in when the group is paused (desired 0 cannot terminate them): each of those is a row of its own,
            // skipped as still running with its own cost, which the savings do not count
            List<Instance> running = g.instances().stream()
                    .filter(i -> i.lifecycleStateAsString() == null || !i.lifecycleStateAsString().startsWith("Terminat"))
                    .toList();
            List<Instance> kept = reason != null ? List.of()
                    : running.stream().filter(i -> Boolean.TRUE.equals(i.protectedFromScaleIn())).toList();
            List<String> instanceTypes = running.stream().filter(i -> !kept.contains(i)).map(Instance::instanceType).toList();
            out.add(new Discovered(ServiceKind.AUTOSCALING, region, g.autoScalingGroupName(), type(g),
                    g.autoScalingGroupName(), tags, original, reason, Map.of(CostBasis.INSTANCE_TYPES, instanceTypes)));
            for (Instance i : kept) {
                out.add(new Discovered(ServiceKind.AUTOSCALING, region, i.instanceId(), "instance " + i.instanceType(),
                        g.autoScalingGroupName(), Map.of(), null, stillRunning(g.autoScalingGroupName()),
                        Map.of(CostBasis.INSTANCE_TYPES, java.util.Collections.singletonList(i.instanceType()))));
            }
            protectedSeen.put(region + "/" + g.autoScalingGroupName(), protectedFromScaleIn(g));
        }
        return out;
    }

    /**
     * The reason on the row of an instance protected from scale in of a group the pause scales to 0: it keeps running
     * (Auto Scaling never terminates a protected instance on scale in, whatever the desired capacity).
     */
    static String stillRunning(String group) {
        return "still running: protected from scale in, so pausing its Auto Scaling group " + group
                + " (desired 0) cannot terminate it; remove its protection to stop it (aws autoscaling set-instance-protection"
                + " --no-protected-from-scale-in), or stop it yourself";
    }

    private static String skipReason(AutoScalingGroup g, Map<String, String> tags) {
        // EKS tags the Auto Scaling group of a managed node group with eks:cluster-name and eks:nodegroup-name; its
        // capacity is EKS's to set (UpdateNodegroupConfig), which would put back what the group is changed to here
        String nodeGroup = tags.get("eks:nodegroup-name");
        if (nodeGroup != null) {
            String cluster = tags.get("eks:cluster-name");
            return "Auto Scaling group of EKS managed node group " + nodeGroup + (cluster == null ? "" : " (cluster " + cluster + ")")
                    + ": left to EKS; scale the node group itself (aws eks update-nodegroup-config)";
        }
        if (g.status() != null && !g.status().isBlank()) {
            return "group status is '" + g.status() + "': left alone";
        }
        if (suspended(g).contains("Terminate")) {
            return "its Terminate process is suspended, so it cannot scale in to 0; resume Terminate "
                    + "(aws autoscaling resume-processes --scaling-processes Terminate) and pause again";
        }
        return null;
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        AutoScalingClient asg = clients.autoScaling(region);
        Map<String, Long> protectedInstances = new HashMap<>();
        List<String> unseen = new ArrayList<>();
        for (Discovered d : eligible) {
            Long seen = protectedSeen.remove(region + "/" + d.id());
            if (seen == null) {
                unseen.add(d.id());
            } else {
                protectedInstances.put(d.id(), seen);
            }
        }
        if (!unseen.isEmpty()) { // not discovered by this pauser just before (another instance, a test)
            describe(asg, unseen).forEach(g -> protectedInstances.put(g.autoScalingGroupName(), protectedFromScaleIn(g)));
        }
        List<ResourceResult> out = new ArrayList<>();
        for (Discovered d : eligible) {
            Set<String> before = processes(((OriginalState.AutoScalingGroup) d.original()).suspendedProcesses());
            if (before == null) {
                out.add(result(d, Outcome.FAILED, "discovery recorded no list of suspended processes; nothing changed"));
                continue;
            }
            List<String> toSuspend = toSuspend(before);
            long kept = protectedInstances.getOrDefault(d.id(), 0L);
            try {
                if (!toSuspend.isEmpty()) { // an empty list would suspend every process, Terminate included
                    asg.suspendProcesses(b -> b.autoScalingGroupName(d.id()).scalingProcesses(toSuspend));
                }
                asg.updateAutoScalingGroup(b -> b.autoScalingGroupName(d.id()).minSize(0).desiredCapacity(0));
                out.add(result(d, Outcome.PAUSED, kept == 0 ? null : kept + " instance(s) still running: protected from "
                        + "scale in, the group cannot terminate them (each reported on its own row, with its cost)"));
            } catch (SdkException e) {
                out.add(result(d, Outcome.FAILED, ServiceErrors.describe(e)));
            }
        }
        // what is reported is what was read back: min 0, desired 0 and the pause's processes suspended
        return readBack(asg, out, (g, rec) -> {
            Set<String> suspendedNow = Set.copyOf(suspended(g));
            List<String> missing = PAUSE_PROCESSES.stream().filter(p -> !suspendedNow.contains(p)).toList();
            if (g.minSize() == 0 && g.desiredCapacity() == 0 && missing.isEmpty()) {
                return null;
            }
            return "SuspendProcesses and UpdateAutoScalingGroup were acknowledged, but DescribeAutoScalingGroups shows min/max/desired "
                    + new Capacity(g.minSize(), g.maxSize(), g.desiredCapacity())
                    + (missing.isEmpty() ? "" : " with " + String.join(", ", missing) + " not suspended") + "; run the pause again";
        });
    }

    /**
     * Reads back, in one DescribeAutoScalingGroups per 100 names, each group reported PAUSED or RESUMED; {@code check}
     * says why what it shows is not what was asked (null: it is), and the result becomes FAILED with that reason.
     */
    private List<ResourceResult> readBack(AutoScalingClient asg, List<ResourceResult> results,
            java.util.function.BiFunction<AutoScalingGroup, ResourceResult, String> check) {
        List<String> changed = results.stream().filter(r -> r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED)
                .map(ResourceResult::id).toList();
        if (changed.isEmpty()) {
            return results;
        }
        Map<String, AutoScalingGroup> seen = new HashMap<>();
        describe(asg, changed).forEach(g -> seen.put(g.autoScalingGroupName(), g));
        List<ResourceResult> out = new ArrayList<>();
        for (ResourceResult r : results) {
            if (r.outcome() != Outcome.PAUSED && r.outcome() != Outcome.RESUMED) {
                out.add(r);
                continue;
            }
            AutoScalingGroup g = seen.get(r.id());
            String why = g == null ? "the change was acknowledged, but DescribeAutoScalingGroups no longer shows the group"
                    : check.apply(g, r);
            out.add(why == null ? r : new ResourceResult(r.service(), r.region(), r.id(), r.type(), r.name(), Outcome.FAILED, why));
        }
        return out;
    }

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        AutoScalingClient asg = clients.autoScaling(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, PausedResource> valid = new LinkedHashMap<>();
        Map<String, Capacity> recorded = new HashMap<>();
        for (PausedResource r : records) {
            Capacity c = Capacity.of(r);
            if (c == null || r.original(OriginalState.AutoScalingGroup.class).suspendedProcesses() == null) {
                out.add(result(r, Outcome.FAILED, "the snapshot record lacks a valid minSize/maxSize/desiredCapacity/"
                        + "suspendedProcesses; record left as it is"));
            } else {
                valid.put(r.id(), r);
                recorded.put(r.id(), c);
            }
        }
        Map<String, Expected> expected = new HashMap<>();
        Map<String, AutoScalingGroup> now = new HashMap<>();
        if (!valid.isEmpty()) {
            describe(asg, new ArrayList<>(valid.keySet())).forEach(g -> now.put(g.autoScalingGroupName(), g));
        }
        for (PausedResource r : valid.values()) {
            AutoScalingGroup g = now.get(r.id());
            if (g == null || (g.status() != null && !g.status().isBlank())) {
                out.add(result(r, Outcome.SKIPPED, "drift: the group no longer exists"
                        + (g == null ? "" : " (status '" + g.status() + "')") + "; nothing to resume"));
                continue;
            }
            Capacity was = recorded.get(r.id());
            Capacity is = new Capacity(g.minSize(), g.maxSize(), g.desiredCapacity());
            boolean restore = is.equals(was.paused());
            String drift = restore || is.equals(was) ? null
                    : "drift: capacity changed while paused (min/max/desired now " + is + ", recorded " + was
                            + ", paused " + was.paused() + "): left as it is; the processes the pause suspended were resumed";
            List<String> toResume = toSuspend(processes(r.original(OriginalState.AutoScalingGroup.class).suspendedProcesses()));
            if (dryRun) {
                out.add(result(r, Outcome.WOULD_RESUME, drift == null ? null : drift.replace("were resumed", "would be resumed")));
                continue;
            }
            try {
                if (restore) {
                    asg.updateAutoScalingGroup(b -> b.autoScalingGroupName(r.id())
                            .minSize(was.min()).maxSize(was.max()).desiredCapacity(was.desired()));
                }
                if (!toResume.isEmpty()) { // an empty list would resume every process
                    asg.resumeProcesses(b -> b.autoScalingGroupName(r.id()).scalingProcesses(toResume));
                }
                out.add(result(r, Outcome.RESUMED, drift));
                expected.put(r.id(), new Expected(restore ? was : null, toResume));
            } catch (SdkException e) {
                out.add(result(r, Outcome.FAILED, ServiceErrors.describe(e)));
            }
        }
        if (dryRun) {
            return out;
        }
        // what is reported is what was read back: the recorded capacity (when it was put back) and the processes resumed
        return readBack(asg, out, (g, res) -> {
            Expected e = expected.get(res.id());
            if (e == null) {
                return null;
            }
            Capacity is = new Capacity(g.minSize(), g.maxSize(), g.desiredCapacity());
            List<String> stillSuspended = suspended(g).stream().filter(e.resumed()::contains).toList();
            if ((e.capacity() == null || e.capacity().equals(is)) && stillSuspended.isEmpty()) {
                return null;
            }
            return "UpdateAutoScalingGroup and ResumeProcesses were acknowledged, but DescribeAutoScalingGroups shows min/max/desired "
                    + is + (e.capacity() == null ? "" : " (recorded " + e.capacity() + ")")
                    + (stillSuspended.isEmpty() ? "" : " with " + String.join(", ", stillSuspended) + " still suspended")
                    + "; its record stays resumable";
        });
    }

    /** What a resume asked of a group: the capacity put back (null: left as it was) and the processes resumed. */
    private record Expected(Capacity capacity, List<String> resumed) {
    }

    /** The pause's processes minus those already suspended before it. */
    private static List<String> toSuspend(Set<String> alreadySuspended) {
        return PAUSE_PROCESSES.stream().filter(p -> !alreadySuspended.contains(p)).toList();
    }

    /** The recorded process names; null when none were recorded. */
    private static Set<String> processes(List<String> recorded) {
        return recorded == null ? null : new LinkedHashSet<>(recorded);
    }

    private static List<String> suspended(AutoScalingGroup g) {
        return g.suspendedProcesses().stream().map(SuspendedProcess::processName).sorted().toList();
    }

    private static String type(AutoScalingGroup g) {
        if (g.mixedInstancesPolicy() != null && g.mixedInstancesPolicy().launchTemplate() != null
                && g.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification() != null) {
            var spec = g.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification();
            return "launch template " + (spec.launchTemplateName() != null ? spec.launchTemplateName() : spec.launchTemplateId())
                    + " (mixed instances)";
        }
        if (g.launchTemplate() != null) {
            var lt = g.launchTemplate();
            return "launch template " + (lt.launchTemplateName() != null ? lt.launchTemplateName() : lt.launchTemplateId());
        }
        if (g.launchConfigurationName() != null) {
            return "launch configuration " + g.launchConfigurationName();
        }
        return "auto-scaling-group";
    }

    private static long protectedFromScaleIn(AutoScalingGroup g) {
        return g.instances().stream().filter(i -> Boolean.TRUE.equals(i.protectedFromScaleIn())).count();
    }

    /** Every group matching the filters, 100 per page. */
    private static List<AutoScalingGroup> describeAll(AutoScalingClient asg, List<Filter> filters) {
        List<AutoScalingGroup> out = new ArrayList<>();
        asg.describeAutoScalingGroupsPaginator(b -> b.filters(filters).maxRecords(PAGE)).autoScalingGroups().forEach(out::add);
        return out;
    }

    /** The named groups that exist, 100 names a call. */
    private static List<AutoScalingGroup> describe(AutoScalingClient asg, List<String> names) {
        List<AutoScalingGroup> out = new ArrayList<>();
        for (int from = 0; from < names.size(); from += PAGE) {
            List<String> chunk = names.subList(from, Math.min(names.size(), from + PAGE));
            asg.describeAutoScalingGroupsPaginator(b -> b.autoScalingGroupNames(chunk).maxRecords(PAGE))
                    .autoScalingGroups().forEach(out::add);
        }
        return out;
    }

    private static Map<String, String> tags(List<TagDescription> tags) {
        Map<String, String> out = new HashMap<>();
        if (tags != null) {
            tags.forEach(t -> out.put(t.key(), t.value() == null ? "" : t.value()));
        }
        return out;
    }

    private static ResourceResult result(Discovered d, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.AUTOSCALING, d.region(), d.id(), d.type(), d.name(), outcome, reason);
    }

    private static ResourceResult result(PausedResource r, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.AUTOSCALING, r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }

    /** Min, max and desired capacity, as recorded or as they are now. */
    record Capacity(int min, int max, int desired) {
        static Capacity of(PausedResource r) {
            OriginalState.AutoScalingGroup o = r.original(OriginalState.AutoScalingGroup.class);
            Integer min = o.minSize();
            Integer max = o.maxSize();
            Integer desired = o.desiredCapacity();
            return min == null || max == null || desired == null ? null : new Capacity(min, max, desired);
        }

        /** What the pause sets: min 0, desired 0, max unchanged. */
        Capacity paused() {
            return new Capacity(0, max, 0);
        }

        @Override
        public String toString() {
            return min + "/" + max + "/" + desired;
        }
    }
}
