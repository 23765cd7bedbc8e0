package dev.cara.server;

import dev.cara.server.HostileRequests.Case;
import dev.cara.server.HostileRequests.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input against the packaged server as a real process, over raw sockets: generated requests
 * ({@link HostileRequests}, from a seed printed at the start and in every failure; replay one with
 * {@code -Dfuzz.seed=N}, size a run with {@code -Dfuzz.cases=N}) that are truncated, longer than
 * declared, garbage, oversized, badly chunked, slow, invalid UTF-8, deeply nested, full of enormous
 * numbers, duplicate keys and NUL bytes, on every endpoint and method.
 *
 * <p>Whatever the input: no 5xx (505 only for a mangled HTTP version, which is what it means), no
 * stack trace or warning in the server's output, no node created by a request that was not answered
 * 201, a slow client cut off by the read timeout, and afterwards the server healthy and serving a
 * well-formed request on the same port.
 */
class HostileInputIT {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    /** How long a case may take to be answered; generous, for a busy 2-core machine. */
    private static final int ANSWER_MILLIS = 30_000;
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");
    private static final Pattern NODE_NAME = Pattern.compile("\"name\":\"(fz-[^\"]*)\"");
    private static final Pattern CASE_OF_NODE = Pattern.compile("fz-(\\d+)(?:-.*)?");

    @TempDir
    static Path dir;
    private static ServerProcess server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(dir, Map.of("DATABASE_URL", "memory:", "READ_TIMEOUT", "1s"),
                "--port", "0", "--host", "127.0.0.1");
        port = URI.create(ServerProcess.url(server.awaitStartupLine(Duration.ofSeconds(60)))).getPort();
        Answer base = send(("POST /api/v1/nodes HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + HostileRequests.manifest(HostileRequests.BASE_NODE).length() + "\r\n\r\n"
                + HostileRequests.manifest(HostileRequests.BASE_NODE)).getBytes(StandardCharsets.UTF_8), false);
        assertEquals(List.of(201), base.statuses(), base.text());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Issue 13: the wait for a kept-alive connection's next request runs without a socket timeout, bounded
     * by the idle-connection check instead. A client that says nothing more after an answer, or stops in
     * the middle of its next request, is still cut off.
     */
    @Test
    void aKeptAliveConnectionThatStallsAfterAnAnswerIsClosedByTheReadTimeout() {
        String first = "GET /api/v1/version HTTP/1.1\r\nHost: x\r\n\r\n";
        String body = HostileRequests.manifest("kept-alive-stall");
        List<String> seconds = List.of("", "GET /api/v1/ver", "GET /api/v1/version HTTP/1.1\r\nHost: x\r\nX-Slow: ",
                "POST /api/v1/nodes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                        + "\r\n\r\n" + body.substring(0, 10),
                "POST /api/v1/version HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"); // a body nobody reads
        for (String second : seconds) {
            Answer a = send((first + second).getBytes(StandardCharsets.ISO_8859_1), true);
            assertTrue(!a.timedOut(), "the server held a kept-alive connection open for " + ANSWER_MILLIS
                    + " ms after " + abbreviate(second) + "; its read timeout is " + READ_TIMEOUT);
            assertEquals(200, a.statuses().getFirst(), a.text());
        }
    }

    /** Issue 13: a POST whose body ended before its Content-Length was answered 500, with a stack trace in the log. */
    @Test
    void aBodyThatEndsBeforeItsContentLengthIsA400WithoutAStackTrace() throws Exception {
        int logAt = logLines().size();
        String body = HostileRequests.manifest("cut-short");
        byte[] request = ("POST /api/v1/nodes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body.substring(0, body.length() / 2)).getBytes(StandardCharsets.UTF_8);
        Answer a = send(request, false); // sends half the body, then shuts its side down
        assertEquals(List.of(400), a.statuses(), a.text());
        assertTrue(a.text().contains("application/problem+json") && a.text().contains("Content-Length of " + body.length()), a.text());
        Answer get = send("GET /api/v1/nodes/cut-short HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1), false);
        assertEquals(List.of(404), get.statuses(), "nothing was stored: " + get.text());
        assertQuietLog(logAt, "a body cut short");
    }

    @Test
    void noInputMakesTheServerFailOrCreateWhatItRefused() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int count = Integer.getInteger("fuzz.cases", 2_100);
        String replay = "seed " + seed + " (replay: -Dfuzz.seed=" + seed + ")";
        System.out.println("HostileInputIT: " + count + " cases, " + replay);
        int logAt = logLines().size();
        List<Case> cases = new HostileRequests(seed, port).generate(count);

        Map<Integer, Answer> answers = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> running = new ArrayList<>();
            for (Case c : cases) {
                running.add(pool.submit(() -> {
                    answers.put(c.index(), send(c.bytes(), c.kind() == Kind.SLOWLORIS));
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        List<String> failures = new ArrayList<>();
        Map<Kind, Map<Integer, Integer>> byKind = new EnumMap<>(Kind.class);
        Set<Integer> created = ConcurrentHashMap.newKeySet();
        for (Case c : cases) {
            Answer a = answers.get(c.index());
            for (int status : a.statuses()) {
                byKind.computeIfAbsent(c.kind(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
                if (status >= 500 && !(status == 505 && c.badVersion())) {
                    failures.add("case " + c.index() + " (" + c.kind() + ", " + c.describe() + ") got " + status + ": "
                            + abbreviate(a.text()));
                }
                if (status == 201) {
                    created.add(c.index());
                }
            }
            if (c.kind() == Kind.SLOWLORIS && a.timedOut()) {
                failures.add("case " + c.index() + " (" + c.describe() + "): the server held a stalled request open for "
                        + ANSWER_MILLIS + " ms; its read timeout is " + READ_TIMEOUT);
            }
        }
        System.out.println("HostileInputIT: " + count + " cases in " + took.toMillis() + " ms; statuses by kind: " + byKind);
        assertEquals(List.of(), failures, replay);

        // No node exists but the base node and those a 201 created.
        Answer list = send("GET /api/v1/nodes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), false);
        assertEquals(List.of(200), list.statuses(), list.text());
        Matcher names = NODE_NAME.matcher(list.text());
        List<String> unexpected = new ArrayList<>();
        while (names.find()) {
            String name = names.group(1);
            Matcher m = CASE_OF_NODE.matcher(name);
            boolean fromA201 = m.matches() && created.contains(Integer.parseInt(m.group(1)));
            if (!name.equals(HostileRequests.BASE_NODE) && !name.startsWith("cut-short") && !fromA201) {
                unexpected.add(name);
            }
        }
        assertEquals(List.of(), unexpected, "nodes created by requests that were refused; " + replay);

        assertQuietLog(logAt, replay);
        // Healthy, and a well-formed request on the same port still works.
        Answer health = send("GET /observe/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), false);
        assertEquals(List.of(200), health.statuses(), health.text());
        assertTrue(health.text().contains("\"UP\""), health.text());
        String after = HostileRequests.manifest("after-the-fuzz");
        Answer ok = send(("POST /api/v1/nodes HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + after.length() + "\r\n\r\n" + after).getBytes(StandardCharsets.UTF_8), false);
        assertEquals(List.of(201), ok.statuses(), ok.text());
    }

    // ------------------------------------------------------------------ plumbing

    /**
     * What came back on one connection: every response's bytes until the server closed it, or until
     * {@link #ANSWER_MILLIS} passed ({@code timedOut}).
     */
    record Answer(String text, boolean timedOut) {
        List<Integer> statuses() {
            List<Integer> out = new ArrayList<>();
            Matcher m = STATUS.matcher(text);
            while (m.find()) {
                out.add(Integer.parseInt(m.group(1)));
            }
            return out;
        }
    }

    /**
     * Sends {@code bytes} on a new connection and reads until the server closes it. Unless {@code stall},
     * the client then shuts its sending side, as a client that has said everything does, so the server
     * sees the end of the input at once; a stalled client keeps it open and says nothing more.
     */
    private static Answer send(byte[] bytes, boolean stall) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(ANSWER_MILLIS);
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                if (!stall) {
                    s.shutdownOutput();
                }
            } catch (IOException serverStoppedReading) {
                // The server may answer (413, 431) and close before it has read everything: read what it said.
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                return new Answer(got.toString(StandardCharsets.ISO_8859_1), true);
            } catch (IOException reset) {
                // A reset after the answer (the server closed with unread input) ends the read like a close.
            }
            return new Answer(got.toString(StandardCharsets.ISO_8859_1), false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to the server on port " + port, e);
        }
    }

    private static List<String> logLines() {
        List<String> all = new ArrayList<>(server.stdoutSeen);
        all.addAll(server.stderr);
        return all;
    }

    /** No stack trace, exception or warning in what the server printed since {@code from}. */
    private static void assertQuietLog(int from, String context) {
        List<String> lines = logLines();
        List<String> bad = lines.subList(Math.min(from, lines.size()), lines.size()).stream()
                .filter(l -> l.contains("Exception") || l.contains("Error") || l.startsWith("\tat ") || l.trim().startsWith("at ")
                        || l.startsWith("WARNING") || l.startsWith("SEVERE"))
                .limit(40)
                .toList();
        assertEquals(List.of(), bad, "the server logged trouble; " + context);
    }

    private static String abbreviate(String s) {
        String one = s.replace("\r\n", " | ");
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
