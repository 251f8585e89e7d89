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

    /** A document as this version writes it (with a price and a reason), kept literally so that it must go on reading. */
    static final String TODAYS_FORMAT = """
            {
              "formatVersion" : 1,
              "header" : {
                "operationId" : "pause-20261125-181921-3fa9c1",
                "action" : "pause",
                "dryRun" : false,
                "status" : "PAUSED",
                "trigger" : "manual",
                "request" : {
                  "action" : "pause",
                  "regions" : [ "all" ],
                  "services" : [ "ec2", "rds", "aurora", "ecs", "autoscaling", "lambda" ],
                  "tags" : { },
                  "excludeTags" : { },
                  "excludeIds" : [ ],
                  "dryRun" : false,
                  "snapshotId" : null,
                  "trigger" : "manual"
                },
                "createdAt" : "2026-11-25T18:19:21Z",
                "updatedAt" : "2026-11-25T18:19:21Z"
              },
              "records" : [ {
                "snapshotId" : "pause-20261125-181921-3fa9c1",
                "service" : "ec2",
                "region" : "us-east-1",
                "id" : "i-0123456789abcdef0",
                "type" : "t3.micro",
                "name" : "web",
                "tags" : { "env" : "prod" },
                "original" : { "state" : "running", "count" : 2, "ebsOptimized" : true, "weights" : [ 1, 2.5 ] },
                "phase" : "paused",
                "reason" : "stopped",
                "recordedAt" : "2026-11-25T18:19:21Z",
                "updatedAt" : "2026-11-25T18:19:21Z",
                "hourlyCost" : 0.0104,
                "priceSource" : "bundled"
              }, {
                "snapshotId" : "pause-20261125-181921-3fa9c1",
                "service" : "rds",
                "region" : "eu-west-1",
                "id" : "orders-db",
                "tags" : { },
                "original" : { },
                "phase" : "skipped",
                "recordedAt" : "2026-11-25T18:19:21Z",
                "updatedAt" : "2026-11-25T18:19:21Z",
                "hourlyCost" : 0
              } ]
            }
            """;

    @Test
    void aDocumentInTodaysFormatStillReads() {
        SnapshotDocument doc = SnapshotDocument.parse(TODAYS_FORMAT);
        assertThat(doc.records()).hasSize(2);
        assertThat(doc.records().get(0).original()).containsEntry("count", 2).containsEntry("ebsOptimized", true);
        assertThat(doc.records().get(0).hourlyCost()).isEqualTo(0.0104);
        assertThat(doc.records().get(1).hourlyCost()).isEqualTo(0.0);
        assertThat(doc.header().request().services()).hasSize(6);
    }

    /**
     * Every field of a stored document (its header, the request in it, a record) replaced by each JSON type it is
     * not: refused as corrupt naming the field, never coerced into a value nobody wrote. The record's {@code original}
     * is the service's own state, of any types; as a whole it must still be an object.
     */
    static Stream<Arguments> wrongTypes() throws Exception {
        JsonNode doc = Json.mapper().readTree(TODAYS_FORMAT);
        List<Arguments> out = new java.util.ArrayList<>();
        wrongTypesOf(out, doc.path("header"), "/header");
        wrongTypesOf(out, doc.path("records").get(0), "/records/0");
        return out.stream();
    }

    private static void wrongTypesOf(List<Arguments> out, JsonNode node, String pointer) {
        node.fields().forEachRemaining(e -> {
            String at = pointer + "/" + e.getKey();
            JsonNode v = e.getValue();
            List<String> wrong = new java.util.ArrayList<>(List.of("7", "1.5", "true", "\"true\"", "{\"a\": \"b\"}", "[\"x\"]"));
            if (v.isTextual() || v.isNull()) {
                wrong.remove("\"true\"");
            } else if (v.isBoolean()) {
                wrong.remove("true");
                wrong.add("1");
            } else if (v.isNumber()) {
                wrong.removeAll(List.of("7", "1.5"));
                wrong.add("\"1\"");
            } else if (v.isArray()) {
                wrong.remove("[\"x\"]");
                wrong.add("\"x\"");
            } else if (v.isObject()) {
                wrong.remove("{\"a\": \"b\"}");
            }
            for (String w : wrong) {
                out.add(Arguments.of(at, w));
            }
            if (v.isObject() && !e.getKey().equals("original")) {
                wrongTypesOf(out, v, at);
            } else if (v.isArray() && !v.isEmpty()) {
                for (String w : List.of("7", "true", "{\"a\": \"b\"}")) {
                    out.add(Arguments.of(at + "/0", w));
                }
            }
        });
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wrongTypes")
    void aWronglyTypedFieldIsRefusedAsCorruptNamingIt(String pointer, String value) throws Exception {
        JsonNode doc = Json.mapper().readTree(TODAYS_FORMAT);
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = doc.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        JsonNode wrong = Json.mapper().readTree(value);
        if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), wrong);
        } else {
            ((ObjectNode) parent).set(last, wrong);
        }
        String[] names = pointer.split("/");
        String field = last.matches("\\d+") ? names[names.length - 2] : last;

        assertThatThrownBy(() -> SnapshotDocument.parse(Json.write(doc))).as(pointer + " = " + value)
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining(field);
    }

    @Test
    void aWholeDocumentReadsBackAsWritten() {
        SnapshotDocument doc = valid();
        assertThat(SnapshotDocument.parse(Json.writePretty(doc))).isEqualTo(doc);
        JsonNode tree = Json.mapper().valueToTree(doc);
        assertThat(tree.path("formatVersion").asInt()).isEqualTo(SnapshotDocument.FORMAT_VERSION);
    }
}
