package dev.awshitbreaks.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB items as DynamoDB's own JSON ({@code {"pk": {"S": "..."}, "n": {"N": "1"}}}), both ways, exactly: how
 * a stored item is kept as a test resource. Test code, never product code.
 */
final class DynamoDbJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DynamoDbJson() {
    }

    static ObjectNode item(Map<String, AttributeValue> item) {
        ObjectNode out = F.objectNode();
        new TreeMap<>(item).forEach((k, v) -> out.set(k, value(v)));
        return out;
    }

    private static JsonNode value(AttributeValue v) {
        ObjectNode out = F.objectNode();
        switch (v.type()) {
            case S -> out.put("S", v.s());
            case N -> out.put("N", v.n());
            case BOOL -> out.put("BOOL", v.bool());
            case NUL -> out.put("NULL", true);
            case M -> out.set("M", item(v.m()));
            case L -> {
                ArrayNode list = out.putArray("L");
                v.l().forEach(e -> list.add(value(e)));
            }
            case SS -> {
                ArrayNode list = out.putArray("SS");
                v.ss().forEach(list::add);
            }
            case NS -> {
                ArrayNode list = out.putArray("NS");
                v.ns().forEach(list::add);
            }
            default -> throw new IllegalArgumentException("not kept as a test resource: " + v.type());
        }
        return out;
    }

    static Map<String, AttributeValue> item(JsonNode node) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), value(e.getValue()));
        }
        return out;
    }

    private static AttributeValue value(JsonNode typed) {
        Map.Entry<String, JsonNode> e = typed.fields().next();
        JsonNode v = e.getValue();
        return switch (e.getKey()) {
            case "S" -> AttributeValue.fromS(v.textValue());
            case "N" -> AttributeValue.fromN(v.textValue());
            case "BOOL" -> AttributeValue.fromBool(v.booleanValue());
            case "NULL" -> AttributeValue.fromNul(true);
            case "M" -> AttributeValue.fromM(item(v));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                v.forEach(x -> list.add(value(x)));
                yield AttributeValue.fromL(list);
            }
            case "SS" -> {
                List<String> list = new ArrayList<>();
                v.forEach(x -> list.add(x.textValue()));
                yield AttributeValue.fromSs(list);
            }
            case "NS" -> {
                List<String> list = new ArrayList<>();
                v.forEach(x -> list.add(x.textValue()));
                yield AttributeValue.fromNs(list);
            }
            default -> throw new IllegalArgumentException("unknown DynamoDB type " + e.getKey());
        };
    }
}
