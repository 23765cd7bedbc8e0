package dev.cara.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A unix-socket server that answers canned Docker responses, so that DockerRuntime's real client code
 * (request bytes, answer parsing) runs without a daemon. The handler sees each request and returns
 * the raw answer; requests are recorded in order. One accept thread, one request per connection.
 */
final class FakeDockerDaemon implements AutoCloseable {
    record Request(String method, String target, String body) {
        String line() {
            return method + " " + target;
        }
    }

    final Path socket;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Thread thread;

    FakeDockerDaemon(Path dir, Function<Request, String> handler) throws IOException {
        this.socket = dir.resolve("docker.sock");
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.thread = Thread.ofPlatform().daemon().name("fake-docker").start(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    Request r = read(c);
                    requests.add(r);
                    c.write(ByteBuffer.wrap(handler.apply(r).getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
    }

    static String json(int status, String body) {
        return "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    static String chunked(int status, String... chunks) {
        StringBuilder b = new StringBuilder("HTTP/1.1 " + status + " X\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (String c : chunks) {
            b.append(Integer.toHexString(c.getBytes(StandardCharsets.UTF_8).length)).append("\r\n").append(c).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString();
    }

    private static Request read(SocketChannel c) throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (true) {
            String text = in.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                String head = text.substring(0, end);
                int length = head.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                        .mapToInt(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
                if (in.size() >= end + 4 + length) {
                    String[] first = head.lines().findFirst().orElseThrow().split(" ");
                    return new Request(first[0], first[1], text.substring(end + 4, end + 4 + length));
                }
            }
            buf.clear();
            if (c.read(buf) < 0) {
                throw new IOException("closed mid-request");
            }
            in.write(buf.array(), 0, buf.position());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.interrupt();
        Files.deleteIfExists(socket);
    }
}
