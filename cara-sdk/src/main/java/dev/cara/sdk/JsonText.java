package dev.cara.sdk;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Turns a body into something the readers can use: text decoded strictly as UTF-8, checked to be
 * exactly one JSON object, parsed into a tree or handed to the streaming heartbeat reader. Every
 * failure is an {@link InvalidException} whose message {@link SyntaxErrors} derives from the
 * parser's events and locations, never from its exception messages.
 *
 * <p>Immutable and thread-safe: JSON-P parser factories are. Tests build one over a parser factory
 * of their own to check that the details do not depend on the parser's wording.
 */
final class JsonText {
    static final JsonText STANDARD = new JsonText(JsonProvider.provider().createParserFactory(Map.of()));
    static final String EMPTY_BODY = "the body is empty: a JSON object is required";
    static final String NOT_UTF8 = "malformed JSON: the body is not valid UTF-8";

    private final JsonParserFactory parsers;

    JsonText(JsonParserFactory parsers) {
        this.parsers = parsers;
    }

    /** Parses one JSON object, with nothing but whitespace around it. */
    JsonObject object(String text) {
        if (isBlank(text)) {
            throw new InvalidException(EMPTY_BODY);
        }
        try (JsonParser p = parser(text)) {
            if (p.hasNext() && p.next() == JsonParser.Event.START_OBJECT) {
                JsonObject object = p.getObject();
                if (!p.hasNext()) {
                    return object;
                }
            }
        } catch (RuntimeException e) {
            // Not well-formed; what is wrong comes from the text below, not from this exception's wording.
        }
        throw explain(text);
    }

    JsonObject object(byte[] body) {
        if (isBlank(body)) {
            throw new InvalidException(EMPTY_BODY);
        }
        return object(utf8(body));
    }

    /** A heartbeat body, read by {@link HeartbeatStream}; an empty or all-whitespace body is an empty report. */
    HeartbeatReport heartbeat(String text) {
        if (text == null || isBlank(text)) {
            return HeartbeatReport.EMPTY;
        }
        return HeartbeatStream.read(this, text);
    }

    HeartbeatReport heartbeat(byte[] body) {
        if (isBlank(body)) {
            return HeartbeatReport.EMPTY;
        }
        return heartbeat(utf8(body));
    }

    JsonParser parser(String text) {
        return parsers.createParser(new StringReader(text));
    }

    /** The first fault in {@code text} as one JSON object or array, or null when there is none. */
    InvalidException firstFault(String text) {
        return SyntaxErrors.firstFault(parsers, text, true);
    }

    /** Why {@code text}, which did not parse as one JSON object, did not. */
    InvalidException explain(String text) {
        return SyntaxErrors.explain(parsers, text);
    }

    /**
     * Decodes a body as UTF-8 (RFC 8259: JSON between systems is UTF-8), refusing malformed bytes.
     * This is the heartbeat's hot path: one vectorised decode into a String, and a strict second look
     * only in the rare case that the text holds U+FFFD (which malformed input turns into, but a sender
     * may also have meant).
     */
    static String utf8(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                throw new InvalidException(NOT_UTF8);
            }
        }
        return text;
    }

    static boolean isBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!SyntaxErrors.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!SyntaxErrors.isWhitespace((char) b)) {
                return false;
            }
        }
        return true;
    }
}
