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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A quick first reading of a JSON object, for the plain documents a cara server sends: ASCII-safe
 * strings without escapes, integers, nesting of a few levels, no key twice. Anything else (or
 * anything malformed) gives null, and {@link JsonText} parses the text with JSON-P as before; so for
 * every text the tree, or the error, is the one JSON-P gives.
 *
 * <p>Why: a short-lived client (caractrl) reads one answer per run, cold, in the interpreter. JSON-P's
 * provider lookup starts java.util.logging (JsonProvider has a logger), which reads logging.properties
 * and scans the class path for logger providers, and its tokenizer makes several calls per character;
 * this loop over a char array does neither, about a tenth of a {@code caractrl get nodes}.
 *
 * <p>The trees are immutable, ordered as the text, and equal (per the JSON-P contracts) to JSON-P's.
 */
final class QuickJson {
    private static final int MAX_DEPTH = 32;
    // The longest integer read here: 18 digits always fit in a long.
    private static final int MAX_DIGITS = 18;

    private final char[] text;
    private int at;

    private QuickJson(char[] text) {
        this.text = text;
    }

    /** The object {@code text} holds, or null when it is not plain (see above) or not well-formed. */
    static JsonObject object(String text) {
        try {
            QuickJson q = new QuickJson(text.toCharArray());
            q.skipSpace();
            if (q.at >= q.text.length || q.text[q.at] != '{') {
                return null;
            }
            JsonObject o = q.object(0);
            if (o == null) {
                return null;
            }
            q.skipSpace();
            return q.at == q.text.length ? o : null;
        } catch (RuntimeException e) {
            return null; // whatever it is, JSON-P says what
        }
    }

    private void skipSpace() {
        char[] t = text;
        int i = at;
        while (i < t.length && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t')) {
            i++;
        }
        at = i;
    }

    /** At '{'. */
    private JsonObject object(int depth) {
        if (depth >= MAX_DEPTH) {
            return null;
        }
        at++;
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipSpace();
        if (at < text.length && text[at] == '}') {
            at++;
            return new QObject(members);
        }
        while (true) {
            skipSpace();
            if (at >= text.length || text[at] != '"') {
                return null;
            }
            String key = string();
            if (key == null) {
                return null;
            }
            skipSpace();
            if (at >= text.length || text[at] != ':') {
                return null;
            }
            at++;
            JsonValue v = value(depth);
            if (v == null || members.put(key, v) != null) {
                return null; // a key twice: JSON-P's rule for that applies
            }
            skipSpace();
            if (at >= text.length) {
                return null;
            }
            char c = text[at++];
            if (c == '}') {
                return new QObject(members);
            }
            if (c != ',') {
                return null;
            }
        }
    }

    /** At '['. */
    private JsonArray array(int depth) {
        if (depth >= MAX_DEPTH) {
            return null;
        }
        at++;
        List<JsonValue> items = new ArrayList<>();
        skipSpace();
        if (at < text.length && text[at] == ']') {
            at++;
            return new QArray(items);
        }
        while (true) {
            JsonValue v = value(depth);
            if (v == null) {
                return null;
            }
            items.add(v);
            skipSpace();
            if (at >= text.length) {
                return null;
            }
            char c = text[at++];
            if (c == ']') {
                return new QArray(items);
            }
            if (c != ',') {
                return null;
            }
        }
    }

    private JsonValue value(int depth) {
        skipSpace();
        if (at >= text.length) {
            return null;
        }
        char c = text[at];
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"': {
                String s = string();
                return s == null ? null : new QString(s);
            }
            case 't':
                return literal("true") ? JsonValue.TRUE : null;
            case 'f':
                return literal("false") ? JsonValue.FALSE : null;
            case 'n':
                return literal("null") ? JsonValue.NULL : null;
            default:
                return number();
        }
    }

    private boolean literal(String word) {
        int n = word.length();
        if (at + n > text.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (text[at + i] != word.charAt(i)) {
                return false;
            }
        }
        at += n;
        return at >= text.length || !Character.isLetterOrDigit(text[at]);
    }

    /** At '"': the string's text, or null for one with an escape or a control character. */
    private String string() {
        char[] t = text;
        int start = at + 1;
        for (int i = start; i < t.length; i++) {
            char c = t[i];
            if (c == '"') {
                at = i + 1;
                return new String(t, start, i - start);
            }
            if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
                return null;
            }
        }
        return null;
    }

    /** An integer: -?(0|[1-9][0-9]*), at most 18 digits, not -0; else null. */
    private JsonValue number() {
        char[] t = text;
        int i = at;
        boolean negative = i < t.length && t[i] == '-';
        if (negative) {
            i++;
        }
        int first = i;
        long value = 0;
        while (i < t.length && t[i] >= '0' && t[i] <= '9') {
            value = value * 10 + (t[i] - '0');
            i++;
        }
        int digits = i - first;
        if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && t[first] == '0') || (negative && value == 0)) {
            return null;
        }
        if (i < t.length && (t[i] == '.' || t[i] == 'e' || t[i] == 'E' || Character.isLetterOrDigit(t[i]))) {
            return null;
        }
        at = i;
        return new QNumber(negative ? -value : value);
    }

    private static final class QObject extends AbstractMap<String, JsonValue> implements JsonObject {
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
            return get(name) instanceof JsonString s ? s.getString() : defaultValue;
        }

        @Override
        public int getInt(String name) {
            return getJsonNumber(name).intValue();
        }

        @Override
        public int getInt(String name, int defaultValue) {
            return get(name) instanceof JsonNumber n ? n.intValue() : defaultValue;
        }

        @Override
        public boolean getBoolean(String name) {
            return QuickJson.bool(get(name));
        }

        @Override
        public boolean getBoolean(String name, boolean defaultValue) {
            JsonValue v = get(name);
            return v == JsonValue.TRUE || (v != JsonValue.FALSE && defaultValue);
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

    private static final class QArray extends AbstractList<JsonValue> implements JsonArray {
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
            return index >= 0 && index < size() && get(index) instanceof JsonString s ? s.getString() : defaultValue;
        }

        @Override
        public int getInt(int index) {
            return getJsonNumber(index).intValue();
        }

        @Override
        public int getInt(int index, int defaultValue) {
            return index >= 0 && index < size() && get(index) instanceof JsonNumber n ? n.intValue() : defaultValue;
        }

        @Override
        public boolean getBoolean(int index) {
            return QuickJson.bool(get(index));
        }

        @Override
        public boolean getBoolean(int index, boolean defaultValue) {
            if (index < 0 || index >= size()) {
                return defaultValue;
            }
            JsonValue v = get(index);
            return v == JsonValue.TRUE || (v != JsonValue.FALSE && defaultValue);
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

    private static boolean bool(JsonValue v) {
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

    private record QString(String getString) implements JsonString {
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

    private record QNumber(long value) implements JsonNumber {
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
