package dev.cara.sdk;

import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;
import java.util.BitSet;

/**
 * Says why a body is not one well-formed JSON object, in words a user can act on, with the line
 * and column: {@code malformed JSON at line 1, column 6: found '}' where a value should be}.
 *
 * <p>Why not from the parser's exception messages: those are Parsson's own wording ("Invalid
 * token=CURLYCLOSE ... Expected tokens are: [STRING]"), which is no API, so a Parsson upgrade could
 * quietly degrade every 400 (issue 15, defect 10). What JSON-P does specify is the parser's events
 * and {@link JsonLocation}s. So the body is parsed again, event by event, keeping track of where in
 * the grammar the parser stands; where it fails, the text at that place says what was found and the
 * grammar says what was expected. Only a fault inside one token (a string, number or literal that
 * cannot be read) takes its place from the exception's location.
 *
 * <p>This runs only for bodies that have already failed to parse. Stateless.
 */
final class SyntaxErrors {
    static final String OUT_OF_RANGE = "malformed JSON: a number is out of range (its exponent is too large to read)";

    private SyntaxErrors() {
    }

    /** What the grammar allows after the last event the parser returned. */
    private enum Expect {
        FIRST_VALUE("a value"),
        KEY_OR_OBJECT_END("a string or '}'"),
        KEY("a string"),
        COLON("':'"),
        VALUE("a value"),
        COMMA_OR_OBJECT_END("',' or '}'"),
        VALUE_OR_ARRAY_END("a value or ']'"),
        COMMA_OR_ARRAY_END("',' or ']'"),
        NOTHING("nothing");

        final String words;

        Expect(String words) {
            this.words = words;
        }

        boolean allowsValue() {
            return this == FIRST_VALUE || this == VALUE || this == VALUE_OR_ARRAY_END;
        }

        boolean allows(Token t) {
            return switch (this) {
                case KEY_OR_OBJECT_END -> t == Token.STRING || t == Token.OBJECT_END;
                case KEY -> t == Token.STRING;
                case COMMA_OR_OBJECT_END -> t == Token.OBJECT_END;
                case COMMA_OR_ARRAY_END -> t == Token.ARRAY_END;
                case VALUE_OR_ARRAY_END -> t.value || t == Token.ARRAY_END;
                case FIRST_VALUE, VALUE -> t.value;
                case COLON, NOTHING -> false;
            };
        }
    }

    /** The token that starts at a place in the text, told by its first characters. */
    private enum Token {
        OBJECT_START("'{'", true), OBJECT_END("'}'", false), ARRAY_START("'['", true), ARRAY_END("']'", false),
        COLON("':'", false), COMMA("','", false), STRING("a string", true), NUMBER("a number", true),
        TRUE("true", true), FALSE("false", true), NULL("null", true),
        /** t, f or n that does not go on to spell true, false or null. */
        BROKEN_LITERAL("a literal", true),
        OTHER("a character", false);

        final String words;
        final boolean value;

        Token(String words, boolean value) {
            this.words = words;
            this.value = value;
        }

        static Token at(String text, int i) {
            char c = text.charAt(i);
            return switch (c) {
                case '{' -> OBJECT_START;
                case '}' -> OBJECT_END;
                case '[' -> ARRAY_START;
                case ']' -> ARRAY_END;
                case ':' -> COLON;
                case ',' -> COMMA;
                case '"' -> STRING;
                case 't' -> text.startsWith("true", i) ? TRUE : BROKEN_LITERAL;
                case 'f' -> text.startsWith("false", i) ? FALSE : BROKEN_LITERAL;
                case 'n' -> text.startsWith("null", i) ? NULL : BROKEN_LITERAL;
                default -> c == '-' || (c >= '0' && c <= '9') ? NUMBER : OTHER;
            };
        }
    }

    /** Why {@code text}, which failed to parse as one JSON object, failed. Never null. */
    static InvalidException explain(JsonParserFactory parsers, String text) {
        InvalidException why = firstFault(parsers, text, false);
        return why != null ? why : new InvalidException("malformed JSON: the body cannot be read as one JSON object");
    }

    /**
     * The first fault in {@code text} read as one JSON object (or, with {@code arrays}, one object
     * or array) with nothing but whitespace after it, or {@code null} when there is none.
     */
    static InvalidException firstFault(JsonParserFactory parsers, String text, boolean arrays) {
        JsonParser parser = parsers.createParser(new StringReader(text));
        try {
            return walk(parser, text, arrays);
        } finally {
            try {
                parser.close();
            } catch (RuntimeException e) {
                // Reading a String cannot fail; nothing is lost if closing does.
            }
        }
    }

    private static InvalidException walk(JsonParser p, String text, boolean arrays) {
        BitSet inObject = new BitSet(); // inObject.get(d): the container at depth d (from 1) is an object
        int depth = 0;
        Expect expect = Expect.FIRST_VALUE;
        int end = 0; // where the text after the last event starts
        while (true) {
            JsonParser.Event e;
            try {
                if (!p.hasNext()) {
                    return expect == Expect.NOTHING ? null : found(text, text.length(), "the end of the body", expect);
                }
                e = p.next();
            } catch (RuntimeException fault) {
                return expect == Expect.NOTHING ? trailingData(text, end) : failure(text, expect, end, depth, fault);
            }
            if (expect == Expect.NOTHING) {
                return trailingData(text, end);
            }
            if (expect == Expect.FIRST_VALUE && e != JsonParser.Event.START_OBJECT
                    && !(arrays && e == JsonParser.Event.START_ARRAY)) {
                return new InvalidException("the body must be a JSON object, not " + describe(e));
            }
            switch (e) {
                case START_OBJECT, START_ARRAY -> {
                    inObject.set(++depth, e == JsonParser.Event.START_OBJECT);
                    expect = e == JsonParser.Event.START_OBJECT ? Expect.KEY_OR_OBJECT_END : Expect.VALUE_OR_ARRAY_END;
                }
                case KEY_NAME -> expect = Expect.COLON;
                case END_OBJECT, END_ARRAY -> expect = afterValue(inObject, --depth);
                case VALUE_NUMBER -> {
                    try {
                        p.getBigDecimal(); // the tree readers and the heartbeat reader all read it so
                    } catch (RuntimeException tooBig) {
                        return new InvalidException(OUT_OF_RANGE);
                    }
                    expect = afterValue(inObject, depth);
                }
                default -> expect = afterValue(inObject, depth);
            }
            end = offset(p.getLocation(), text, end);
        }
    }

    private static Expect afterValue(BitSet inObject, int depth) {
        if (depth == 0) {
            return Expect.NOTHING;
        }
        return inObject.get(depth) ? Expect.COMMA_OR_OBJECT_END : Expect.COMMA_OR_ARRAY_END;
    }

    /** The parser failed to return an event; the text from {@code end} on says why. */
    private static InvalidException failure(String text, Expect expect, int end, int depth, RuntimeException fault) {
        int n = text.length();
        int i = skipWhitespace(text, end);
        // A ':' or ',' that the parser took without returning an event for it.
        if (i < n) {
            char c = text.charAt(i);
            Expect next = switch (expect) {
                case COLON -> c == ':' ? Expect.VALUE : null;
                case COMMA_OR_OBJECT_END -> c == ',' ? Expect.KEY : null;
                case COMMA_OR_ARRAY_END -> c == ',' ? Expect.VALUE : null;
                default -> null;
            };
            if (next != null) {
                expect = next;
                i = skipWhitespace(text, i + 1);
            }
        }
        if (i >= n) {
            return found(text, n, "the end of the body", expect);
        }
        Token t = Token.at(text, i);
        if (t == Token.OTHER || (t == Token.BROKEN_LITERAL && !expect.allowsValue())) {
            return malformed(text, i, unexpected(text.codePointAt(i), false));
        }
        if (!expect.allows(t)) {
            return found(text, i, t.words, expect);
        }
        if (t == Token.OBJECT_START || t == Token.ARRAY_START) {
            // An object or array may start here, and the parser still refused it: only its depth can be at fault.
            return new InvalidException("malformed JSON: objects and arrays are nested too deeply (at most " + depth + " levels)");
        }
        // The token may stand here, so the fault lies inside it, where the parser's location points.
        int at = fault instanceof JsonParsingException jpe ? offset(jpe.getLocation(), text, -1) : -1;
        if (at < i) {
            return malformed(text, i, t.words + " that cannot be read");
        }
        if (at >= n) {
            return malformed(text, n, "unexpected end of the body");
        }
        if (t == Token.STRING && at - 1 > i && text.charAt(at - 1) == '\\') {
            return malformed(text, at, "unexpected character '" + Character.toString(text.codePointAt(at))
                    + "' after a backslash (a string may escape only \" \\ / b f n r t and uXXXX)");
        }
        return malformed(text, at, unexpected(text.codePointAt(at), t == Token.STRING));
    }

    private static String unexpected(int code, boolean inString) {
        if (code == 0xFEFF) {
            return "unexpected byte-order mark (U+FEFF): send the JSON without one";
        }
        if (code < 0x20) {
            return String.format("unexpected control character U+%04X", code)
                    + (inString ? " (inside a string, write it escaped, as in \\n)" : "");
        }
        if (!inString && (Character.isLetter(code) || code == '\'')) {
            return "unexpected character '" + Character.toString(code) + "' (strings and field names need double quotes)";
        }
        return "unexpected character '" + Character.toString(code) + "'";
    }

    private static InvalidException found(String text, int i, String what, Expect expect) {
        return malformed(text, i, "found " + what + " where " + expect.words + " should be");
    }

    private static InvalidException trailingData(String text, int end) {
        int i = skipWhitespace(text, end);
        String where = i < text.length() ? " (" + position(text, i) + ")" : "";
        return new InvalidException("the body has data after the JSON object" + where + ": send exactly one JSON object");
    }

    private static InvalidException malformed(String text, int i, String what) {
        return new InvalidException("malformed JSON at " + position(text, i) + ": " + what);
    }

    /** Line and column (from 1) of the character at {@code i}, or just past the end; a line ends at \n, \r or \r\n. */
    static String position(String text, int i) {
        int line = 1;
        int lineStart = 0;
        for (int k = 0; k < i && k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '\n' || (c == '\r' && (k + 1 >= text.length() || text.charAt(k + 1) != '\n'))) {
                line++;
                lineStart = k + 1;
            }
        }
        return "line " + line + ", column " + (i - lineStart + 1);
    }

    /** A location's offset into the text, or {@code otherwise} when the parser gives none that fits. */
    private static int offset(JsonLocation at, String text, int otherwise) {
        long offset = at == null ? -1 : at.getStreamOffset();
        return offset < 0 || offset > Integer.MAX_VALUE ? otherwise : (int) offset;
    }

    private static int skipWhitespace(String text, int i) {
        while (i < text.length() && isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** RFC 8259's whitespace: space, tab, line feed and carriage return, nothing else. */
    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static String describe(JsonParser.Event e) {
        return switch (e) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> e.name();
        };
    }
}
