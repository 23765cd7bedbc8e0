package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Issue 13: any byte string given to the readers the server uses for request bodies (the manifest
 * reader, then {@link Node#validate()}, the heartbeat reader, and the project readers of issue 16) either parses or throws an
 * {@link InvalidException}, never anything else: no NullPointerException, ArithmeticException,
 * JsonException, StackOverflowError or DateTimeException, any of which would be a 500. Random bytes,
 * and valid bodies broken by flips, cuts and insertions. QuickTheories prints the seed of a failure;
 * {@code -DQT_SEED=...} replays it.
 */
class JsonReadersFuzzTest {
    private static final int TRIES = 2500;

    /** A body; printed escaped, so that a failure shows the bytes. */
    record Body(byte[] bytes) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(bytes.length + 2).append('"');
            for (byte b : bytes) {
                int c = b & 0xff;
                sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
            }
            return sb.append('"').toString();
        }
    }

    private static final List<String> VALID = List.of(
            """
            {"state": "Ready", "network": {"ip": "10.0.0.7", "dnsName": "w1.lan", "mode": "Direct", "agentPort": 9090},
             "capacity": {"cpu": "8", "memory": "32Gi", "pods": 110}, "allocatable": {"cpu": "7500m", "memory": 3.1e10},
             "info": {"kernelVersion": "6.1.0", "osImage": "Debian 12", "agentVersion": "0.1.0"},
             "conditions": [{"type": "DiskPressure", "status": "False", "reason": "Fine", "message": "12% used",
                             "lastHeartbeatTime": "2026-01-02T15:04:05Z", "lastTransitionTime": "2026-01-02T15:04:05.5+02:00"}]}""",
            """
            {"apiVersion": "caravanserai/v1", "kind": "Node",
             "metadata": {"name": "worker-01", "labels": {"zone": "eu-1"}, "annotations": {"note": "rack 4"},
                          "createdAt": "2026-01-02T15:04:05Z", "resourceVersion": 7},
             "spec": {"hostname": "worker-01.lan", "unschedulable": false},
             "status": {"state": "Ready", "capacity": {"cpu": 4}}}""",
            "{\"metadata\": {\"name\": \"n\"}, \"extra\": [1, -2.5e3, true, null, {\"k\": [\"v\"]}]}",
            ProjectJsonTest.FULL_PROJECT,
            """
            {"kind": "Project", "metadata": {"name": "p"}, "spec": {"services": [{"name": "web", "image": "nginx:alpine",
             "env": [{"name": "A", "value": "1"}], "volumeMounts": [{"name": "v", "mountPath": "/v"}]}],
             "volumes": [{"name": "v"}], "ingress": [{"name": "r", "target": {"service": "web", "port": 80}}],
             "expireAt": "2030-01-01T00:00:00Z", "resources": {"requests": {"cpu": 0.5}}}}""",
            "{\"phase\": \"Failed\", \"reason\": \"Crashed\", \"message\": \"exit 1\"}",
            "{}");

    private static final List<byte[]> INSERTS = List.of(bytes("{"), bytes("["), bytes("\""), bytes("}"), bytes("]"), bytes(","),
            bytes(":"), bytes("\u0000"), bytes("\\"), bytes("\\u"), bytes("\uFEFF"), bytes("\u201c"), bytes("null"), bytes("\"x\":"),
            new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            bytes("1e99999999999"), bytes("-1e-99999999999"), bytes("1e2147483648"), bytes("123456789012345678901234567890"),
            bytes("1e999999999"), bytes("0.0000000000000000000000000001"), bytes("\"1e999999999\""), bytes("\"99999999Ei\""),
            bytes("\"9999-12-31T23:59:59Z\""), bytes("\"0000-01-01T00:00:00-18:00\""), bytes("\"\\ud800\""),
            bytes("[".repeat(1200)), bytes("{\"a\":".repeat(1100)), bytes("]".repeat(50)), bytes("\"" + "x".repeat(2000) + "\""));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private enum Kind { FLIP, CUT, INSERT, DELETE, DUPLICATE }

    private record Mutation(Kind kind, int at, int length, int bit, int insert) {
        byte[] apply(byte[] in) {
            int i = in.length == 0 ? 0 : at % (in.length + 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 64);
            switch (kind) {
                case FLIP -> {
                    byte[] copy = in.clone();
                    if (copy.length > 0) {
                        copy[Math.min(i, copy.length - 1)] ^= (byte) (1 << bit);
                    }
                    return copy;
                }
                case CUT -> out.write(in, 0, i);
                case INSERT -> {
                    out.write(in, 0, i);
                    out.writeBytes(INSERTS.get(insert % INSERTS.size()));
                    out.write(in, i, in.length - i);
                }
                case DELETE -> {
                    int n = Math.min(length, in.length - i);
                    out.write(in, 0, i);
                    out.write(in, i + n, in.length - i - n);
                }
                case DUPLICATE -> {
                    int n = Math.min(length, in.length - i);
                    out.write(in, 0, i + n);
                    out.write(in, i, in.length - i);
                }
            }
            return out.toByteArray();
        }
    }

    private static Gen<Body> randomBytes() {
        return lists().of(integers().between(0, 255)).ofSizeBetween(0, 300).map(list -> {
            byte[] b = new byte[list.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) list.get(i);
            }
            return new Body(b);
        });
    }

    /** Mostly JSON-ish bytes: structure characters and digits, so that the parser gets past the first token. */
    private static Gen<Body> jsonishBytes() {
        Gen<String> pieces = arbitrary().pick(List.of("{", "}", "[", "]", ",", ":", "\"", "\"state\"", "\"network\"",
                "\"agentPort\"", "\"capacity\"", "\"conditions\"", "\"metadata\"", "\"name\"", "\"type\"", "\"status\"", "1", "-",
                "e", ".", "9", "true", "null", " ", "\\", "\"Ready\"", "\"True\"", "\"8Gi\"", "1e99999999999", "\u0000", "\"spec\"", "\"services\"", "\"ingress\"",
                "\"target\"", "\"port\"", "\"phase\"", "\"Running\"", "\"kind\"", "\"Project\""));
        return lists().of(pieces).ofSizeBetween(0, 60).map(l -> new Body(bytes(String.join("", l))));
    }

    static Gen<Body> brokenValidBodies() {
        Gen<Mutation> mutations = arbitrary().enumValues(Kind.class).zip(integers().between(0, 4000), integers().between(1, 40),
                integers().between(0, 7), integers().between(0, INSERTS.size() - 1),
                (kind, at, length, bit, insert) -> new Mutation(kind, at, length, bit, insert));
        return arbitrary().pick(VALID).zip(lists().of(mutations).ofSizeBetween(1, 4), (doc, list) -> {
            byte[] b = bytes(doc);
            for (Mutation m : list) {
                b = m.apply(b);
            }
            return new Body(b);
        });
    }

    private static Gen<Body> bodies() {
        return randomBytes().mix(jsonishBytes(), 30).mix(brokenValidBodies(), 60);
    }

    /** True if reading either parses or says the input is invalid; anything else fails the property. */
    private static boolean parsesOrIsInvalid(Runnable read) {
        try {
            read.run();
        } catch (InvalidException expected) {
            // a 400
        }
        return true;
    }

    @Test
    void anyBytesGivenToTheManifestReaderParseOrAreInvalid() {
        qt().withExamples(TRIES).forAll(bodies()).check(body -> parsesOrIsInvalid(
                () -> CaraJson.parseManifest(new ByteArrayInputStream(body.bytes())).validate()));
    }

    @Test
    void anyBytesGivenToTheHeartbeatReaderParseOrAreInvalid() {
        qt().withExamples(TRIES).forAll(bodies()).check(body -> parsesOrIsInvalid(() -> CaraJson.parseHeartbeat(body.bytes())));
    }

    @Test
    void anyBytesGivenToTheProjectManifestReaderParseOrAreInvalid() {
        qt().withExamples(TRIES).forAll(bodies()).check(body -> parsesOrIsInvalid(
                () -> CaraJson.parseProjectManifest(new ByteArrayInputStream(body.bytes())).validateForCreate(Instant.EPOCH)));
    }

    @Test
    void anyBytesGivenToTheProjectStatusReportReaderParseOrAreInvalid() {
        qt().withExamples(TRIES).forAll(bodies()).check(body -> parsesOrIsInvalid(() -> CaraJson.parseProjectStatusReport(body.bytes())));
    }

    @Test
    void anyBytesGivenToTheEitherKindManifestReaderParseOrAreInvalid() {
        // caractrl's apply reads mixed files so; a Node or Project manifest then goes to validate.
        qt().withExamples(TRIES).forAll(bodies()).check(body -> parsesOrIsInvalid(() -> {
            switch (CaraJson.parseAnyManifest(body.bytes())) {
                case Manifest.OfNode n -> n.node().validate();
                case Manifest.OfProject p -> p.project().validate();
            }
        }));
    }

    @Test
    void anyTextGivenToTheSyntaxExplainerGivesADetailOrNone() {
        qt().withExamples(TRIES).forAll(bodies()).check(body -> {
            String text = new String(body.bytes(), StandardCharsets.UTF_8);
            return CaraJson.syntaxError(text).map(detail -> !detail.isEmpty()).orElse(true);
        });
    }

    @Test
    void anyBytesGivenToTheProjectListAndStorageReadersParseOrAreInvalid() {
        qt().withExamples(TRIES).forAll(brokenValidBodies()).check(body -> {
            String text = new String(body.bytes(), StandardCharsets.UTF_8);
            return parsesOrIsInvalid(() -> CaraJson.parseProject(text)) && parsesOrIsInvalid(() -> ProjectStorageCodec.decode(text))
                    && parsesOrIsInvalid(() -> CaraJson.parseProjectList("{\"items\": [" + text + "]}"));
        });
    }

    @Test
    void anyBytesGivenToTheNodeAndStorageReadersParseOrAreInvalid() {
        // The client reads nodes the server sends and a store reads its own; neither may fall over either.
        qt().withExamples(TRIES).forAll(brokenValidBodies()).check(body -> {
            String text = new String(body.bytes(), StandardCharsets.UTF_8);
            return parsesOrIsInvalid(() -> CaraJson.parseNode(text)) && parsesOrIsInvalid(() -> NodeStorageCodec.decode(text));
        });
    }
}
