package dev.cara.sdk.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP/1.1 server on a loopback socket that answers each request with the next scripted
 * answer and records what it received. Each connection serves one request and closes, which keeps
 * it simple; the client under test reconnects. The accepting thread owns the socket; the queues are
 * the only shared state.
 */
public final class ScriptedHttpServer implements AutoCloseable {
    /**
     * An answer; {@code holdOpen} keeps the connection open after the body until the server closes;
     * {@code headers} are sent as they are.
     */
    public record Answer(int status, String contentType, String body, boolean holdOpen, java.util.Map<String, String> headers) {
        public Answer(int status, String contentType, String body, boolean holdOpen) {
            this(status, contentType, body, holdOpen, java.util.Map.of());
        }

        Answer(int status, String contentType, String body) {
            this(status, contentType, body, false);
        }
    }

    private final ServerSocket socket;
    private final boolean tls;
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    public final List<String> seen = new CopyOnWriteArrayList<>();
    /** Each request's Authorization header, or {@code "none"}. */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** Under TLS, the subject of each request's client certificate, or {@code "none"}. */
    public final List<String> clientCertificates = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread acceptor;

    public ScriptedHttpServer() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    /** Listening on this (loopback) address only, on a port of the system's choice. */
    public ScriptedHttpServer(InetAddress address) throws IOException {
        this(new ServerSocket(0, 50, address), false);
    }

    /** Over TLS on 127.0.0.1, with the server certificate of {@code serverTls}, optionally asking for a client certificate. */
    public static ScriptedHttpServer tls(javax.net.ssl.SSLContext serverTls, boolean wantClientCertificate) throws IOException {
        javax.net.ssl.SSLServerSocket s = (javax.net.ssl.SSLServerSocket) serverTls.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        s.setWantClientAuth(wantClientCertificate);
        return new ScriptedHttpServer(s, true);
    }

    private ScriptedHttpServer(ServerSocket socket, boolean tls) {
        this.socket = socket;
        this.tls = tls;
        acceptor = new Thread(this::acceptLoop, "scripted-http");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        String host = socket.getInetAddress().getHostAddress();
        return (tls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + socket.getLocalPort();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void answer(int status, String contentType, String body) {
        answers.add(new Answer(status, contentType, body));
    }

    public void answer(Answer a) {
        answers.add(a);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread t = new Thread(() -> serve(s), "scripted-http-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream raw = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            String requestLine = line(raw);
            int length = 0;
            String contentType = null;
            String authorization = "none";
            for (String h = line(raw); !h.isEmpty(); h = line(raw)) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                } else if (lower.startsWith("content-type:")) {
                    contentType = h.substring(13).trim();
                } else if (lower.startsWith("authorization:")) {
                    authorization = h.substring(14).trim();
                }
            }
            String body = new String(raw.readNBytes(length), StandardCharsets.UTF_8);
            String[] parts = requestLine.split(" ");
            authorizations.add(authorization);
            if (s instanceof javax.net.ssl.SSLSocket tlsSocket) {
                String peer;
                try {
                    peer = ((java.security.cert.X509Certificate) tlsSocket.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal().getName();
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    peer = "none";
                }
                clientCertificates.add(peer);
            }
            seen.add(parts[0] + " " + parts[1] + " " + contentType + " " + body);
            Answer a = answers.poll();
            if (a == null) {
                a = new Answer(500, "text/plain", "no answer scripted");
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + a.status() + " Scripted\r\n");
            if (a.contentType() != null) {
                head.append("Content-Type: ").append(a.contentType()).append("\r\n");
            }
            a.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (!a.holdOpen()) {
                head.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            if (a.holdOpen()) {
                closing.await(30, TimeUnit.SECONDS);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away; nothing to answer.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        socket.close();
    }
}
