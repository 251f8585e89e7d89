package dev.awshitbreaks.services;

import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import java.util.List;
import java.util.Map;

/**
 * Pauses and resumes one kind of resource in one region. The engine records each original state
 * ({@link Discovered#original}) before calling {@link #pause}, and gives {@link #resume} what it recorded as
 * {@link PausedResource}s; a pauser never sees or writes snapshots itself.
 */
public interface ResourcePauser {
    ServiceKind kind();

    /** Every selected resource that costs money now, each eligible or skipped with a reason. */
    List<Discovered> discover(String region, ResourceFilter filter);

    /** Pauses the eligible resources; one result per resource, never throwing for one resource's failure. */
    List<ResourceResult> pause(String region, List<Discovered> eligible);

    /** Puts back the original states the pause recorded; reports drift instead of fighting it. */
    List<ResourceResult> resume(String region, List<PausedResource> resources, boolean dryRun);

    /**
     * Of the resources a resume has started, those not yet ready to serve (a database still starting),
     * as "why" by id. Compute is resumed after databases are ready; most services are ready at once.
     */
    default Map<String, String> notReady(String region, List<PausedResource> resumed) {
        return Map.of();
    }
}
