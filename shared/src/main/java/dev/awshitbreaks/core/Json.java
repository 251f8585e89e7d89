package dev.awshitbreaks.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.temporal.Temporal;

/**
 * The product's one configured Jackson {@link ObjectMapper}.
 *
 * <p>Every document it reads into a type is untrusted (requests, handler inputs, stored snapshots, reports,
 * the launcher's config file), so a value of the wrong JSON type is refused, naming the field, rather than
 * coerced into something nobody wrote: a number, boolean or object where a string is expected, a string
 * ({@code "true"}, {@code "5"}) or a number where a boolean is expected, a string or a fraction where a whole
 * number is expected, a number for an enum, a single value where a list is expected, {@code null} for a
 * primitive. A whole number where a decimal is expected stays accepted: {@code 1} is the JSON for {@code 1.0}
 * (and {@code WRITE_BIGDECIMAL_AS_PLAIN} writes a whole amount that way). Documents read as trees
 * ({@code readTree}: AWS's SNS and EventBridge envelopes, alarm messages) are not affected; their readers
 * check each field's type themselves.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // a document that names a field twice is refused, never read as whichever value came last
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("text-only").setDeserializerModifier(new TextOnlyValues()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            // money is written as the exact decimal it is (0.0000041667, never 4.1667E-6)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            // no coercion of a value of one JSON type into another (see the class comment)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
            .disable(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT)
            .disable(DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Json() {
    }

    /**
     * Enums (read by their {@code @JsonCreator} from a string) and java.time values are written as strings, and only a
     * string is read as one: Jackson would otherwise turn {@code 7} into the enum id {@code "7"}, and a number into an
     * Instant that many seconds after 1970.
     */
    private static final class TextOnlyValues extends BeanDeserializerModifier {
        @Override
        public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type, BeanDescription beanDesc,
                JsonDeserializer<?> deserializer) {
            return new TextOnly(deserializer);
        }

        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription beanDesc,
                JsonDeserializer<?> deserializer) {
            return Temporal.class.isAssignableFrom(beanDesc.getBeanClass()) ? new TextOnly(deserializer) : deserializer;
        }
    }

    private static final class TextOnly extends DelegatingDeserializer {
        TextOnly(JsonDeserializer<?> delegatee) {
            super(delegatee);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new TextOnly(newDelegatee);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return ctxt.handleUnexpectedToken(handledType(), p);
            }
            return _delegatee.deserialize(p, ctxt);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Says which field of a document has a value of the wrong type, and what was expected, e.g.
     * {@code field 'dryRun' has the wrong type: expected true or false}. The value itself is not repeated.
     */
    public static String wrongType(MismatchedInputException e) {
        return "field " + Shown.quote(path(e)) + " has the wrong type: expected " + expected(e.getTargetType());
    }

    /** The dotted path of the field a Jackson failure is about ({@code tags.env}, {@code regions[0]}), or (root). */
    public static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(root)" : sb.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class || type == Short.class
                || type == short.class || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "a timestamp string";
        }
        return "an object";
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
