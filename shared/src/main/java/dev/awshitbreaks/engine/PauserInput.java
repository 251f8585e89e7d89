package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.PausedResource;
import dev.awshitbreaks.services.UnreadableOriginalStateException;
import dev.awshitbreaks.snapshot.CorruptSnapshotException;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps between what the snapshot stores ({@link SnapshotRecord}, whose {@code original} is the stored JSON object)
 * and what the pausers take and give: the typed {@link OriginalState} and {@link PausedResource}.
 */
final class PauserInput {
    private PauserInput() {
    }

    /** The JSON object a snapshot record stores for this original state. */
    static Map<String, Object> stored(OriginalState original) {
        return OriginalState.toStored(original);
    }

    /**
     * The resource a record describes, as its pauser takes it.
     *
     * @throws CorruptSnapshotException when its original state is not the one its service's pause writes, naming the field
     */
    static PausedResource of(SnapshotRecord r) {
        OriginalState original;
        try {
            original = OriginalState.read(r.service(), r.original());
        } catch (UnreadableOriginalStateException e) {
            throw new CorruptSnapshotException("snapshot " + r.snapshotId() + " has an unreadable record "
                    + Shown.quote(r.region() + "#" + r.service().id() + "#" + r.id()) + ": its original state is unreadable: "
                    + e.getMessage());
        }
        return new PausedResource(r.service(), r.region(), r.id(), r.type(), r.name(), original);
    }

    /** A resume target's records as its pauser takes them, and a failed result for each whose state is unreadable. */
    record ForResume(List<PausedResource> resources, List<ResourceResult> unreadable) {
    }

    /**
     * The records of one resume target as pauser input. The plan refused a snapshot with an unreadable original
     * state; one found here was changed since, and is reported failed and left as it is, not resumed by a guess.
     */
    static ForResume forResume(List<SnapshotRecord> records) {
        List<PausedResource> resources = new ArrayList<>();
        List<ResourceResult> unreadable = new ArrayList<>();
        for (SnapshotRecord r : records) {
            try {
                resources.add(of(r));
            } catch (CorruptSnapshotException e) {
                unreadable.add(new ResourceResult(r.service(), r.region(), r.id(), r.type(), r.name(), Outcome.FAILED,
                        e.getMessage() + "; record left as it is"));
            }
        }
        return new ForResume(List.copyOf(resources), List.copyOf(unreadable));
    }
}
