package dev.awshitbreaks.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.BurnRate;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The burn rate of one pause as {@code --status} shows it: read from the pause's stored JSON report
 * ({@code reports/<id>.json}, one S3 GetObject), or why it is not known: no report stored, a report from before the
 * burn rate was reported (it has no {@code burnRate}), or one that cannot be read. Never an error: status goes on.
 *
 * @param burnRate the three figures, or null when not known
 * @param notKnownBecause why they are not known, or null when they are
 */
record StoredBurnRate(String operationId, BurnRate burnRate, String notKnownBecause) {

    static StoredBurnRate read(SnapshotStore store, String operationId) {
        Optional<String> doc;
        try {
            doc = store.getDocument(SnapshotStore.reportKey(operationId, "json"));
        } catch (SdkException e) {
            return notKnown(operationId, "its report could not be read: " + BrakeEngine.describe(e));
        }
        if (doc.isEmpty()) {
            return notKnown(operationId, "no report is stored for it (" + SnapshotStore.reportKey(operationId, "json") + ")");
        }
        try {
            JsonNode node = Json.mapper().readTree(doc.get()).get("burnRate");
            if (node == null || node.isNull()) {
                return notKnown(operationId, "its report is from a version before the burn rate was reported (it has no burnRate)");
            }
            return new StoredBurnRate(operationId, Json.mapper().treeToValue(node, BurnRate.class), null);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return notKnown(operationId, "its stored report is not a readable report");
        }
    }

    private static StoredBurnRate notKnown(String operationId, String why) {
        return new StoredBurnRate(operationId, null, why);
    }
}
