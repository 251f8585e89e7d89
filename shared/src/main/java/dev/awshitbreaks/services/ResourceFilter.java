package dev.awshitbreaks.services;

import dev.awshitbreaks.core.Request;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which resources a request selects. Resources whose tags do not all match {@code tags} are not
 * targeted at all; protected, excluded-by-tag and excluded-by-id resources are skipped with a reason.
 */
public record ResourceFilter(Map<String, String> tags, Map<String, String> excludeTags, Set<String> excludeIds) {
    public static final String PROTECT_TAG = "aws-hit-breaks:protect";
    public static final String STACK_TAG = "aws-hit-breaks:stack";

    public ResourceFilter {
        tags = Map.copyOf(tags);
        excludeTags = Map.copyOf(excludeTags);
        excludeIds = Set.copyOf(excludeIds);
    }

    public static ResourceFilter of(Request request) {
        return new ResourceFilter(request.tags(), request.excludeTags(), Set.copyOf(request.excludeIds()));
    }

    public static ResourceFilter none() {
        return new ResourceFilter(Map.of(), Map.of(), Set.of());
    }

    /** True when every required tag matches. */
    public boolean selects(Map<String, String> resourceTags) {
        for (var e : tags.entrySet()) {
            if (!e.getValue().equals(resourceTags.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Why a selected resource must be left alone, if it must. */
    public Optional<String> exclusion(String id, Map<String, String> resourceTags) {
        if ("true".equalsIgnoreCase(resourceTags.getOrDefault(PROTECT_TAG, ""))) {
            return Optional.of("protected by tag " + PROTECT_TAG + "=true");
        }
        if (resourceTags.containsKey(STACK_TAG)) {
            return Optional.of("belongs to the aws-hit-breaks stack itself");
        }
        if (excludeIds.contains(id)) {
            return Optional.of("excluded by id");
        }
        for (var e : excludeTags.entrySet()) {
            if (e.getValue().equals(resourceTags.get(e.getKey()))) {
                return Optional.of("excluded by tag " + e.getKey() + "=" + e.getValue());
            }
        }
        return Optional.empty();
    }
}
