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
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
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
    private static final Set<String> STOPPED_OR_STOPPING = Set.of("stopping", "stopped");

    /** Instance types a DescribeInstanceTypes call may name. */
    static final int TYPES_PER_CALL = 100;

    private final AwsClients clients;
    private final WaitSettings settings;
    /** Whether each instance type has instance storage, by region then type (what EC2 said; it does not change). */
    private final Map<String, Map<String, Boolean>> storageByRegion = new java.util.concurrent.ConcurrentHashMap<>();

    public Ec2Pauser(AwsClients clients, WaitSettings settings) {
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
        Map<String, String> instanceStorage = instanceStorage(region, ec2, instances.stream()
                .filter(i -> i.rootDeviceType() != DeviceType.INSTANCE_STORE).map(Instance::instanceTypeAsString)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
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
            String reason = filter.exclusion(i.instanceId(), tags).orElseGet(() -> skipReason(i, tags, spotTypes, instanceStorage));
            OriginalState original = new OriginalState.Ec2Instance(state, i.instanceTypeAsString());
            out.add(new Discovered(ServiceKind.EC2, region, i.instanceId(), i.instanceTypeAsString(), tags.get("Name"),
                    tags, original, reason, Map.of(CostBasis.INSTANCE_TYPE, i.instanceTypeAsString())));
        }
        return out;
    }

    private String skipReason(Instance i, Map<String, String> tags, Map<String, String> spotTypes,
            Map<String, String> instanceStorage) {
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
        String owner = owner(tags);
        if (owner != null) {
            return owner;
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
        if (i.blockDeviceMappings().stream().anyMatch(m -> m.ebs() == null)) {
            return "has an instance store (ephemeral) device mapping: stopping it would erase that volume's data";
        }
        String storage = instanceStorage.get(i.instanceTypeAsString());
        if (storage != null) {
            return storage;
        }
        return null;
    }

    /**
     * The service or controller that launched the instance and would replace or fight a stopped one, said as a skip
     * reason; null when no owner's tag is on it. The tags are those each owner documents putting on its instances:
     * EMR {@code aws:elasticmapreduce:*}, Karpenter {@code karpenter.sh/nodepool} (v1), {@code karpenter.sh/provisioner-name}
     * (before v1) and {@code karpenter.k8s.aws/ec2nodeclass}, EC2 Fleet {@code aws:ec2:fleet-id}, Spot Fleet
     * {@code aws:ec2spot:fleet-request-id}.
     */
    static String owner(Map<String, String> tags) {
        String emr = tags.get("aws:elasticmapreduce:job-flow-id");
        if (emr != null || tags.keySet().stream().anyMatch(k -> k.startsWith("aws:elasticmapreduce:"))) {
            return "node of EMR cluster " + (emr == null ? "(aws:elasticmapreduce tags)" : emr)
                    + ": left to EMR (stopping a cluster's node breaks the cluster; terminate or resize the cluster instead)";
        }
        for (String key : List.of("karpenter.sh/nodepool", "karpenter.sh/provisioner-name", "karpenter.k8s.aws/ec2nodeclass")) {
            if (tags.containsKey(key)) {
                return "Karpenter node (" + key + " " + tags.get(key) + "): left to Karpenter, which replaces a stopped node";
            }
        }
        if (tags.containsKey("aws:ec2:fleet-id")) {
            return "member of EC2 Fleet " + tags.get("aws:ec2:fleet-id") + ": left to its fleet, which replaces a stopped instance";
        }
        if (tags.containsKey("aws:ec2spot:fleet-request-id")) {
            return "member of Spot Fleet " + tags.get("aws:ec2spot:fleet-request-id")
                    + ": left to its fleet, which replaces a stopped instance";
        }
        return null;
    }

    /**
     * Why instances of each of these types must not be stopped because the type has instance storage (its data is lost
     * on stop, AWS EC2 User Guide "Instance store temporary block storage"), by type; types without it are absent.
     * DescribeInstanceTypes ({@code InstanceStorageSupported}), {@value #TYPES_PER_CALL} types a call, each type's answer
     * cached per region for the life of this pauser. A type EC2 does not describe, or a call that fails, is treated as
     * having instance storage: skipped with the reason, never stopped on a guess.
     */
    private Map<String, String> instanceStorage(String region, Ec2Client ec2, java.util.SortedSet<String> types) {
        Map<String, Boolean> known = storageByRegion.computeIfAbsent(region, r -> new java.util.concurrent.ConcurrentHashMap<>());
        List<String> unknown = types.stream().filter(t -> t != null && !known.containsKey(t)).toList();
        Map<String, String> failed = new HashMap<>();
        for (int from = 0; from < unknown.size(); from += TYPES_PER_CALL) {
            List<String> chunk = unknown.subList(from, Math.min(unknown.size(), from + TYPES_PER_CALL));
            try {
                Set<String> described = new java.util.HashSet<>();
                for (var page : ec2.describeInstanceTypesPaginator(b -> b.instanceTypesWithStrings(chunk))) {
                    for (InstanceTypeInfo t : page.instanceTypes()) {
                        known.put(t.instanceTypeAsString(), Boolean.TRUE.equals(t.instanceStorageSupported()));
                        described.add(t.instanceTypeAsString());
                    }
                }
                chunk.stream().filter(t -> !described.contains(t)).forEach(t -> failed.put(t,
                        "EC2 did not describe instance type " + t + ", so whether it has instance storage (lost on stop) is unknown: not stopped"));
            } catch (SdkException e) {
                chunk.forEach(t -> failed.put(t, "could not read whether instance type " + t
                        + " has instance storage (lost on stop): " + ServiceErrors.describe(e) + "; not stopped"));
            }
        }
        Map<String, String> out = new HashMap<>(failed);
        for (String t : types) {
            if (Boolean.TRUE.equals(known.get(t))) {
                out.put(t, "instance type " + t + " has instance store volumes: stopping it would erase their data");
            }
        }
        return out;
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
        // what is reported is what was read back: stopping or stopped, never StopInstances' acknowledgement alone
        List<String> acknowledged = results.values().stream().filter(r -> r.outcome() == Outcome.PAUSED)
                .map(ResourceResult::id).toList();
        Map<String, Instance> seen = readBack(ec2, acknowledged, i -> STOPPED_OR_STOPPING.contains(i.state().nameAsString()),
                i -> Set.of("running", "pending").contains(i.state().nameAsString()));
        for (String id : acknowledged) {
            Instance i = seen.get(id);
            String state = i == null ? "missing" : i.state().nameAsString();
            if (!STOPPED_OR_STOPPING.contains(state)) {
                results.put(id, result(byId.get(id), Outcome.FAILED, "StopInstances was acknowledged, but DescribeInstances "
                        + "shows the instance " + state + (TRANSITIONAL.contains(state) || "running".equals(state)
                                ? " after waiting " + settings.transitionalWait().toSeconds() + "s" : "")
                        + stateReason(i) + "; run the pause again"));
            }
        }
        return new ArrayList<>(results.values());
    }

    /**
     * Reads the instances back (batched, {@link #describeIds}) until each is {@code done} or no longer {@code waiting},
     * polling those still waiting at the engine's poll interval within its bounded transitional wait; returns each as
     * last seen (absent: not found).
     */
    private Map<String, Instance> readBack(Ec2Client ec2, List<String> ids, java.util.function.Predicate<Instance> done,
            java.util.function.Predicate<Instance> waiting) {
        Map<String, Instance> seen = new HashMap<>();
        if (ids.isEmpty()) {
            return seen;
        }
        long deadline = System.nanoTime() + settings.transitionalWait().toNanos();
        List<String> ask = ids;
        while (true) {
            for (Instance i : describeIds(ec2, ask)) {
                seen.put(i.instanceId(), i);
            }
            ask = ids.stream().filter(id -> seen.containsKey(id) && !done.test(seen.get(id)) && waiting.test(seen.get(id)))
                    .toList();
            if (ask.isEmpty() || System.nanoTime() + settings.pollInterval().toNanos() > deadline) {
                return seen;
            }
            sleep(settings.pollInterval().toMillis());
        }
    }

    /** ", reason: message (code)" from the instance's StateReason, AWS's own account of its last transition; or "". */
    private static String stateReason(Instance i) {
        if (i == null || i.stateReason() == null || (i.stateReason().message() == null && i.stateReason().code() == null)) {
            return "";
        }
        String message = i.stateReason().message();
        String code = i.stateReason().code();
        return ", StateReason: " + (message == null ? code : message + (code == null || message.startsWith(code) ? "" : " (" + code + ")"));
    }

    private static String reasonCode(Instance i) {
        return i == null || i.stateReason() == null ? null : i.stateReason().code();
    }

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        Ec2Client ec2 = clients.ec2(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, PausedResource> valid = new LinkedHashMap<>();
        for (PausedResource r : records) {
            if (!INSTANCE_ID.matcher(r.id()).matches()) {
                out.add(result(r, Outcome.FAILED, "the snapshot record's id is not an EC2 instance id; record left as it is"));
            } else if (!"running".equals(r.original(OriginalState.Ec2Instance.class).state())) {
                out.add(result(r, Outcome.SKIPPED, "was " + r.original(OriginalState.Ec2Instance.class).state()
                        + " before the pause, not running: left as it is"));
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
        for (PausedResource r : valid.values()) {
            Instance i = now.get(r.id());
            String state = i == null ? "missing" : i.state().nameAsString();
            switch (state) {
                case "missing", "terminated", "shutting-down" ->
                        out.add(result(r, Outcome.SKIPPED, "drift: the instance no longer exists (" + state + "); nothing to resume"));
                case "running", "pending" ->
                        out.add(result(r, dryRun ? Outcome.SKIPPED : Outcome.RESUMED, "already " + state));
                case "stopped" -> {
                    String originalType = r.original(OriginalState.Ec2Instance.class).instanceType();
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
        Map<String, ResourceResult> started = changeInBatches(toStart,
                ids -> ec2.startInstances(b -> b.instanceIds(ids)).startingInstances(),
                id -> result(valid.get(id), Outcome.RESUMED, drift.get(id)),
                (id, reason) -> result(valid.get(id), Outcome.FAILED, reason));
        // What is reported is what was read back. An acknowledged start can fall back to stopped while pending (an EBS
        // volume's KMS key the caller may not use, InsufficientInstanceCapacity): DescribeInstances then shows it
        // stopped with a new StateReason. A stopped read with the StateReason it had before the start may be EC2's
        // eventual consistency, so it is read again within the bounded wait.
        List<String> acknowledged = started.values().stream().filter(r -> r.outcome() == Outcome.RESUMED)
                .map(ResourceResult::id).toList();
        Map<String, Instance> seen = readBack(ec2, acknowledged, i -> "running".equals(i.state().nameAsString()),
                i -> "pending".equals(i.state().nameAsString()) || "stopped".equals(i.state().nameAsString())
                        && java.util.Objects.equals(reasonCode(i), reasonCode(now.get(i.instanceId()))));
        for (String id : acknowledged) {
            Instance i = seen.get(id);
            String state = i == null ? "missing" : i.state().nameAsString();
            if ("pending".equals(state)) {
                String note = "still pending (starting) after waiting " + settings.transitionalWait().toSeconds() + "s";
                started.put(id, result(valid.get(id), Outcome.RESUMED, drift.get(id) == null ? note : drift.get(id) + "; " + note));
            } else if (!"running".equals(state)) {
                started.put(id, result(valid.get(id), Outcome.FAILED, "StartInstances was acknowledged, but DescribeInstances "
                        + "shows the instance " + state + stateReason(i) + "; its record stays resumable: run the resume again"));
            }
        }
        out.addAll(started.values());
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

    private static ResourceResult result(PausedResource r, Outcome outcome, String reason) {
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
