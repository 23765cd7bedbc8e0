package dev.cara.sdk;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed access to the fields of a JSON-P object, with the wire format's strictness: a value of the
 * wrong JSON type is an {@link InvalidException} naming the field's path, the value as it was sent
 * and what belongs there. A JSON {@code null} is the same as an absent field. Stateless.
 */
final class JsonFields {
    static final String STRING_RULE = "a string (in quotes)";
    static final String BOOLEAN_RULE = "a boolean (true or false, without quotes)";
    static final String TIMESTAMP_RULE = "an RFC 3339 timestamp such as 2026-01-02T15:04:05Z";

    private JsonFields() {
    }

    static String string(JsonObject o, String key, String path) {
        JsonString s = typed(o, key, path, JsonString.class, STRING_RULE);
        return s == null ? null : s.getString();
    }

    static Boolean bool(JsonObject o, String key, String path) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v == JsonValue.TRUE) {
            return true;
        }
        if (v == JsonValue.FALSE) {
            return false;
        }
        throw wrongType(path, v, BOOLEAN_RULE);
    }

    /** An integer from min to max; the rule names the range, since that is what a user must fix. */
    static Integer integer(JsonObject o, String key, String path, int min, int max, String rule) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v instanceof JsonNumber n && n.isIntegral()) {
            Integer value = intIn(n.bigDecimalValue(), min, max);
            if (value != null) {
                return value;
            }
            throw wrongType(path, v, rule);
        }
        throw wrongType(path, v, rule + " (a number without quotes)");
    }

    /**
     * A whole number (scale 0) as an int if it is from min to max, else null. Compared as a
     * BigDecimal: a 100-digit number must not become a wrapped-around int, and 1e999999999 (scale
     * below 0) must not be expanded to its billion digits.
     */
    static Integer intIn(BigDecimal number, int min, int max) {
        if (number.scale() == 0 && number.compareTo(BigDecimal.valueOf(min)) >= 0 && number.compareTo(BigDecimal.valueOf(max)) <= 0) {
            return number.intValue();
        }
        return null;
    }

    static JsonObject object(JsonObject o, String key, String path) {
        return typed(o, key, path, JsonObject.class, "an object");
    }

    static JsonArray array(JsonObject o, String key, String path) {
        return typed(o, key, path, JsonArray.class, "an array");
    }

    private static <T extends JsonValue> T typed(JsonObject o, String key, String path, Class<T> type, String rule) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        throw wrongType(path, v, rule);
    }

    static Map<String, String> stringMap(JsonObject o, String key, String path) {
        JsonObject m = object(o, key, path);
        if (m == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : m.entrySet()) {
            if (!(e.getValue() instanceof JsonString s)) {
                throw wrongType(path + "." + e.getKey(), e.getValue(), STRING_RULE);
            }
            out.put(e.getKey(), s.getString());
        }
        return out;
    }

    static Instant instant(JsonObject o, String key, String path) {
        return instant(string(o, key, path), path);
    }

    /** Reads a timestamp's text; null or empty is no timestamp. */
    static Instant instant(String text, String path) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Instant at = Rfc3339.parse(text);
        if (at == null) {
            throw new InvalidException(path, text, TIMESTAMP_RULE);
        }
        return at;
    }

    /** A value of the wrong JSON type, shown as the JSON the user sent: 5 bare, "yes" in quotes. */
    static InvalidException wrongType(String path, JsonValue v, String rule) {
        String json = v.toString();
        return InvalidException.ofJson(path, json, v instanceof JsonString s ? s.getString() : json, rule);
    }
}
