package dev.cara.sdk;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON-P values {@link QuickJson} builds: immutable, in the text's order, and equal to JSON-P's
 * own by the contracts of {@link JsonString#equals} and {@link JsonNumber#equals}.
 */
final class QuickTree {
    private QuickTree() {
    }

    static final class QObject extends AbstractMap<String, JsonValue> implements JsonObject {
        private final Map<String, JsonValue> members;

        QObject(Map<String, JsonValue> members) {
            this.members = Collections.unmodifiableMap(members);
        }

        @Override
        public Set<Entry<String, JsonValue>> entrySet() {
            return members.entrySet();
        }

        @Override
        public JsonValue get(Object key) {
            return members.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return members.containsKey(key);
        }

        @Override
        public int size() {
            return members.size();
        }

        @Override
        public JsonArray getJsonArray(String name) {
            return (JsonArray) get(name);
        }

        @Override
        public JsonObject getJsonObject(String name) {
            return (JsonObject) get(name);
        }

        @Override
        public JsonNumber getJsonNumber(String name) {
            return (JsonNumber) get(name);
        }

        @Override
        public JsonString getJsonString(String name) {
            return (JsonString) get(name);
        }

        @Override
        public String getString(String name) {
            return getJsonString(name).getString();
        }

        @Override
        public String getString(String name, String defaultValue) {
            return stringOr(get(name), defaultValue);
        }

        @Override
        public int getInt(String name) {
            return getJsonNumber(name).intValue();
        }

        @Override
        public int getInt(String name, int defaultValue) {
            return intOr(get(name), defaultValue);
        }

        @Override
        public boolean getBoolean(String name) {
            return bool(get(name));
        }

        @Override
        public boolean getBoolean(String name, boolean defaultValue) {
            return boolOr(get(name), defaultValue);
        }

        @Override
        public boolean isNull(String name) {
            return get(name).equals(JsonValue.NULL);
        }

        @Override
        public ValueType getValueType() {
            return ValueType.OBJECT;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("{");
            for (Entry<String, JsonValue> e : members.entrySet()) {
                sb.append(sb.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":").append(e.getValue());
            }
            return sb.append('}').toString();
        }
    }

    static final class QArray extends AbstractList<JsonValue> implements JsonArray {
        private final List<JsonValue> items;

        QArray(List<JsonValue> items) {
            this.items = items;
        }

        @Override
        public JsonValue get(int index) {
            return items.get(index);
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public JsonObject getJsonObject(int index) {
            return (JsonObject) get(index);
        }

        @Override
        public JsonArray getJsonArray(int index) {
            return (JsonArray) get(index);
        }

        @Override
        public JsonNumber getJsonNumber(int index) {
            return (JsonNumber) get(index);
        }

        @Override
        public JsonString getJsonString(int index) {
            return (JsonString) get(index);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends JsonValue> List<T> getValuesAs(Class<T> clazz) {
            return (List<T>) this;
        }

        @Override
        public String getString(int index) {
            return getJsonString(index).getString();
        }

        @Override
        public String getString(int index, String defaultValue) {
            return stringOr(at(index), defaultValue);
        }

        @Override
        public int getInt(int index) {
            return getJsonNumber(index).intValue();
        }

        @Override
        public int getInt(int index, int defaultValue) {
            return intOr(at(index), defaultValue);
        }

        @Override
        public boolean getBoolean(int index) {
            return bool(get(index));
        }

        @Override
        public boolean getBoolean(int index, boolean defaultValue) {
            return boolOr(at(index), defaultValue);
        }

        /** The item at {@code index}, or null outside the array (for the getters with a default). */
        private JsonValue at(int index) {
            return index >= 0 && index < size() ? get(index) : null;
        }

        @Override
        public boolean isNull(int index) {
            return get(index).equals(JsonValue.NULL);
        }

        @Override
        public ValueType getValueType() {
            return ValueType.ARRAY;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("[");
            for (JsonValue v : items) {
                sb.append(sb.length() > 1 ? "," : "").append(v);
            }
            return sb.append(']').toString();
        }
    }

    // The getters with a default: the value when it has the type, else the default.
    static String stringOr(JsonValue v, String defaultValue) {
        return v instanceof JsonString s ? s.getString() : defaultValue;
    }

    static int intOr(JsonValue v, int defaultValue) {
        return v instanceof JsonNumber n ? n.intValue() : defaultValue;
    }

    static boolean boolOr(JsonValue v, boolean defaultValue) {
        return v == JsonValue.TRUE || (v != JsonValue.FALSE && defaultValue);
    }

    static boolean bool(JsonValue v) {
        if (v == JsonValue.TRUE) {
            return true;
        }
        if (v == JsonValue.FALSE) {
            return false;
        }
        if (v == null) {
            throw new NullPointerException("no such value");
        }
        throw new ClassCastException("not a boolean: " + v.getValueType());
    }

    record QString(String getString) implements JsonString {
        @Override
        public CharSequence getChars() {
            return getString;
        }

        @Override
        public ValueType getValueType() {
            return ValueType.STRING;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof JsonString s && getString.equals(s.getString());
        }

        @Override
        public int hashCode() {
            return getString.hashCode();
        }

        @Override
        public String toString() {
            return '"' + getString + '"'; // nothing to escape: no quote, backslash or control character was read
        }
    }

    record QNumber(long value) implements JsonNumber {
        @Override
        public boolean isIntegral() {
            return true;
        }

        @Override
        public int intValue() {
            return (int) value;
        }

        @Override
        public int intValueExact() {
            return Math.toIntExact(value);
        }

        @Override
        public long longValue() {
            return value;
        }

        @Override
        public long longValueExact() {
            return value;
        }

        @Override
        public BigInteger bigIntegerValue() {
            return BigInteger.valueOf(value);
        }

        @Override
        public BigInteger bigIntegerValueExact() {
            return BigInteger.valueOf(value);
        }

        @Override
        public double doubleValue() {
            return value;
        }

        @Override
        public BigDecimal bigDecimalValue() {
            return BigDecimal.valueOf(value);
        }

        @Override
        public Number numberValue() {
            return value;
        }

        @Override
        public ValueType getValueType() {
            return ValueType.NUMBER;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof JsonNumber n && bigDecimalValue().equals(n.bigDecimalValue());
        }

        @Override
        public int hashCode() {
            return bigDecimalValue().hashCode();
        }

        @Override
        public String toString() {
            return Long.toString(value);
        }
    }
}
