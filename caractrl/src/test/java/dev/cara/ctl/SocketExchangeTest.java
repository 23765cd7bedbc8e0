package dev.cara.ctl;

import dev.cara.sdk.spi.HttpTransport;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the HTTP contract does not see of {@link SocketExchange}: how it keeps, reuses and replaces connections, and body framings. */
class SocketExchangeTest {
    /** A server that answers each request on a connection with the next of {@code answers}, closing after it when told. */
    private static final class Server implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<String> requestLines = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        private final Thread thread;

        Server(boolean closeAfterEach, String... answers) throws IOException {
            thread = new Thread(() -> serve(closeAfterEach, answers));
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(boolean closeAfterEach, String[] answers) {
            int next = 0;
            try {
                while (next < answers.length) {
                    try (Socket c = socket.accept()) {
                        connections.incrementAndGet();
                        BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
                        OutputStream out = c.getOutputStream();
                        do {
                            String line = in.readLine();
                            if (line == null) {
                                break;
                            }
                            requestLines.add(line);
                            while (!in.readLine().isEmpty()) {
                                // headers
                            }
                            out.write(answers[next++].getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        } while (!closeAfterEach && next < answers.length);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

    private static HttpTransport.Answer get(SocketExchange x, URI uri) throws IOException {
        return x.exchange("GET", uri, List.of("Accept: application/json"), null);
    }

    @Test
    void aSecondCallReusesTheConnection() throws IOException {
        try (Server s = new Server(false, OK, OK); SocketExchange x = new SocketExchange(2000, 5000)) {
            assertEquals("{}", get(x, s.uri("/a?x=1")).body());
            assertEquals("{}", get(x, s.uri("/b")).body());
            assertEquals(1, s.connections.get());
            assertEquals(List.of("GET /a?x=1 HTTP/1.1", "GET /b HTTP/1.1"), s.requestLines);
        }
    }

    @Test
    void aConnectionTheServerClosedIsReplacedAndTheRequestSentAgain() throws IOException {
        try (Server s = new Server(true, OK, OK); SocketExchange x = new SocketExchange(2000, 5000)) {
            assertEquals(200, get(x, s.uri("/a")).status());
            assertEquals(200, get(x, s.uri("/b")).status());
            assertEquals(2, s.connections.get());
            assertEquals(List.of("GET /a HTTP/1.1", "GET /b HTTP/1.1"), s.requestLines);
        }
    }

    @Test
    void chunkedAndUntilCloseBodiesAndInterimAnswersAreRead() throws IOException {
        String chunked = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\n"
                + "Cara-Node-Token: t\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\n{\"a\r\n4\r\n\":1}\r\n0\r\nTrailer: z\r\n\r\n";
        String untilClose = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"b\":2}";
        try (Server s = new Server(false, chunked, untilClose); SocketExchange x = new SocketExchange(2000, 5000)) {
            HttpTransport.Answer a = get(x, s.uri("/c"));
            assertEquals(404, a.status());
            assertEquals("application/problem+json", a.contentType());
            assertEquals("{\"a\":1}", a.body());
            assertEquals("t", a.nodeToken().orElseThrow());
            HttpTransport.Answer b = get(x, s.uri("/d"));
            assertEquals("{\"b\":2}", b.body());
            assertEquals("", b.contentType());
            assertTrue(b.nodeToken().isEmpty());
        }
    }
}
