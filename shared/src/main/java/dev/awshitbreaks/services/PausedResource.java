package dev.awshitbreaks.services;

import dev.awshitbreaks.core.ServiceKind;
import java.util.Objects;

/**
 * A resource a pause recorded, as a resume (or a readiness check) is given it: where it is, what it is called,
 * and its typed original state. The engine builds it from the snapshot record; pausers never see storage types.
 */
public record PausedResource(ServiceKind service, String region, String id, String type, String name,
        OriginalState original) {
    public PausedResource {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(original, "original");
        if (!OriginalState.typeOf(service).isInstance(original)) {
            throw new IllegalArgumentException("a " + service.id() + " resource's original state cannot be a "
                    + original.getClass().getSimpleName());
        }
    }

    /** Its original state as the type its service records (the constructor checked that it is one). */
    public <S extends OriginalState> S original(Class<S> type) {
        return type.cast(original);
    }
}
