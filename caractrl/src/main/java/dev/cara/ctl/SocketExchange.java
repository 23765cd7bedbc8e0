package dev.cara.ctl;

import dev.cara.sdk.spi.HttpTransport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 request and its whole answer over a plain socket: what {@link UrlConnectionTransport}
 * does for an {@code http} URL, without {@code HttpURLConnection}.
 *
 * <p>Why: before its first request, {@code HttpURLConnection} has the URL class look for handler
 * providers on the class path (which opens and indexes caractrl.jar, that the start-up cache
 * otherwise spares), reads net.properties, and sets up its keep-alive cache and its thread; about a
 * tenth of a {@code caractrl get nodes}. A command sends a request or a few, one at a time, to one
 * server: that needs a request line, headers, and a body read by Content-Length or chunks.
 *
 * <p>On the wire it is the same request: the same headers, in the same order, with the connection
 * kept alive for the command's next call. A kept connection that the server has closed meanwhile
 * (nothing of an answer read) is replaced by a new one and the request sent again, as
 * {@code HttpURLConnection} does. https, proxies and streams stay with {@code HttpURLConnection}.
 *
 * <p>Not thread-safe: the transport serialises its calls on it.
 */
final class SocketExchange implements AutoCloseable {
    private static final int MAX_LINE = 64 * 1024;

    /**
     * A connection that was never made (nothing was sent), told apart from a failure later in the
     * exchange: the transport may try another address. Also {@link UrlConnectionTransport}'s.
     */
    static final class NotConnected extends IOException {
        private static final long serialVersionUID = 1L;

        NotConnected(IOException failure) {
            super(failure.getMessage(), failure);
        }

        IOException failure() {
            return (IOException) getCause();
        }
    }

    /** A failure to connect within the connect timeout. */
    static final class ConnectTimeout extends IOException {
        private static final long serialVersionUID = 1L;

        ConnectTimeout(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final int connectMillis;
    private final int readMillis;
    private Socket kept; // an idle connection to keptFor, or null
    private String keptFor;
    private BufferedInputStream keptIn;

    SocketExchange(int connectMillis, int readMillis) {
        this.connectMillis = connectMillis;
        this.readMillis = readMillis;
    }

    /**
     * Sends the request and reads the answer.
     *
     * @param headers the request's own headers, "Name: value" each, in order (Host and Connection are added)
     */
    HttpTransport.Answer exchange(String method, URI uri, Iterable<String> headers, byte[] body) throws IOException {
        String authority = authority(uri);
        byte[] request = request(method, uri, authority, headers, body);
        Socket socket = null;
        BufferedInputStream in = null;
        if (kept != null && authority.equals(keptFor)) {
            socket = kept;
            in = keptIn;
            kept = null;
            try {
                return exchangeOn(socket, in, request, authority);
            } catch (Stale e) {
                closeQuietly(socket); // the server closed it while idle: once more on a new connection
            }
        }
        closeKept();
        socket = connect(uri);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        try {
            return exchangeOn(socket, in, request, authority);
        } catch (Stale e) {
            throw e.failure();
        }
    }

    /** A kept connection that ended before the first byte of an answer. */
    private static final class Stale extends IOException {
        private static final long serialVersionUID = 1L;

        Stale(IOException failure) {
            super(failure.getMessage(), failure);
        }

        IOException failure() {
            return (IOException) getCause();
        }
    }

    private HttpTransport.Answer exchangeOn(Socket socket, BufferedInputStream in, byte[] request, String authority)
            throws IOException {
        boolean done = false;
        try {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                in.mark(1);
                if (in.read() < 0) {
                    throw new Stale(new EOFException("the server closed the connection without an answer"));
                }
                in.reset();
            } catch (java.net.SocketTimeoutException e) {
                throw e;
            } catch (Stale e) {
                throw e;
            } catch (IOException e) {
                throw new Stale(e);
            }
            Head head = readHead(in);
            byte[] answerBody = readBody(in, head);
            done = true;
            if (head.keepAlive) {
                kept = socket;
                keptIn = in;
                keptFor = authority;
            } else {
                closeQuietly(socket);
            }
            return new HttpTransport.Answer(head.status, head.contentType == null ? "" : head.contentType,
                    new String(answerBody, StandardCharsets.UTF_8), Optional.ofNullable(head.nodeToken));
        } finally {
            if (!done) {
                closeQuietly(socket);
            }
        }
    }

    private Socket connect(URI uri) throws IOException {
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), port); // resolves the name, as the JDK's client does
        Socket socket = new Socket(Proxy.NO_PROXY); // a plain socket: no SOCKS lookup (ProxySelector, net.properties)
        try {
            socket.connect(address, connectMillis);
            socket.setSoTimeout(readMillis);
            socket.setTcpNoDelay(true);
            return socket;
        } catch (java.net.SocketTimeoutException e) {
            closeQuietly(socket);
            throw new ConnectTimeout(e);
        } catch (java.net.SocketException e) { // refused, unreachable, no such protocol family
            closeQuietly(socket);
            throw new NotConnected(e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** Host, and the port unless it is 80, as the Host header has it (brackets kept for IPv6). */
    private static String authority(URI uri) {
        return uri.getPort() < 0 || uri.getPort() == 80 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    private static byte[] request(String method, URI uri, String authority, Iterable<String> headers, byte[] body) {
        StringBuilder sb = new StringBuilder(256);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        sb.append(method).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        sb.append(" HTTP/1.1\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("Host: ").append(authority).append("\r\nConnection: keep-alive\r\n");
        if (body != null) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null || body.length == 0) {
            return head;
        }
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** The status line and the headers the client reads. */
    private static final class Head {
        int status;
        String contentType;
        String nodeToken;
        long contentLength = -1;
        boolean chunked;
        boolean keepAlive = true;
        boolean noBody;
    }

    private static Head readHead(BufferedInputStream in) throws IOException {
        while (true) {
            Head head = new Head();
            String statusLine = line(in);
            // "HTTP/1.1 200 OK": the code is the three digits after the first space.
            int sp = statusLine.indexOf(' ');
            if (!statusLine.startsWith("HTTP/") || sp < 0 || statusLine.length() < sp + 4) {
                throw new IOException("not an HTTP answer: " + printable(statusLine));
            }
            try {
                head.status = Integer.parseInt(statusLine.substring(sp + 1, sp + 4));
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status line: " + printable(statusLine), e);
            }
            head.keepAlive = !statusLine.startsWith("HTTP/1.0");
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-type" -> head.contentType = value;
                    case "content-length" -> head.contentLength = contentLength(value);
                    case "transfer-encoding" -> head.chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                    case "connection" -> head.keepAlive = !value.toLowerCase(Locale.ROOT).contains("close")
                            && (head.keepAlive || value.toLowerCase(Locale.ROOT).contains("keep-alive"));
                    default -> {
                        if (name.equals(HttpTransport.NODE_TOKEN_HEADER.toLowerCase(Locale.ROOT))) {
                            head.nodeToken = value;
                        }
                    }
                }
            }
            if (head.status >= 100 && head.status < 200) {
                continue; // an interim answer (100 Continue, 103): the real one follows
            }
            head.noBody = head.status == 204 || head.status == 304;
            return head;
        }
    }

    private static long contentLength(String value) throws IOException {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("the answer's Content-Length is not a length: " + printable(value), e);
        }
    }

    private static byte[] readBody(BufferedInputStream in, Head head) throws IOException {
        if (head.noBody) {
            return new byte[0];
        }
        if (head.chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line(in);
                int semi = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("the answer's chunk size is not a number: " + printable(sizeLine), e);
                }
                if (size == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers: none is read
                    }
                    return out.toByteArray();
                }
                if (size > Integer.MAX_VALUE - 16 - out.size()) {
                    throw new IOException("the answer is too large");
                }
                out.write(exactly(in, (int) size));
                if (!line(in).isEmpty()) {
                    throw new IOException("a chunk of the answer does not end where its size says");
                }
            }
        }
        if (head.contentLength >= 0) {
            if (head.contentLength > Integer.MAX_VALUE - 16) {
                throw new IOException("the answer is too large");
            }
            return exactly(in, (int) head.contentLength);
        }
        head.keepAlive = false; // the body ends where the connection does
        return in.readAllBytes();
    }

    private static byte[] exactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("the answer ended after " + bytes.length + " of its " + n + " bytes");
        }
        return bytes;
    }

    /** A header line without its CRLF (or LF), in ISO-8859-1 as HTTP/1.1 headers are. */
    private static String line(BufferedInputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the answer ended in its headers");
            }
            if (b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new IOException("a header line of the answer is longer than " + MAX_LINE + " bytes");
            }
            sb.append((char) b);
        }
    }

    private static String printable(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }

    private void closeKept() {
        if (kept != null) {
            closeQuietly(kept);
            kept = null;
            keptIn = null;
            keptFor = null;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing only releases the connection
        }
    }

    @Override
    public void close() {
        closeKept();
    }
}
