package dev.cara.server;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.Watch;
import dev.cara.sdk.WatchEvent;
import dev.cara.sdk.testkit.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Watch clients that vanish without a word, against the packaged server as a real process: raw
 * sockets closed with a reset or a plain close, and a shell process killed with SIGKILL while it
 * holds a watch open, all on a selector that matches nothing (so the server has no event to write).
 * The open-watch gauge must come back down, while a live SDK watch on the same server, which gets
 * the same keep-alive lines, stays open and still sees events.
 */
class WatchLeakIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern GAUGE = Pattern.compile("(?m)^cara_watch_subscribers(?:\\{[^}]*})?\\s+([0-9.eE+-]+)$");
    private static final String QUIET = "/api/v1/nodes?watch=true&labelSelector=app%3Dnobody";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    /** Defect 4: a dead watch client on a quiet selector held its thread and its subscriber until shutdown. */
    @Test
    void watchesOfClientsThatVanishQuietlyAreLetGo() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of("DATABASE_URL", "memory:", "WATCH_KEEPALIVE", "200ms"),
                "--port", "0", "--host", "127.0.0.1")) {
            String url = ServerProcess.url(server.awaitStartupLine(START));
            int port = URI.create(url).getPort();
            BlockingQueue<WatchEvent> seen = new LinkedBlockingQueue<>();
            BlockingQueue<String> closed = new LinkedBlockingQueue<>();
            try (CaraClient client = CaraClient.http(URI.create(url));
                 Watch live = client.watch(LabelSelector.everything(), seen::add, closed::add)) {
                List<Socket> sockets = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    sockets.add(openRawWatch(port));
                }
                List<Process> shells = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    shells.add(shellWatch(port));
                }
                awaitWatches(url, 1 + sockets.size() + shells.size());
                assertTrue(readsKeepAlive(sockets.get(0)), "a quiet stream gets blank keep-alive lines");

                for (int i = 0; i < sockets.size(); i++) {
                    Socket s = sockets.get(i);
                    if (i % 2 == 0) {
                        s.setSoLinger(true, 0); // the close sends a reset
                    }
                    s.close();
                }
                for (Process p : shells) {
                    p.destroyForcibly(); // SIGKILL: the kernel closes its socket, the shell says nothing
                }
                awaitWatches(url, 1);

                // The live watch read the same keep-alives and carries on.
                client.register(Node.builder("after-keepalives").build());
                WatchEvent e = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                while (e != null && !e.object().name().equals("after-keepalives")) {
                    e = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
                assertNotNull(e, "the live watch saw the new node");
                assertTrue(live.isOpen() && closed.isEmpty(), "the live watch is still open: " + closed);
            }
            awaitWatches(url, 0);
            // Only the open mode's start-up warning (--auth none is the default) may be on stderr.
            assertEquals(List.of(), server.stderr.stream().filter(l -> !l.isBlank() && !l.contains("WARNING: --auth none"))
                    .toList(), "nothing on stderr");
        }
    }

    /** A watch on the quiet selector, its response headers read: the stream is open on the server. */
    private static Socket openRawWatch(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout((int) WAIT.toMillis());
        s.getOutputStream().write(("GET " + QUIET + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        String head = readHead(s.getInputStream());
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        return s;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    /**
     * Reads the chunked stream until a second chunk whose data is a blank line arrives: the first opens
     * the stream, the second is a keep-alive sent because nothing happened.
     */
    private static boolean readsKeepAlive(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder b = new StringBuilder();
        int blanks = 0;
        for (int c = in.read(); c >= 0; c = in.read()) {
            b.append((char) c);
            if (b.toString().endsWith("\r\n\n\r\n") && ++blanks == 2) { // chunk size line, "\n", chunk end
                return true;
            }
        }
        return false;
    }

    /** A bash process that opens a watch over /dev/tcp and reads it until killed. */
    private static Process shellWatch(int port) throws IOException {
        String script = "exec 3<>/dev/tcp/127.0.0.1/" + port + "; printf 'GET " + QUIET.replace("%", "%%")
                + " HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' >&3; exec cat <&3 >/dev/null";
        return new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    }

    private void awaitWatches(String url, int expected) {
        Eventually.await(WAIT, "cara_watch_subscribers " + expected, () -> watchGauge(url), n -> n == expected);
    }

    private int watchGauge(String url) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(url + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = GAUGE.matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("no cara_watch_subscribers in the metrics");
            }
            return (int) Double.parseDouble(m.group(1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
