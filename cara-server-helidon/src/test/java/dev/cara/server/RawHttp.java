package dev.cara.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends requests byte for byte over a socket, for what a well-behaved client would refuse to send:
 * broken percent-encoding, a lying Content-Type, an oversized chunked body. Each request uses its
 * own connection and asks the server to close it.
 */
final class RawHttp {
    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    Response sendBytes(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null && !headers.containsKey("Transfer-Encoding")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                if (body != null) {
                    if ("chunked".equals(headers.get("Transfer-Encoding"))) {
                        writeChunked(out, body);
                    } else {
                        out.write(body);
                    }
                }
                out.flush();
            } catch (IOException serverStoppedReading) {
                // The server may answer (413) and close before reading everything: read its answer.
            }
            return read(s.getInputStream());
        }
    }

    /** Sends {@code request} exactly as given (request line, headers and body) and reads the answer. */
    Response sendRaw(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return read(s.getInputStream());
        }
    }

    /** A HEAD's header block as it arrived, and the answer that followed it on the same connection. */
    record Pipelined(String headHeaders, Response next) {
    }

    /**
     * Sends HEAD {@code target}, then GET /api/v1/version, on one connection. If the server wrote
     * content after the HEAD's headers, that content is where the second answer should start.
     */
    Pipelined headThenGet(String target) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("HEAD " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"
                    + "GET /api/v1/version HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                head.append(h).append("\r\n");
            }
            return new Pipelined(head.toString(), read(in));
        }
    }

    Response send(String method, String target, String contentType, String body) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        return sendBytes(method, target, h, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeChunked(OutputStream out, byte[] body) throws IOException {
        int chunk = 64 * 1024;
        for (int at = 0; at < body.length; at += chunk) {
            int n = Math.min(chunk, body.length - at);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, n);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Response read(InputStream in) throws IOException {
        String status = line(in);
        while (status.startsWith("HTTP/1.1 100")) { // skip an interim 100 Continue
            while (!line(in).isEmpty()) {
                // its headers
            }
            status = line(in);
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        byte[] body;
        String length = headers.get("content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int n = Integer.parseInt(line(in).trim(), 16); n > 0; n = Integer.parseInt(line(in).trim(), 16)) {
                b.write(in.readNBytes(n));
                line(in);
            }
            body = b.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Response(code, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
