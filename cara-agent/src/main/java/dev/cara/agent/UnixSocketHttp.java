package dev.cara.agent;

import dev.cara.agent.spi.RuntimeUnavailableException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The few HTTP/1.1 exchanges the Docker Engine API needs, over its unix socket: one request per
 * connection ({@code Connection: close}), a body of JSON, an answer read to the end with a deadline.
 *
 * <p>Why not docker-java: its core brings Jackson, Guava, Commons (IO, Lang, Compress) and Bouncy
 * Castle for a dozen calls, and the JDK's {@code HttpClient} cannot dial a unix socket. The JDK's
 * unix-domain {@link SocketChannel} (JDK 16+) plus this small, bounded reader does what we need.
 *
 * <p>Stateless and thread-safe: each call opens, uses and closes its own channel.
 */
final class UnixSocketHttp {
    /** An answer: the status, the headers (names lower-case) and the body, de-chunked. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    // A Docker answer larger than this is not one we asked for (an image pull's progress stays far below).
    private static final int MAX_RESPONSE = 64 << 20;

    private final Path socket;

    UnixSocketHttp(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @param json the body, sent as {@code application/json}, or {@code null} for none
     * @throws RuntimeUnavailableException when the socket cannot be reached, the deadline passes or
     *                                     the answer is not HTTP
     */
    Response send(String method, String target, String json, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + target + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: cara-agent\r\n"
                    + "Connection: close\r\n" + (json == null ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
            out.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                await(selector, deadline, method, target);
                channel.write(out);
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16 << 10);
            while (true) {
                await(selector, deadline, method, target);
                int n = channel.read(buf);
                if (n < 0) {
                    break;
                }
                in.write(buf.array(), 0, buf.position());
                buf.clear();
                if (in.size() > MAX_RESPONSE) {
                    throw new RuntimeUnavailableException("Docker's answer to " + method + " " + target
                            + " is over " + (MAX_RESPONSE >> 20) + " MiB; not reading it");
                }
            }
            return parse(in.toByteArray(), method, target);
        } catch (IOException e) {
            throw new RuntimeUnavailableException("cannot reach the Docker daemon on " + socket + " (" + e.getMessage()
                    + "); is Docker running, and may this user use its socket? Start Docker, give the agent the"
                    + " socket with --docker-socket PATH (DOCKER_SOCKET) if it lives elsewhere, or run the agent with"
                    + " --runtime simulated", e);
        }
    }

    private void await(Selector selector, long deadline, String method, String target) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0 && deadline - System.nanoTime() <= 0) {
            throw new RuntimeUnavailableException("the Docker daemon on " + socket + " did not answer " + method + " "
                    + target + " in time");
        }
        selector.selectedKeys().clear();
    }

    static Response parse(byte[] raw, String method, String target) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (end < 0) {
            throw notHttp(method, target, "no complete header");
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = statusLine.length >= 2 && statusLine[0].startsWith("HTTP/1.") ? Integer.parseInt(statusLine[1]) : -1;
        } catch (NumberFormatException e) {
            status = -1;
        }
        if (status < 100 || status > 599) {
            throw notHttp(method, target, "status line \"" + lines[0] + "\"");
        }
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] rest = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            rest = dechunk(rest, method, target);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            if (length > rest.length) {
                throw notHttp(method, target, "body cut short (" + rest.length + " of " + length + " bytes)");
            }
            rest = Arrays.copyOf(rest, length);
        }
        return new Response(status, headers, rest);
    }

    private static byte[] dechunk(byte[] in, String method, String target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOf(in, new byte[]{'\r', '\n'}, at);
            if (lineEnd < 0) {
                throw notHttp(method, target, "a chunk without its size line");
            }
            String sizeText = new String(in, at, lineEnd - at, StandardCharsets.US_ASCII);
            int semi = sizeText.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semi < 0 ? sizeText : sizeText.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw notHttp(method, target, "chunk size \"" + sizeText + "\"");
            }
            if (size == 0) {
                return out.toByteArray();
            }
            int start = lineEnd + 2;
            if (start + size > in.length) {
                throw notHttp(method, target, "a chunk cut short");
            }
            out.write(in, start, size);
            at = start + size + 2;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static RuntimeUnavailableException notHttp(String method, String target, String what) {
        return new RuntimeUnavailableException("the answer to " + method + " " + target
                + " on the Docker socket is not HTTP/1.1: " + what);
    }
}
