package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.snapshot.CorruptSnapshotException;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of damaged snapshot documents ({@code snapshots/<id>.json} in S3): each is refused by
 * {@link SnapshotDocument#parse} with a {@link CorruptSnapshotException} naming the problem, and a whole document
 * reads back equal to what was written.
 */
class StoredSnapshotDocumentTest {
    static final String ID = "pause-20261125-181921-3fa9c1";

    static SnapshotDocument valid() {
        Instant t = Instant.parse("2026-11-25T18:19:21Z");
        OperationHeader h = new OperationHeader(ID, Action.PAUSE, false, OperationHeader.PAUSED, "manual",
                Request.of(Action.PAUSE).validated(), t, t, null);
        SnapshotRecord r = new SnapshotRecord(ID, ServiceKind.EC2, "us-east-1", "i-0123456789abcdef0", "t3.micro", "web",
                Map.of("env", "prod"), Map.of("state", "running"), Outcome.PAUSED, null, t, t);
        return new SnapshotDocument(SnapshotDocument.FORMAT_VERSION, h, List.of(r));
    }

    private static Arguments damaged(String name, Consumer<ObjectNode> change, String fragment) {
        ObjectNode doc = (ObjectNode) Json.mapper().valueToTree(valid());
        change.accept(doc);
        return Arguments.of(name, Json.write(doc), fragment);
    }

    private static ObjectNode record(ObjectNode doc) {
        return (ObjectNode) doc.path("records").get(0);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("empty", "", "is empty"),
                Arguments.of("truncated JSON", Json.write(valid()).substring(0, 120), "is not valid JSON"),
                Arguments.of("a JSON list", "[]", "is not a JSON object"),
                Arguments.of("duplicate field", "{\"formatVersion\": 1, \"formatVersion\": 2}", "is not valid JSON"),
                damaged("no format version", d -> d.remove("formatVersion"), "has no formatVersion"),
                damaged("a newer format version", d -> d.put("formatVersion", 2), "format version 2"),
                damaged("format version as text", d -> d.put("formatVersion", "1"), "has no formatVersion"),
                damaged("no header", d -> d.remove("header"), "header is missing"),
                damaged("header id is a path", d -> ((ObjectNode) d.path("header")).put("operationId", "../../x"),
                        "is not a pause's: id '../../x'"),
                damaged("header of a resume", d -> ((ObjectNode) d.path("header")).put("action", "resume"), "is not a pause's"),
                damaged("header without its request", d -> ((ObjectNode) d.path("header")).remove("request"), "misses a field"),
                damaged("header with an unknown field", d -> ((ObjectNode) d.path("header")).put("force", true),
                        "its header is unreadable"),
                damaged("records not a list", d -> d.put("records", "all of them"), "has no list of records"),
                damaged("record for an unknown service", d -> record(d).put("service", "warp"), "unknown service 'warp'"),
                damaged("record of another snapshot", d -> record(d).put("snapshotId", "pause-20200101-000000-000000"),
                        "belongs to snapshot 'pause-20200101-000000-000000'"),
                damaged("record whose region is a path", d -> record(d).put("region", "../../reports"),
                        "unknown region '../../reports'"),
                damaged("record without its id", d -> record(d).remove("id"), "record 1 of snapshot " + ID + " is unreadable"),
                damaged("record in an unknown phase", d -> record(d).put("phase", "exploded"), "is unreadable"),
                damaged("record that is a number", d -> ((ArrayNode) d.path("records")).set(0, 7), "is missing or not an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedAsCorruptNamingTheProblem(String name, String document, String fragment) {
        assertThatThrownBy(() -> SnapshotDocument.parse(document)).as(name)
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\tat ").hasSizeLessThan(400));
    }

    @Test
    void aWholeDocumentReadsBackAsWritten() {
        SnapshotDocument doc = valid();
        assertThat(SnapshotDocument.parse(Json.writePretty(doc))).isEqualTo(doc);
        JsonNode tree = Json.mapper().valueToTree(doc);
        assertThat(tree.path("formatVersion").asInt()).isEqualTo(SnapshotDocument.FORMAT_VERSION);
    }
}
