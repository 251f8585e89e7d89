package dev.awshitbreaks.services;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.cost.CostBasis;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.DeviceType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceLifecycleType;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.SpotInstanceRequest;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * EC2 instances: running ones are stopped (StopInstances, up to 1,000 ids a call) and started again on
 * resume. Auto Scaling group members are left to their group; EKS node group members, one-time Spot
 * instances and instance-store-backed instances cannot be stopped safely and are skipped with a reason.
 */
public final class Ec2Pauser implements ResourcePauser {
    static final int STOP_BATCH = 1000;
    private static final int FILTER_VALUES = 200;
    /** DescribeInstances page size: half the API's 1,000, so a page parses in about 20 MB of heap. */
    public static final int DESCRIBE_PAGE = 500;
    private static final java.util.concurrent.Semaphore LISTING_PAGES =
            new java.util.concurrent.Semaphore(listingPermits(Runtime.getRuntime().maxMemory()));
    static final java.time.Duration THROTTLED_BATCH_BUDGET = java.time.Duration.ofSeconds(180);
    private static final java.time.Duration THROTTLED_BATCH_PAUSE = java.time.Duration.ofSeconds(2);
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");
    private static final Set<String> TRANSITIONAL = Set.of("pending", "stopping");

    private final AwsClients clients;
    private final EngineSettings settings;

    public Ec2Pauser(AwsClients clients, EngineSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.EC2;
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        Ec2Client ec2 = clients.ec2(region);
        List<Filter> filters = new ArrayList<>();
        filters.add(Filter.builder().name("instance-state-name").values("pending", "running", "stopping").build());
        // required tags are filtered by EC2 itself (fewer pages); filter.selects() below still checks them
        filter.tags().forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        List<Instance> instances = describe(ec2, filters);
        instances = settleTransitional(ec2, instances);
        Map<String, String> spotTypes = spotRequestTypes(ec2, instances);
        List<Discovered> out = new ArrayList<>();
        for (Instance i : instances) {
            Map<String, String> tags = tags(i.tags());
            if (!filter.selects(tags)) {
                continue;
            }
            String state = i.state().nameAsString();
            if (!"running".equals(state) && !TRANSITIONAL.contains(state)) {
                continue; // stopped while we waited: nothing to pause
            }
            String reason = filter.exclusion(i.instanceId(), tags).orElseGet(() -> skipReason(i, tags, spotTypes));
            Map<String, Object> original = new LinkedHashMap<>();
            original.put("state", state);
            original.put("instanceType", i.instanceTypeAsString());
            out.add(new Discovered(ServiceKind.EC2, region, i.instanceId(), i.instanceTypeAsString(), tags.get("Name"),
                    tags, original, reason, Map.of(CostBasis.INSTANCE_TYPE, i.instanceTypeAsString())));
        }
        return out;
    }

    private String skipReason(Instance i, Map<String, String> tags, Map<String, String> spotTypes) {
        String state = i.state().nameAsString();
        if (TRANSITIONAL.contains(state)) {
            return "still " + state + " after waiting " + settings.transitionalWait().toSeconds() + "s; run the pause again once it settles";
        }
        if (tags.containsKey("aws:autoscaling:groupName")) {
            return "member of Auto Scaling group " + tags.get("aws:autoscaling:groupName") + ": left to its group";
        }
        if (tags.containsKey("eks:nodegroup-name")) {
            return "member of EKS node group " + tags.get("eks:nodegroup-name") + ": left to its node group";
        }
        if (i.instanceLifecycle() == InstanceLifecycleType.SPOT) {
            String type = spotTypes.get(i.spotInstanceRequestId());
            if (!SpotInstanceType.PERSISTENT.toString().equals(type)) {
                return "one-time Spot instance: stopping it would end it for good";
            }
        }
        if (i.rootDeviceType() == DeviceType.INSTANCE_STORE) {
            return "instance-store root volume: stopping it would lose its data";
        }
        return null;
    }

    /** Waits, bounded, for pending or stopping instances to settle; returns the instances as they are then. */
    private List<Instance> settleTransitional(Ec2Client ec2, List<Instance> instances) {
        long deadline = System.nanoTime() + settings.transitionalWait().toNanos();
        List<Instance> current = instances;
        while (current.stream().anyMatch(i -> TRANSITIONAL.contains(i.state().nameAsString()))
                && System.nanoTime() < deadline) {
            sleep(settings.pollInterval().toMillis());
            List<String> ids = current.stream().filter(i -> TRANSITIONAL.contains(i.state().nameAsString()))
                    .map(Instance::instanceId).toList();
            Map<String, Instance> fresh = new HashMap<>();
            for (Instance i : describeIds(ec2, ids)) {
                fresh.put(i.instanceId(), i);
            }
            current = current.stream().map(i -> fresh.getOrDefault(i.instanceId(), i)).toList();
        }
        return current;
    }

    private static Map<String, String> spotRequestTypes(Ec2Client ec2, List<Instance> instances) {
        List<String> requestIds = instances.stream()
                .filter(i -> i.instanceLifecycle() == InstanceLifecycleType.SPOT && i.spotInstanceRequestId() != null)
                .map(Instance::spotInstanceRequestId).distinct().toList();
        Map<String, String> types = new HashMap<>();
        for (int from = 0; from < requestIds.size(); from += FILTER_VALUES) {
            List<String> chunk = requestIds.subList(from, Math.min(requestIds.size(), from + FILTER_VALUES));
            for (var page : ec2.describeSpotInstanceRequestsPaginator(b -> b.filters(
                    Filter.builder().name("spot-instance-request-id").values(chunk).build()))) {
                for (SpotInstanceRequest r : page.spotInstanceRequests()) {
                    types.put(r.spotInstanceRequestId(), r.typeAsString());
                }
            }
        }
        return types;
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        Map<String, Discovered> byId = new LinkedHashMap<>();
        eligible.forEach(d -> byId.put(d.id(), d));
        Ec2Client ec2 = clients.ec2(region);
        Map<String, ResourceResult> results = changeInBatches(new ArrayList<>(byId.keySet()),
                ids -> ec2.stopInstances(b -> b.instanceIds(ids)).stoppingInstances(),
                id -> result(byId.get(id), Outcome.PAUSED, null),
                (id, reason) -> result(byId.get(id), Outcome.FAILED, reason));
        return new ArrayList<>(results.values());
    }

    @Override
    public List<ResourceResult> resume(String region, List<SnapshotRecord> records, boolean dryRun) {
        Ec2Client ec2 = clients.ec2(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, SnapshotRecord> valid = new LinkedHashMap<>();
        for (SnapshotRecord r : records) {
            if (!INSTANCE_ID.matcher(r.id()).matches()) {
                out.add(result(r, Outcome.FAILED, "the snapshot record's id is not an EC2 instance id; record left as it is"));
            } else if (!"running".equals(r.originalString("state"))) {
                out.add(result(r, Outcome.SKIPPED, "was " + r.originalString("state") + " before the pause, not running: left as it is"));
            } else {
                valid.put(r.id(), r);
            }
        }
        Map<String, Instance> now = new HashMap<>();
        for (Instance i : settleTransitional(ec2, describeIds(ec2, new ArrayList<>(valid.keySet())))) {
            now.put(i.instanceId(), i);
        }
        List<String> toStart = new ArrayList<>();
        Map<String, String> drift = new HashMap<>();
        for (SnapshotRecord r : valid.values()) {
            Instance i = now.get(r.id());
            String state = i == null ? "missing" : i.state().nameAsString();
            switch (state) {
                case "missing", "terminated", "shutting-down" ->
                        out.add(result(r, Outcome.SKIPPED, "drift: the instance no longer exists (" + state + "); nothing to resume"));
                case "running", "pending" ->
                        out.add(result(r, dryRun ? Outcome.SKIPPED : Outcome.RESUMED, "already " + state));
                case "stopped" -> {
                    String originalType = r.originalString("instanceType");
                    if (originalType != null && !originalType.equals(i.instanceTypeAsString())) {
                        drift.put(r.id(), "drift: instance type changed from " + originalType + " to "
                                + i.instanceTypeAsString() + " since the pause; started as it is now");
                    }
                    toStart.add(r.id());
                }
                default -> out.add(result(r, Outcome.FAILED, "still " + state + " after waiting "
                        + settings.transitionalWait().toSeconds() + "s; run the resume again once it settles"));
            }
        }
        if (dryRun) {
            toStart.forEach(id -> out.add(result(valid.get(id), Outcome.WOULD_RESUME, drift.get(id))));
            return out;
        }
        out.addAll(changeInBatches(toStart,
                ids -> ec2.startInstances(b -> b.instanceIds(ids)).startingInstances(),
                id -> result(valid.get(id), Outcome.RESUMED, drift.get(id)),
                (id, reason) -> result(valid.get(id), Outcome.FAILED, reason)).values());
        return out;
    }

    /**
     * Calls a batch API (StopInstances, StartInstances) in batches of 1,000; a batch that fails as a whole
     * is retried one id at a time, so one bad instance cannot fail the others.
     */
    private static Map<String, ResourceResult> changeInBatches(List<String> ids,
            Function<List<String>, List<InstanceStateChange>> call,
            Function<String, ResourceResult> success,
            java.util.function.BiFunction<String, String, ResourceResult> failure) {
        Map<String, ResourceResult> results = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += STOP_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + STOP_BATCH));
            try {
                apply(batch, callThroughThrottling(batch, call), success, failure, results);
            } catch (SdkException batchError) {
                if (batch.size() == 1) {
                    results.put(batch.get(0), failure.apply(batch.get(0), ServiceErrors.describe(batchError)));
                    continue;
                }
                for (String id : batch) {
                    try {
                        apply(List.of(id), call.apply(List.of(id)), success, failure, results);
                    } catch (SdkException e) {
                        results.put(id, failure.apply(id, ServiceErrors.describe(e)));
                    }
                }
            }
        }
        return results;
    }

    /**
     * The batch call, retried whole while EC2 throttles it ({@code RequestLimitExceeded}), for up to
     * {@link #THROTTLED_BATCH_BUDGET}: EC2's resource bucket lets 1,000 instances stop at once and then 20 a second,
     * so a second batch of 1,000 passes about 50 s later. Retrying it one id at a time instead would spend the
     * request bucket (5 calls a second) for minutes. Stopping or starting an instance twice is harmless.
     */
    private static List<InstanceStateChange> callThroughThrottling(List<String> batch,
            Function<List<String>, List<InstanceStateChange>> call) {
        long deadline = System.nanoTime() + THROTTLED_BATCH_BUDGET.toNanos();
        while (true) {
            try {
                return call.apply(batch);
            } catch (SdkException e) {
                // throttled to the end of the SDK's own retries, or past the call timeout while retrying throttles
                boolean throttled = e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException ase
                        && ase.isThrottlingException()
                        || e instanceof software.amazon.awssdk.core.exception.ApiCallTimeoutException;
                if (!throttled || System.nanoTime() + THROTTLED_BATCH_PAUSE.toNanos() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(THROTTLED_BATCH_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void apply(List<String> batch, List<InstanceStateChange> changes, Function<String, ResourceResult> success,
            java.util.function.BiFunction<String, String, ResourceResult> failure, Map<String, ResourceResult> results) {
        Set<String> changed = new java.util.HashSet<>();
        changes.forEach(c -> changed.add(c.instanceId()));
        for (String id : batch) {
            results.put(id, changed.contains(id) ? success.apply(id)
                    : failure.apply(id, "not acknowledged by EC2 in the response"));
        }
    }

    private static List<Instance> describe(Ec2Client ec2, List<Filter> filters) {
        return describe(ec2, filters, i -> true);
    }

    /**
     * Every instance matching {@code filters} and {@code keep}, {@value #DESCRIBE_PAGE} a page, with at most
     * {@link #LISTING_PAGES} pages being fetched and parsed at once in this JVM (issue #8: a 1,000-instance answer
     * takes about 40 MB of heap while it is parsed, a 2,500-instance one over 100 MB; unbounded, the regions of a
     * large account listed in parallel exhaust a 256 MB heap). What is kept of a page is about 4 KB an instance.
     */
    private static List<Instance> describe(Ec2Client ec2, List<Filter> filters, java.util.function.Predicate<Instance> keep) {
        List<Instance> out = new ArrayList<>();
        String token = null;
        do {
            DescribeInstancesResponse page;
            LISTING_PAGES.acquireUninterruptibly();
            try {
                String next = token;
                page = ec2.describeInstances(b -> b.filters(filters).maxResults(DESCRIBE_PAGE).nextToken(next));
            } finally {
                LISTING_PAGES.release();
            }
            page.reservations().forEach(r -> r.instances().stream().filter(keep).forEach(out::add));
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** Pages of DescribeInstances in flight at once: one per 24 MB of half the heap, at least one. */
    public static int listingPermits(long maxHeapBytes) {
        return (int) Math.max(1, Math.min(64, maxHeapBytes / 2 / (24L << 20)));
    }

    /** Describes instances by id without failing on ids that no longer exist (a filter, not InstanceIds). */
    private static List<Instance> describeIds(Ec2Client ec2, List<String> ids) {
        if (ids.size() > 2 * FILTER_VALUES) {
            // many ids: the region's listing (500 a page) takes fewer calls than 200-id filters, unless the
            // region holds over 500 instances for every 200 asked for (issue #8: calls near the floor)
            java.util.Set<String> wanted = new java.util.HashSet<>(ids);
            return describe(ec2, List.of(), i -> wanted.contains(i.instanceId()));
        }
        List<Instance> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += FILTER_VALUES) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + FILTER_VALUES));
            out.addAll(describe(ec2, List.of(Filter.builder().name("instance-id").values(chunk).build())));
        }
        return out;
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new HashMap<>();
        if (tags != null) {
            tags.forEach(t -> out.put(t.key(), t.value()));
        }
        return out;
    }

    private static ResourceResult result(Discovered d, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.EC2, d.region(), d.id(), d.type(), d.name(), outcome, reason);
    }

    private static ResourceResult result(SnapshotRecord r, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.EC2, r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for instances to settle", e);
        }
    }
}
