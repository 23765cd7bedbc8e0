package dev.cara.sdk;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * <p>The trees ({@link QuickTree}) are immutable, ordered as the text, and equal (per the JSON-P
 * contracts) to JSON-P's.
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
            return new QuickTree.QObject(members);
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
                return new QuickTree.QObject(members);
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
            return new QuickTree.QArray(items);
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
                return new QuickTree.QArray(items);
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
                return s == null ? null : new QuickTree.QString(s);
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
        return new QuickTree.QNumber(negative ? -value : value);
    }
}
