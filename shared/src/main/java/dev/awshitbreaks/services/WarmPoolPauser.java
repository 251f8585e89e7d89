package dev.awshitbreaks.services;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.cost.CostBasis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeWarmPoolResponse;
import software.amazon.awssdk.services.autoscaling.model.Filter;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.PutWarmPoolRequest;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.autoscaling.model.WarmPoolConfiguration;

/**
 * EC2 Auto Scaling warm pools with instances warm and running (pool state Running, or instances in
 * {@code Warmed:Running}): PutWarmPool with MinSize 0, MaxGroupPreparedCapacity 0 and PoolState Stopped, so the pool
 * keeps no running instance (its InstanceReusePolicy is put back as it was: PutWarmPool replaces the whole
 * configuration). Resume puts the recorded configuration back exactly, MaxGroupPreparedCapacity -1 when none was set
 * (how PutWarmPool removes a value). The pool is found through DescribeAutoScalingGroups' WarmPoolConfiguration (no
 * DescribeWarmPool for a group without one); DescribeWarmPool lists its instances (what runs, what it costs).
 *
 * <p>Independent of the {@code autoscaling} kind, which sets the group's min and desired to 0 and suspends its
 * processes: the two change different settings of the group (the pool's configuration; the group's capacity and
 * processes), so neither undoes the other and their order does not matter. Both are worth pausing together: with
 * MaxGroupPreparedCapacity absent the pool is sized max - desired, so a group scaled to desired 0 alone would keep up
 * to max instances warm.
 */
public final class WarmPoolPauser implements ResourcePauser {
    static final String TYPE = "warm-pool";
    private static final String RUNNING = "Running";
    private static final String STOPPED = "Stopped";
    private static final String WARMED_RUNNING = "Warmed:Running";
    private static final int PAGE = 100;
    private static final int WARM_POOL_PAGE = 50;

    private final AwsClients clients;

    public WarmPoolPauser(AwsClients clients, WaitSettings settings) {
        this.clients = clients;
        // no transitional wait: PutWarmPool is accepted in any pool state except PendingDelete, which is skipped
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.WARM_POOLS;
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        AutoScalingClient asg = clients.autoScaling(region);
        List<Filter> filters = new ArrayList<>();
        filter.tags().forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        List<Discovered> out = new ArrayList<>();
        List<AutoScalingGroup> groups = new ArrayList<>();
        asg.describeAutoScalingGroupsPaginator(b -> b.filters(filters).maxRecords(PAGE)).autoScalingGroups().forEach(groups::add);
        for (AutoScalingGroup g : groups) {
            WarmPoolConfiguration pool = g.warmPoolConfiguration();
            Map<String, String> tags = tags(g.tags());
            if (pool == null || !filter.selects(tags)) {
                continue;
            }
            String name = g.autoScalingGroupName();
            String reason = filter.exclusion(name, tags).orElse(null);
            if (reason == null && pool.statusAsString() != null && !pool.statusAsString().isBlank()) {
                reason = "warm pool status is '" + pool.statusAsString() + "': left alone";
            }
            List<String> warmRunning = new ArrayList<>();
            if (reason == null) {
                warmRunning = warmRunningTypes(asg, name);
                if (!RUNNING.equals(pool.poolStateAsString()) && warmRunning.isEmpty()) {
                    reason = "warm pool already " + (pool.poolStateAsString() == null ? "stopped" : pool.poolStateAsString())
                            + " with no warm instance running: nothing to pause";
                }
            }
            out.add(new Discovered(ServiceKind.WARM_POOLS, region, name, TYPE, name, tags, original(pool), reason,
                    reason == null ? Map.of(CostBasis.INSTANCE_TYPES, warmRunning) : Map.of()));
        }
        return out;
    }

    /** The instance types of the pool's instances in Warmed:Running, every page of DescribeWarmPool. */
    private static List<String> warmRunningTypes(AutoScalingClient asg, String group) {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            DescribeWarmPoolResponse page = asg.describeWarmPool(b -> b.autoScalingGroupName(group).maxRecords(WARM_POOL_PAGE)
                    .nextToken(next));
            for (Instance i : page.instances()) {
                if (WARMED_RUNNING.equals(i.lifecycleStateAsString())) {
                    out.add(i.instanceType());
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    private static OriginalState.WarmPool original(WarmPoolConfiguration pool) {
        return new OriginalState.WarmPool(pool.minSize() == null ? 0 : pool.minSize(),
                pool.poolStateAsString() == null ? STOPPED : pool.poolStateAsString(),
                pool.maxGroupPreparedCapacity() == null || pool.maxGroupPreparedCapacity() < 0 ? null : pool.maxGroupPreparedCapacity(),
                pool.instanceReusePolicy() == null ? null : pool.instanceReusePolicy().reuseOnScaleIn());
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        AutoScalingClient asg = clients.autoScaling(region);
        List<ResourceResult> out = new ArrayList<>();
        for (Discovered d : eligible) {
            OriginalState.WarmPool was = (OriginalState.WarmPool) d.original();
            try {
                asg.putWarmPool(put(d.id(), new OriginalState.WarmPool(0, STOPPED, 0, was.reuseOnScaleIn())));
                out.add(result(d.region(), d.id(), d.name(), Outcome.PAUSED, null));
            } catch (SdkException e) {
                out.add(result(d.region(), d.id(), d.name(), Outcome.FAILED, ServiceErrors.describe(e)));
            }
        }
        return readBack(asg, out, (pool, r) -> {
            OriginalState.WarmPool now = pool == null ? null : original(pool);
            if (now != null && now.minSize() == 0 && STOPPED.equals(now.poolState()) && Integer.valueOf(0).equals(now.maxGroupPreparedCapacity())) {
                return null;
            }
            return "PutWarmPool was acknowledged, but DescribeAutoScalingGroups shows the warm pool as " + shown(now)
                    + "; run the pause again";
        });
    }

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        AutoScalingClient asg = clients.autoScaling(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, OriginalState.WarmPool> recorded = new HashMap<>();
        Map<String, WarmPoolConfiguration> now = new HashMap<>();
        List<String> names = records.stream().map(PausedResource::id).toList();
        describe(asg, names).forEach(g -> {
            if (g.warmPoolConfiguration() != null) {
                now.put(g.autoScalingGroupName(), g.warmPoolConfiguration());
            }
        });
        for (PausedResource r : records) {
            OriginalState.WarmPool was = r.original(OriginalState.WarmPool.class);
            WarmPoolConfiguration pool = now.get(r.id());
            if (pool == null || (pool.statusAsString() != null && !pool.statusAsString().isBlank())) {
                out.add(result(r.region(), r.id(), r.name(), Outcome.SKIPPED, "drift: the group or its warm pool no longer exists"
                        + (pool == null ? "" : " (status '" + pool.statusAsString() + "')") + "; nothing to resume"));
                continue;
            }
            OriginalState.WarmPool is = original(pool);
            OriginalState.WarmPool paused = new OriginalState.WarmPool(0, STOPPED, 0, was.reuseOnScaleIn());
            if (!is.equals(paused) && !is.equals(was)) {
                out.add(result(r.region(), r.id(), r.name(), dryRun ? Outcome.WOULD_RESUME : Outcome.RESUMED,
                        "drift: the warm pool was changed while paused (now " + shown(is) + ", recorded " + shown(was)
                                + "): left as it is"));
                continue;
            }
            if (dryRun) {
                out.add(result(r.region(), r.id(), r.name(), Outcome.WOULD_RESUME, null));
                continue;
            }
            try {
                if (!is.equals(was)) {
                    asg.putWarmPool(put(r.id(), was));
                }
                out.add(result(r.region(), r.id(), r.name(), Outcome.RESUMED, null));
                recorded.put(r.id(), was);
            } catch (SdkException e) {
                out.add(result(r.region(), r.id(), r.name(), Outcome.FAILED, ServiceErrors.describe(e)));
            }
        }
        if (dryRun) {
            return out;
        }
        return readBack(asg, out, (pool, r) -> {
            OriginalState.WarmPool want = recorded.get(r.id());
            if (want == null) {
                return null; // drift, left as it was
            }
            OriginalState.WarmPool is = pool == null ? null : original(pool);
            return want.equals(is) ? null : "PutWarmPool was acknowledged, but DescribeAutoScalingGroups shows the warm pool as "
                    + shown(is) + " (recorded " + shown(want) + "); its record stays resumable";
        });
    }

    /** PutWarmPool of this configuration; a MaxGroupPreparedCapacity of none is put as -1 (removes a value set). */
    private static PutWarmPoolRequest put(String group, OriginalState.WarmPool c) {
        PutWarmPoolRequest.Builder b = PutWarmPoolRequest.builder().autoScalingGroupName(group).minSize(c.minSize())
                .poolState(c.poolState())
                .maxGroupPreparedCapacity(c.maxGroupPreparedCapacity() == null ? -1 : c.maxGroupPreparedCapacity());
        if (c.reuseOnScaleIn() != null) {
            b.instanceReusePolicy(p -> p.reuseOnScaleIn(c.reuseOnScaleIn()));
        }
        return b.build();
    }

    private static String shown(OriginalState.WarmPool c) {
        if (c == null) {
            return "absent";
        }
        return "min " + c.minSize() + ", max prepared " + (c.maxGroupPreparedCapacity() == null ? "none" : c.maxGroupPreparedCapacity())
                + ", state " + c.poolState() + (c.reuseOnScaleIn() == null ? "" : ", reuse on scale in " + c.reuseOnScaleIn());
    }

    /** Reads back each PAUSED or RESUMED pool; {@code check} says why what it shows is not what was asked (null: it is). */
    private static List<ResourceResult> readBack(AutoScalingClient asg, List<ResourceResult> results,
            java.util.function.BiFunction<WarmPoolConfiguration, ResourceResult, String> check) {
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
            String why = check.apply(g == null ? null : g.warmPoolConfiguration(), r);
            out.add(why == null ? r : r.withOutcome(Outcome.FAILED, why));
        }
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
            tags.forEach(t -> out.put(t.key(), Objects.requireNonNullElse(t.value(), "")));
        }
        return out;
    }

    private static ResourceResult result(String region, String id, String name, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.WARM_POOLS, region, id, TYPE, name, outcome, reason);
    }
}
