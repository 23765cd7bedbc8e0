package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client is told about a body that is not one well-formed JSON object: the exact detail of
 * its 400, the same from every reader the server uses, and independent of the parser's wording.
 */
class MalformedJsonTest {
    private static final String DEEP_ARRAYS = "{\"unknown\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
    private static final String DEEP_OBJECTS = "{\"a\":" + "{\"b\":".repeat(3000) + "1" + "}".repeat(3001);

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                // truncated
                Arguments.of("{", "malformed JSON at line 1, column 2: found the end of the body where a string or '}' should be"),
                Arguments.of("{\"state\":", "malformed JSON at line 1, column 10: found the end of the body where a value should be"),
                Arguments.of("{\"state\": \"Rea", "malformed JSON at line 1, column 15: unexpected end of the body"),
                Arguments.of("{\"conditions\": [{\"type\": \"A\"}",
                        "malformed JSON at line 1, column 30: found the end of the body where ',' or ']' should be"),
                Arguments.of("{\"network\": {\"agentPort\": 90",
                        "malformed JSON at line 1, column 29: found the end of the body where ',' or '}' should be"),
                Arguments.of("{\"a\":tr", "malformed JSON at line 1, column 8: unexpected end of the body"),
                Arguments.of("{\"a\":\"\\u00", "malformed JSON at line 1, column 11: unexpected end of the body"),
                // trailing data
                Arguments.of("{}{}", "the body has data after the JSON object (line 1, column 3): send exactly one JSON object"),
                Arguments.of("{} x", "the body has data after the JSON object (line 1, column 4): send exactly one JSON object"),
                Arguments.of("{\"a\":1}}", "the body has data after the JSON object (line 1, column 8): send exactly one JSON object"),
                Arguments.of("{}\r\n{}", "the body has data after the JSON object (line 2, column 1): send exactly one JSON object"),
                Arguments.of("{} null", "the body has data after the JSON object (line 1, column 4): send exactly one JSON object"),
                // bad tokens
                Arguments.of("{\"a\":}", "malformed JSON at line 1, column 6: found '}' where a value should be"),
                Arguments.of("{\"a\" 1}", "malformed JSON at line 1, column 6: found a number where ':' should be"),
                Arguments.of("{\"a\" \"b\"}", "malformed JSON at line 1, column 6: found a string where ':' should be"),
                Arguments.of("{\"a\":1,}", "malformed JSON at line 1, column 8: found '}' where a string should be"),
                Arguments.of("{,}", "malformed JSON at line 1, column 2: found ',' where a string or '}' should be"),
                Arguments.of("{\"a\":01}", "malformed JSON at line 1, column 7: found a number where ',' or '}' should be"),
                Arguments.of("{\"a\":[1 2]}", "malformed JSON at line 1, column 9: found a number where ',' or ']' should be"),
                Arguments.of("{\"a\":[}", "malformed JSON at line 1, column 7: found '}' where a value or ']' should be"),
                Arguments.of("{\"a\":[1]]}", "malformed JSON at line 1, column 9: found ']' where ',' or '}' should be"),
                Arguments.of("{\"a\"::1}", "malformed JSON at line 1, column 6: found ':' where a value should be"),
                Arguments.of("{true: 1}", "malformed JSON at line 1, column 2: found true where a string or '}' should be"),
                Arguments.of("}", "malformed JSON at line 1, column 1: found '}' where a value should be"),
                Arguments.of("{'a':1}", "malformed JSON at line 1, column 2: unexpected character ''' (strings and field names need double quotes)"),
                Arguments.of("{\n a: 1}", "malformed JSON at line 2, column 2: unexpected character 'a' (strings and field names need double quotes)"),
                Arguments.of("{\"a\":True}", "malformed JSON at line 1, column 6: unexpected character 'T' (strings and field names need double quotes)"),
                Arguments.of("{\"a\":tru}", "malformed JSON at line 1, column 9: unexpected character '}'"),
                Arguments.of("{\"a\":+1}", "malformed JSON at line 1, column 6: unexpected character '+'"),
                Arguments.of("{\"a\":1.}", "malformed JSON at line 1, column 8: unexpected character '}'"),
                Arguments.of("{\"a\":\"\\x\"}", "malformed JSON at line 1, column 8: unexpected character 'x' after a backslash "
                        + "(a string may escape only \" \\ / b f n r t and uXXXX)"),
                Arguments.of("/* note */ {}", "malformed JSON at line 1, column 1: unexpected character '/'"),
                // smart quotes, as word processors and chat tools write them
                Arguments.of("{\u201cstate\u201d: 1}", "malformed JSON at line 1, column 2: unexpected character '\u201c'"),
                Arguments.of("{\"state\": \u201cReady\u201d}", "malformed JSON at line 1, column 11: unexpected character '\u201c'"),
                // byte-order mark and control characters
                Arguments.of("\uFEFF{}", "malformed JSON at line 1, column 1: unexpected byte-order mark (U+FEFF): send the JSON without one"),
                Arguments.of("{\"a\":\"\u0001\"}", "malformed JSON at line 1, column 7: unexpected control character U+0001 "
                        + "(inside a string, write it escaped, as in \\n)"),
                Arguments.of("{\"a\":\"line\nbreak\"}", "malformed JSON at line 1, column 11: unexpected control character U+000A "
                        + "(inside a string, write it escaped, as in \\n)"),
                Arguments.of("{\u0000}", "malformed JSON at line 1, column 2: unexpected control character U+0000"),
                // deep nesting and huge numbers
                Arguments.of(DEEP_ARRAYS, "malformed JSON: objects and arrays are nested too deeply (at most 999 levels)"),
                Arguments.of(DEEP_OBJECTS, "malformed JSON: objects and arrays are nested too deeply (at most 999 levels)"),
                Arguments.of("{\"unknown\": 1e99999999999}", SyntaxErrors.OUT_OF_RANGE),
                Arguments.of("{\"network\": {\"agentPort\": -1e-99999999999}}", SyntaxErrors.OUT_OF_RANGE),
                Arguments.of("{\"capacity\": {\"cpu\": 1e99999999999}, \"state\": \"nope\"}", SyntaxErrors.OUT_OF_RANGE),
                // other values than an object
                Arguments.of("[]", "the body must be a JSON object, not an array"),
                Arguments.of("[{", "the body must be a JSON object, not an array"),
                Arguments.of("5", "the body must be a JSON object, not a number"),
                Arguments.of("\"node\"", "the body must be a JSON object, not a string"),
                Arguments.of("null", "the body must be a JSON object, not null"));
    }

    static List<String> bodies() {
        List<String> all = new ArrayList<>();
        malformedBodies().forEach(a -> all.add((String) a.get()[0]));
        return all;
    }

    private static String detail(org.junit.jupiter.api.function.Executable read) {
        InvalidException e = assertThrows(InvalidException.class, read);
        assertNull(e.field(), "a document-level error names no field");
        return e.getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void everyReaderTheServerUsesGivesTheSameExactDetail(String body, String expected) {
        byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected, detail(() -> CaraJson.parseManifest(new ByteArrayInputStream(utf8))), "manifest");
        assertEquals(expected, detail(() -> CaraJson.parseHeartbeat(utf8)), "heartbeat");
        assertEquals(expected, detail(() -> CaraJson.parseNode(body)), "node");
        assertEquals(expected, detail(() -> CaraJson.parseHeartbeat(body)), "heartbeat from text");
    }

    @Test
    void badJsonDetailDoesNotDependOnParssonMessages() {
        GarblingParsers garbling = new GarblingParsers();
        JsonText other = new JsonText(garbling);
        for (String body : bodies()) {
            assertEquals(detail(() -> JsonText.STANDARD.object(body)), detail(() -> other.object(body)), body);
            byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
            assertEquals(detail(() -> JsonText.STANDARD.heartbeat(utf8)), detail(() -> other.heartbeat(utf8)), body);
        }
        assertTrue(garbling.garbled.get() >= bodies().size(), "the parser's exceptions were garbled: " + garbling.garbled);
    }

    @Test
    void bytesThatAreNotUtf8AreSaidToBe() {
        for (byte[] body : List.of(new byte[] {'{', (byte) 0xff, '}'}, new byte[] {'{', '"', (byte) 0xc3, '"', '}'},
                new byte[] {'{', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ':', '1', '}'})) {
            assertEquals(JsonText.NOT_UTF8, detail(() -> CaraJson.parseHeartbeat(body)));
            assertEquals(JsonText.NOT_UTF8, detail(() -> CaraJson.parseManifest(new ByteArrayInputStream(body))));
        }
    }

    @Test
    void anEmptyBodyIsAnEmptyHeartbeatButNoManifest() {
        for (String blank : List.of("", " ", " \r\n\t ")) {
            assertSame(HeartbeatReport.EMPTY, CaraJson.parseHeartbeat(blank.getBytes(StandardCharsets.UTF_8)));
            assertEquals(JsonText.EMPTY_BODY, detail(() -> CaraJson.parseManifest(
                    new ByteArrayInputStream(blank.getBytes(StandardCharsets.UTF_8)))));
        }
        // Only JSON's own whitespace is blank: a no-break space is a character that does not belong.
        assertEquals("malformed JSON at line 1, column 1: unexpected character '\u00a0'",
                detail(() -> CaraJson.parseHeartbeat("\u00a0".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aBadFieldIsReportedOnlyWhenTheWholeBodyIsWellFormed() {
        // The heartbeat reader streams; a field it has already seen to be wrong must not hide a syntax error after it.
        assertEquals("malformed JSON at line 1, column 30: found '}' where a value should be",
                detail(() -> CaraJson.parseHeartbeat("{\"state\": \"ready\", \"network\":}".getBytes(StandardCharsets.UTF_8))));
    }
}
