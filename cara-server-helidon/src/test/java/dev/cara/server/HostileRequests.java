package dev.cara.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates hostile HTTP/1.1 requests from a seed, for {@link HostileInputIT}: the same seed gives the
 * same requests, so a failure replays with {@code -Dfuzz.seed=}. Each request is raw bytes, sent as
 * they are; {@link Case} says how it was made and what it may do to the server. Not thread-safe: one
 * generator makes every case up front, on the test's thread.
 */
final class HostileRequests {
    static final String BASE_NODE = "fz-base";
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
            "FOO", "get", "G ET", "GET\u0000", "\u00e9GET"};
    private static final String[] PATHS = {"/api/v1/nodes", "/api/v1/nodes/{name}", "/api/v1/nodes/{name}/heartbeat",
            "/api/v1/version", "/observe/health", "/observe/metrics", "/", "/api/v1/nodes/", "/api/v1/nodes/{name}/x",
            "/api/v1/nodes?watch=maybe", "/api/v1/nodes?labelSelector=%zz", "/api/v1/nodes?labelSelector=a%3D%3D%3Db",
            "/api/v1/nodes/%00", "/api/v1/nodes/a%2Fb", "/api/v1/nodes/%C3%28", "/api/v1/nodes/..%2F..", "*",
            "http://127.0.0.1/api/v1/version", "/api/v1/nodes/{name}?watch=true", "//api//v1//nodes"};

    /** What to do with a request: its bytes, and how the client behaves after sending them. */
    enum Kind {
        WELL_FORMED, TRUNCATED_BODY, LONGER_BODY, GARBAGE_LINE, HUGE_HEADER, MANY_HEADERS, BAD_CHUNKS, BAD_UTF8,
        DEEP_JSON, HUGE_NUMBERS, DUPLICATE_KEYS, NUL_BYTES, BAD_JSON, SLOWLORIS
    }

    /**
     * One generated request.
     *
     * @param index         its number in the run (its node name is {@code fz-INDEX})
     * @param kind          how it was made
     * @param bytes         what goes on the wire
     * @param creates       the node a 201 for it would create, or null when it registers nothing
     * @param badVersion    whether the HTTP version token was mangled (the one case where 505 is the right answer)
     * @param describe      a short human description for failure messages
     */
    record Case(int index, Kind kind, byte[] bytes, String creates, boolean badVersion, String describe) {
    }

    private final Random random;
    private final int port;

    HostileRequests(long seed, int port) {
        this.random = new Random(seed);
        this.port = port;
    }

    List<Case> generate(int count) {
        List<Case> cases = new ArrayList<>(count);
        Kind[] kinds = Kind.values();
        for (int i = 0; i < count; i++) {
            // Every kind appears in turn, so that a small run still covers them all; the details are random.
            cases.add(make(i, kinds[i % kinds.length]));
        }
        return cases;
    }

    private Case make(int i, Kind kind) {
        String name = "fz-" + i;
        return switch (kind) {
            case WELL_FORMED -> wellFormed(i, name);
            case TRUNCATED_BODY -> {
                byte[] body = manifest(name).getBytes(StandardCharsets.UTF_8);
                int sent = random.nextInt(body.length);
                yield new Case(i, kind, concat(head("POST", "/api/v1/nodes", "Content-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n"), slice(body, sent)), name, false,
                        "POST with " + sent + " of " + body.length + " declared bytes");
            }
            case LONGER_BODY -> {
                byte[] body = manifest(name).getBytes(StandardCharsets.UTF_8);
                int declared = 1 + random.nextInt(body.length - 1);
                String target = pick("/api/v1/nodes", "/api/v1/nodes/" + BASE_NODE + "/heartbeat", "/api/v1/nodes/" + name);
                String method = target.endsWith("heartbeat") || target.endsWith("nodes") ? "POST" : "PUT";
                yield new Case(i, kind, concat(head(method, target, "Content-Type: application/json\r\nContent-Length: "
                        + declared + "\r\n"), body), declared == body.length ? name : null, false,
                        method + " " + target + " declaring " + declared + " of " + body.length + " bytes");
            }
            case GARBAGE_LINE -> garbageLine(i);
            case HUGE_HEADER -> {
                int size = pick(8 * 1024, 64 * 1024, 300 * 1024);
                String value = "x".repeat(size);
                String header = random.nextBoolean() ? "X-Big: " + value + "\r\n" : value + ": y\r\n";
                yield new Case(i, kind, head(pickMethod(), path(name), header), null, false, "a " + size + "-byte header");
            }
            case MANY_HEADERS -> {
                int n = pick(100, 1000, 5000);
                StringBuilder h = new StringBuilder();
                for (int k = 0; k < n; k++) {
                    h.append("X-H").append(k % 7 == 0 ? "" : k).append(": v").append(k).append("\r\n");
                }
                yield new Case(i, kind, head("GET", "/api/v1/version", h.toString()), null, false, n + " headers");
            }
            case BAD_CHUNKS -> badChunks(i, name);
            case BAD_UTF8 -> {
                byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
                String json = manifest(name);
                int at = json.indexOf(name) + 1;
                byte[] body = concat(json.substring(0, at).getBytes(StandardCharsets.UTF_8), slice(bad, 1 + random.nextInt(bad.length)),
                        json.substring(at).getBytes(StandardCharsets.UTF_8));
                yield postJson(i, kind, pickBodyTarget(name), body, null, "invalid UTF-8 in a name");
            }
            case DEEP_JSON -> {
                int depth = pick(1000, 20_000, 200_000);
                String open = random.nextBoolean() ? "[" : "{\"a\":";
                String close = open.equals("[") ? "]" : "}";
                String nest = open.repeat(depth) + "1" + close.repeat(depth);
                String body = random.nextBoolean() ? nest
                        : "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                        + "\",\"labels\":" + nest + "}}";
                yield postJson(i, kind, pickBodyTarget(name), body.getBytes(StandardCharsets.UTF_8), null, "JSON " + depth + " deep");
            }
            case HUGE_NUMBERS -> {
                String number = pick("1e999999999", "-1e-999999999", "9".repeat(5000), "123456789012345678901234567890",
                        "1" + "0".repeat(400) + ".5e400", "NaN", "Infinity", "-0", "0x10",
                        "1101e2147483648", "1e2147483647", "1e-2147483647");
                String body = pick("{\"network\":{\"agentPort\":" + number + "}}",
                        "{\"capacity\":{\"cpu\":\"" + number + "\"}}",
                        "{\"capacity\":{\"pods\":" + number + "}}",
                        "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                                + "\",\"resourceVersion\":" + number + "},\"spec\":{\"unschedulable\":" + number + "}}");
                yield postJson(i, kind, pickBodyTarget(name), body.getBytes(StandardCharsets.UTF_8), null, "the number " + abbreviate(number));
            }
            case DUPLICATE_KEYS -> {
                String body = pick("{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                                + "\",\"name\":\"" + name + "-b\"}}",
                        "{\"state\":\"Ready\",\"state\":\"NotReady\"}",
                        "{\"apiVersion\":\"caravanserai/v1\",\"apiVersion\":\"v2\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\"}}");
                // A duplicate key is the parser's call (last wins, or refused): either way nothing breaks.
                yield postJson(i, kind, pickBodyTarget(name), body.getBytes(StandardCharsets.UTF_8), name, "duplicate keys");
            }
            case NUL_BYTES -> {
                String body = pick("{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"fz\\u0000" + i + "\"}}",
                        "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"fz\u0000" + i + "\"}}",
                        "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                                + "\",\"labels\":{\"a\\u0000b\":\"c\"}}}",
                        "{\"\u0000\":1}");
                if (random.nextInt(4) == 0) {
                    yield new Case(i, kind, ("GET /api/v1/nodes/fz\u0000" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1), null, false, "a NUL byte in the path");
                }
                yield postJson(i, kind, "/api/v1/nodes", body.getBytes(StandardCharsets.UTF_8), null, "a NUL in a name or key");
            }
            case BAD_JSON -> {
                String body = pick("", " ", "{", "}", "[]", "null", "\"x\"", "{\"apiVersion\":\"caravanserai/v1\"} x",
                        "{\"metadata\":[]}", "{\"metadata\":{\"name\":5}}", "{\"spec\":{\"unschedulable\":\"yes\"}}",
                        "{\"state\":\"ready\"}", "{\"conditions\":{}}", "{\"capacity\":{\"cpu\":\"-1\"}}", "\ufeff{}", "{'a':1}",
                        "{\"a\":1,}", "{\"a\" 1}", "\u0001\u0002\u0003");
                String type = pick("application/json", "application/json; charset=utf-16", "application/json; charset=bogus",
                        "text/plain", "application/json; charset=\"", "", "application/jsonx", "*/*");
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                String target = pickBodyTarget(name);
                String method = target.endsWith("/" + name) ? "PUT" : "POST";
                yield new Case(i, kind, concat(head(method, target, (type.isEmpty() ? "" : "Content-Type: " + type + "\r\n")
                        + "Content-Length: " + bytes.length + "\r\n"), bytes), null, false, "the body " + abbreviate(body) + " as " + type);
            }
            case SLOWLORIS -> {
                String partial = pick("GET /api/v1/version HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
                        "POST /api/v1/nodes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
                        "GET /api/v1/ver", "POST /api/v1/nodes HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc");
                yield new Case(i, kind, partial.getBytes(StandardCharsets.ISO_8859_1), null, false, "a request that stops: "
                        + abbreviate(partial));
            }
        };
    }

    private Case wellFormed(int i, String name) {
        return switch (random.nextInt(6)) {
            case 0 -> postJson(i, Kind.WELL_FORMED, "/api/v1/nodes", manifest(name).getBytes(StandardCharsets.UTF_8), name, "a registration");
            case 1 -> postJson(i, Kind.WELL_FORMED, "/api/v1/nodes/" + BASE_NODE + "/heartbeat",
                    "{\"state\":\"Ready\",\"capacity\":{\"cpu\":\"4\"}}".getBytes(StandardCharsets.UTF_8), null, "a heartbeat");
            case 2 -> new Case(i, Kind.WELL_FORMED, head(pick("GET", "HEAD"), pick("/api/v1/nodes", "/api/v1/nodes/" + BASE_NODE,
                    "/api/v1/version", "/observe/health", "/api/v1/nodes?labelSelector=zone%3Da"), ""), null, false, "a read");
            case 3 -> new Case(i, Kind.WELL_FORMED, head("DELETE", "/api/v1/nodes/" + name, ""), null, false, "a delete of nothing");
            case 4 -> new Case(i, Kind.WELL_FORMED, head(pickMethod(), path(name), ""), null, false, "any method, any path");
            default -> new Case(i, Kind.WELL_FORMED, concat(head("POST", "/api/v1/nodes/" + BASE_NODE + "/heartbeat",
                    "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n"),
                    "2\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)), null, false, "a chunked heartbeat");
        };
    }

    private Case garbageLine(int i) {
        return switch (random.nextInt(8)) {
            case 0 -> {
                byte[] junk = new byte[1 + random.nextInt(400)];
                random.nextBytes(junk);
                yield new Case(i, Kind.GARBAGE_LINE, concat(junk, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)), null, true,
                        junk.length + " random bytes");
            }
            case 1 -> new Case(i, Kind.GARBAGE_LINE, ("GET /api/v1/version " + pick("HTTP/2.0", "HTTP/1.2", "HTTP/9", "HTTP/1.1x",
                    "http/1.1", "HTTP/", "HTTP/1.0") + "\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), null, true, "a bad version");
            case 2 -> new Case(i, Kind.GARBAGE_LINE, (pick("GET", "GET /", "GET  /api/v1/version  HTTP/1.1", " GET / HTTP/1.1", "\r\n\r\n",
                    "GET /api/v1/version HTTP/1.1 extra") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), null, true, "a short line");
            case 3 -> new Case(i, Kind.GARBAGE_LINE, ("GET /" + "a".repeat(pick(5000, 70_000, 500_000)) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), null, false, "a very long URI");
            case 4 -> new Case(i, Kind.GARBAGE_LINE, ("GET /api/v1/nodes/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), null, false, "raw high bytes in the path");
            case 5 -> new Case(i, Kind.GARBAGE_LINE, ("GET /api/v1/version HTTP/1.1\r\nHost: x\r\n" + pick("NoColon\r\n", ": empty\r\n",
                    "Bad Name: v\r\n", "X: a\rb\r\n", " folded\r\n", "Content-Length: -5\r\n", "Content-Length: 1, 2\r\n",
                    "Content-Length: 99999999999999999999\r\n", "Transfer-Encoding: gzip\r\n", "Content-Encoding: gzip\r\n",
                    "Expect: 100-continue\r\n", "Host: second\r\n", "Connection: upgrade\r\nUpgrade: h2c\r\n") + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), null, false, "a bad header");
            case 6 -> new Case(i, Kind.GARBAGE_LINE, ("GET /api/v1/version HTTP/1.1\nHost: x\n\n").getBytes(StandardCharsets.ISO_8859_1),
                    null, false, "bare LF line ends");
            default -> new Case(i, Kind.GARBAGE_LINE, ("POST /api/v1/nodes HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
                    null, false, "both Content-Length and chunked");
        };
    }

    private Case badChunks(int i, String name) {
        String chunks = pick("zz\r\n{}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n", "ffffffffffffffff\r\n{}\r\n0\r\n\r\n",
                "7fffffff\r\n{}", "2\r\n{}0\r\n\r\n", "2\r\n{}\r\n", "2;ext=1\r\n{}\r\n0\r\n\r\n", "1\r\n{}}}}}\r\n0\r\n\r\n",
                "\r\n\r\n", "0x2\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n", " 2\r\n{}\r\n0\r\n\r\n");
        return new Case(i, Kind.BAD_CHUNKS, concat(head("POST", pickBodyTarget(name), "Transfer-Encoding: chunked\r\n"
                + "Content-Type: application/json\r\n"), chunks.getBytes(StandardCharsets.ISO_8859_1)), null, false,
                "chunks " + abbreviate(chunks));
    }

    // ------------------------------------------------------------------ pieces

    static String manifest(String name) {
        return "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"zone\":\"a\"}},\"spec\":{\"hostname\":\"" + name + ".lan\"}}";
    }

    private Case postJson(int i, Kind kind, String target, byte[] body, String creates, String describe) {
        String method = target.startsWith("/api/v1/nodes/") && !target.endsWith("/heartbeat") ? "PUT" : "POST";
        return new Case(i, kind, concat(head(method, target, "Content-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n"), body), target.equals("/api/v1/nodes") ? creates : null, false, method + " " + target + ": " + describe);
    }

    private String pickBodyTarget(String name) {
        return pick("/api/v1/nodes", "/api/v1/nodes/" + BASE_NODE + "/heartbeat", "/api/v1/nodes/" + name);
    }

    private byte[] head(String method, String target, String headers) {
        String connection = random.nextInt(3) == 0 ? "" : "Connection: close\r\n";
        return (method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + connection + headers + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private String pickMethod() {
        return METHODS[random.nextInt(METHODS.length)];
    }

    private String path(String name) {
        return PATHS[random.nextInt(PATHS.length)].replace("{name}", random.nextBoolean() ? BASE_NODE : name);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private int pick(int a, int b, int c) {
        int r = random.nextInt(10);
        return r < 6 ? a : r < 9 ? b : c; // the big ones rarely, to keep the run short
    }

    private static String abbreviate(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "\"" + shown.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0") + "\"";
    }

    private static byte[] slice(byte[] b, int n) {
        return java.util.Arrays.copyOf(b, n);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
