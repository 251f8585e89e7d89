package dev.awshitbreaks.services;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ExcessCapacityTerminationPolicy;
import software.amazon.awssdk.services.ec2.model.ModifySpotFleetRequestRequest;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfig;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfigData;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Spot Fleet requests of type maintain, active, with a target capacity above 0: ModifySpotFleetRequest with
 * TargetCapacity 0, OnDemandTargetCapacity 0 and ExcessCapacityTerminationPolicy {@code default}, so the fleet terminates
 * its instances (with {@code noTermination} it would keep them running at target 0). The request itself stays, so its
 * configuration is untouched; resume modifies it back to the recorded target and On-Demand target capacity, and to the
 * recorded excess policy when it was {@code noTermination}. Requests of type {@code request} or {@code instant} cannot
 * be modified (AWS: only maintain) and are skipped with the reason; so are requests not active (submitted, modifying,
 * cancelled, ...). Their instances are skipped by the {@code ec2} kind (tag {@code aws:ec2spot:fleet-request-id}).
 */
public final class SpotFleetPauser implements ResourcePauser {
    static final String TYPE = "spot-fleet-request";
    private static final String MAINTAIN = "maintain";
    private static final Set<String> ACCEPTED_AFTER_MODIFY = Set.of("active", "modifying");
    private static final int PAGE = 1000;

    private final AwsClients clients;

    public SpotFleetPauser(AwsClients clients, WaitSettings settings) {
        this.clients = clients;
        // no transitional wait: a request being modified is skipped with the reason, to be paused by the next run
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.SPOT_FLEET;
    }

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        List<Discovered> out = new ArrayList<>();
        for (SpotFleetRequestConfig r : describeAll(clients.ec2(region), List.of())) {
            SpotFleetRequestConfigData c = r.spotFleetRequestConfig();
            Map<String, String> tags = tags(r.tags());
            if (c == null || !filter.selects(tags)) {
                continue;
            }
            String state = r.spotFleetRequestStateAsString();
            boolean cancelled = state != null && state.startsWith("cancelled");
            int target = c.targetCapacity() == null ? 0 : c.targetCapacity();
            if (cancelled || target <= 0) {
                continue; // nothing the brake can pause: a cancelled request never launches again, target 0 runs nothing
            }
            String reason = filter.exclusion(r.spotFleetRequestId(), tags).orElseGet(() -> skipReason(r, c));
            out.add(new Discovered(ServiceKind.SPOT_FLEET, region, r.spotFleetRequestId(), type(c), r.spotFleetRequestId(), tags,
                    original(c), reason));
        }
        return out;
    }

    private static String skipReason(SpotFleetRequestConfig r, SpotFleetRequestConfigData c) {
        String type = c.typeAsString() == null ? MAINTAIN : c.typeAsString(); // maintain is AWS's default
        if (!MAINTAIN.equals(type)) {
            return "Spot Fleet request of type " + type + ": only a request of type maintain can be modified "
                    + "(cancel it to stop its instances)";
        }
        String state = r.spotFleetRequestStateAsString();
        if (state != null && !"active".equals(state)) {
            return "request state is '" + state + "': only an active request is paused; run the pause again once it is active";
        }
        return null;
    }

    private static String type(SpotFleetRequestConfigData c) {
        return TYPE + " (" + (c.typeAsString() == null ? MAINTAIN : c.typeAsString()) + ")";
    }

    private static OriginalState.SpotFleetRequest original(SpotFleetRequestConfigData c) {
        return new OriginalState.SpotFleetRequest(c.targetCapacity(), c.onDemandTargetCapacity(),
                c.excessCapacityTerminationPolicyAsString());
    }

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        Ec2Client ec2 = clients.ec2(region);
        List<ResourceResult> out = new ArrayList<>();
        for (Discovered d : eligible) {
            try {
                ec2.modifySpotFleetRequest(b -> b.spotFleetRequestId(d.id()).targetCapacity(0).onDemandTargetCapacity(0)
                        .excessCapacityTerminationPolicy(ExcessCapacityTerminationPolicy.DEFAULT));
                out.add(result(d.region(), d.id(), d.type(), d.name(), Outcome.PAUSED, null));
            } catch (SdkException e) {
                out.add(result(d.region(), d.id(), d.type(), d.name(), Outcome.FAILED, ServiceErrors.describe(e)));
            }
        }
        return readBack(ec2, out, (r, res) -> {
            Integer onDemand = r.spotFleetRequestConfig().onDemandTargetCapacity();
            if (Integer.valueOf(0).equals(r.spotFleetRequestConfig().targetCapacity()) && (onDemand == null || onDemand == 0)) {
                return null;
            }
            return "ModifySpotFleetRequest was acknowledged, but DescribeSpotFleetRequests shows " + shown(r) + "; run the pause again";
        });
    }

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        Ec2Client ec2 = clients.ec2(region);
        List<ResourceResult> out = new ArrayList<>();
        Map<String, SpotFleetRequestConfig> now = new HashMap<>();
        if (!records.isEmpty()) {
            try {
                describeAll(ec2, records.stream().map(PausedResource::id).toList())
                        .forEach(r -> now.put(r.spotFleetRequestId(), r));
            } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception e) {
                if (!"InvalidSpotFleetRequestId.NotFound".equals(errorCode(e))) {
                    throw e;
                }
                for (PausedResource p : records) { // one of them is gone: each on its own
                    try {
                        describeAll(ec2, List.of(p.id())).forEach(r -> now.put(r.spotFleetRequestId(), r));
                    } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception gone) {
                        if (!"InvalidSpotFleetRequestId.NotFound".equals(errorCode(gone))) {
                            throw gone;
                        }
                    }
                }
            }
        }
        Map<String, OriginalState.SpotFleetRequest> expected = new HashMap<>();
        for (PausedResource p : records) {
            OriginalState.SpotFleetRequest was = p.original(OriginalState.SpotFleetRequest.class);
            SpotFleetRequestConfig r = now.get(p.id());
            String state = r == null ? null : r.spotFleetRequestStateAsString();
            if (r == null || state == null || state.startsWith("cancelled") || "failed".equals(state)) {
                out.add(result(p.region(), p.id(), p.type(), p.name(), Outcome.SKIPPED, "drift: the Spot Fleet request "
                        + (r == null ? "no longer exists" : "is " + state) + "; nothing to resume"));
                continue;
            }
            Integer target = r.spotFleetRequestConfig().targetCapacity();
            Integer onDemand = r.spotFleetRequestConfig().onDemandTargetCapacity();
            boolean stillPaused = Integer.valueOf(0).equals(target) && (onDemand == null || onDemand == 0);
            if (!stillPaused) {
                out.add(result(p.region(), p.id(), p.type(), p.name(), dryRun ? Outcome.WOULD_RESUME : Outcome.RESUMED,
                        "drift: the target capacity was changed while paused (now " + shown(r) + ", recorded target "
                                + was.targetCapacity() + ", on-demand " + Objects.requireNonNullElse(was.onDemandTargetCapacity(), 0)
                                + "): left as it is"));
                continue;
            }
            if (dryRun) {
                out.add(result(p.region(), p.id(), p.type(), p.name(), Outcome.WOULD_RESUME, null));
                continue;
            }
            try {
                ec2.modifySpotFleetRequest(restore(p.id(), was));
                out.add(result(p.region(), p.id(), p.type(), p.name(), Outcome.RESUMED, null));
                expected.put(p.id(), was);
            } catch (SdkException e) {
                out.add(result(p.region(), p.id(), p.type(), p.name(), Outcome.FAILED, ServiceErrors.describe(e)));
            }
        }
        if (dryRun) {
            return out;
        }
        return readBack(ec2, out, (r, res) -> {
            OriginalState.SpotFleetRequest want = expected.get(res.id());
            if (want == null) {
                return null;
            }
            Integer onDemand = r.spotFleetRequestConfig().onDemandTargetCapacity();
            boolean onDemandBack = want.onDemandTargetCapacity() == null ? onDemand == null || onDemand == 0
                    : want.onDemandTargetCapacity().equals(onDemand);
            if (want.targetCapacity().equals(r.spotFleetRequestConfig().targetCapacity()) && onDemandBack) {
                return null;
            }
            return "ModifySpotFleetRequest was acknowledged, but DescribeSpotFleetRequests shows " + shown(r) + " (recorded target "
                    + want.targetCapacity() + ", on-demand " + Objects.requireNonNullElse(want.onDemandTargetCapacity(), 0)
                    + "); its record stays resumable";
        });
    }

    /** The recorded capacities, and the recorded excess policy when it was not AWS's default (the pause set default). */
    private static ModifySpotFleetRequestRequest restore(String id, OriginalState.SpotFleetRequest was) {
        ModifySpotFleetRequestRequest.Builder b = ModifySpotFleetRequestRequest.builder().spotFleetRequestId(id)
                .targetCapacity(was.targetCapacity());
        if (was.onDemandTargetCapacity() != null) {
            b.onDemandTargetCapacity(was.onDemandTargetCapacity());
        }
        if (was.excessCapacityTerminationPolicy() != null
                && !ExcessCapacityTerminationPolicy.DEFAULT.toString().equals(was.excessCapacityTerminationPolicy())) {
            b.excessCapacityTerminationPolicy(was.excessCapacityTerminationPolicy());
        }
        return b.build();
    }

    private static String shown(SpotFleetRequestConfig r) {
        SpotFleetRequestConfigData c = r.spotFleetRequestConfig();
        return "target " + c.targetCapacity() + ", on-demand " + Objects.requireNonNullElse(c.onDemandTargetCapacity(), 0)
                + " (state " + r.spotFleetRequestStateAsString()
                + (r.activityStatusAsString() == null ? "" : ", activity " + r.activityStatusAsString()) + ")";
    }

    /**
     * Reads back each PAUSED or RESUMED request in one DescribeSpotFleetRequests: the capacities {@code check} asks for,
     * in state active or modifying (AWS shows modifying while it applies the change).
     */
    private static List<ResourceResult> readBack(Ec2Client ec2, List<ResourceResult> results,
            java.util.function.BiFunction<SpotFleetRequestConfig, ResourceResult, String> check) {
        List<String> changed = results.stream().filter(r -> r.outcome() == Outcome.PAUSED || r.outcome() == Outcome.RESUMED)
                .map(ResourceResult::id).toList();
        if (changed.isEmpty()) {
            return results;
        }
        Map<String, SpotFleetRequestConfig> seen = new HashMap<>();
        describeAll(ec2, changed).forEach(r -> seen.put(r.spotFleetRequestId(), r));
        List<ResourceResult> out = new ArrayList<>();
        for (ResourceResult res : results) {
            if (res.outcome() != Outcome.PAUSED && res.outcome() != Outcome.RESUMED) {
                out.add(res);
                continue;
            }
            SpotFleetRequestConfig r = seen.get(res.id());
            String why;
            if (r == null || r.spotFleetRequestConfig() == null) {
                why = "the change was acknowledged, but DescribeSpotFleetRequests no longer shows the request";
            } else if (!ACCEPTED_AFTER_MODIFY.contains(r.spotFleetRequestStateAsString())) {
                why = "the change was acknowledged, but the request is now " + r.spotFleetRequestStateAsString();
            } else {
                why = check.apply(r, res);
            }
            out.add(why == null ? res : res.withOutcome(Outcome.FAILED, why));
        }
        return out;
    }

    /** The requests (every one when {@code ids} is empty), every page. */
    private static List<SpotFleetRequestConfig> describeAll(Ec2Client ec2, List<String> ids) {
        List<SpotFleetRequestConfig> out = new ArrayList<>();
        if (ids.isEmpty()) {
            ec2.describeSpotFleetRequestsPaginator(b -> b.maxResults(PAGE)).spotFleetRequestConfigs().forEach(out::add);
        } else {
            ec2.describeSpotFleetRequestsPaginator(b -> b.spotFleetRequestIds(ids)).spotFleetRequestConfigs().forEach(out::add);
        }
        return out;
    }

    private static String errorCode(software.amazon.awssdk.services.ec2.model.Ec2Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new HashMap<>();
        if (tags != null) {
            tags.forEach(t -> out.put(t.key(), Objects.requireNonNullElse(t.value(), "")));
        }
        return out;
    }

    private static ResourceResult result(String region, String id, String type, String name, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.SPOT_FLEET, region, id, type, name, outcome, reason);
    }
}
