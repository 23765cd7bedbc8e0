package dev.cara.sdk;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link QuickJson} reads the plain documents a server sends, and for every text the answers' reader
 * ({@link JsonText#ANSWERS}) gives what JSON-P alone gives: the same tree (equal, and printed the
 * same) or the same error.
 */
class QuickJsonTest {
    private static final String NODE_LIST = """
            {"apiVersion":"caravanserai/v1","kind":"NodeList","items":[{"apiVersion":"caravanserai/v1","kind":"Node",
             "metadata":{"name":"bench-0","labels":{"zone":"eu-1"},"annotations":{},"createdAt":"2026-12-04T01:07:21.709253536Z",
              "updatedAt":"2026-12-04T01:07:21.709253536Z","resourceVersion":"1"},"spec":{"hostname":"bench-0.lan","unschedulable":false},
             "status":{"state":"Ready","network":{"ip":"10.0.0.1","mode":"Direct","agentPort":9090},"capacity":{"cpu":"4","pods":110},
              "allocatable":{},"lastHeartbeat":null,"conditions":[{"type":"Ready","status":"Unknown","reason":"AwaitingFirstHeartbeat",
              "message":"no heartbeat received since registration","lastTransitionTime":"2026-12-04T01:07:21.709253536Z"}]}}],
             "n":[0,-1,123456789012345678,true,false,null,[],{}]}
            """;

    private static final List<String> NOT_PLAIN = List.of(
            "{\"a\":\"x\\\"y\"}", "{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":-0}", "{\"a\":01}", "{\"a\":1234567890123456789}",
            "{\"a\":1,\"a\":2}", "{\"a\":\"\uD83D\uDE00\"}", "{\"a\":\"tab\there\"}", "[1]", "{\"a\":1} x", "{\"a\":tru}",
            "{\"a\":truex}", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":[1,]}", "{", "",
            "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}");

    @Test
    void aServersNodeListIsReadQuicklyAndEqualsJsonPsTree() {
        JsonObject quick = QuickJson.object(NODE_LIST);
        assertNotNull(quick);
        assertSame(NODE_LIST);
        assertEquals(CaraJson.toJson(WireReader.nodeList(JsonText.STANDARD.object(NODE_LIST))),
                CaraJson.toJson(CaraJson.parseNodeList(NODE_LIST)));
    }

    @Test
    void anythingElseIsLeftToJsonPWithTheSameOutcome() {
        for (String text : NOT_PLAIN) {
            assertNull(QuickJson.object(text), text);
            assertSame(text);
        }
    }

    @Test
    void brokenDocumentsGiveJsonPsTreeOrJsonPsError() {
        long seed = Long.getLong("quickjson.seed", System.nanoTime());
        Random random = new Random(seed);
        String alphabet = "{}[]:,\"\\ -.0123456789eEtruefalsn\tx\u00e9";
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder(NODE_LIST);
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(sb.length());
                switch (random.nextInt(3)) {
                    case 0 -> sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> sb.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> sb.setLength(Math.max(1, at));
                }
            }
            try {
                assertSame(sb.toString());
            } catch (AssertionError e) {
                fail("seed " + seed + " (-Dquickjson.seed=" + seed + "), text " + sb, e);
            }
        }
    }

    /** The answers' reader and JSON-P alone agree on {@code text}. */
    private static void assertSame(String text) {
        Object quick;
        Object standard;
        try {
            JsonObject o = JsonText.ANSWERS.object(text);
            quick = List.of(o, o.toString());
        } catch (InvalidException e) {
            quick = e.getMessage();
        }
        try {
            JsonObject o = JsonText.STANDARD.object(text);
            standard = List.of(o, o.toString());
        } catch (InvalidException e) {
            standard = e.getMessage();
        }
        assertEquals(standard, quick, text);
    }
}
