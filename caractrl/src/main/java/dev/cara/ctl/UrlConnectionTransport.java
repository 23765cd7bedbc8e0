package dev.cara.ctl;

import dev.cara.sdk.HttpCaraClientBuilder;
import dev.cara.ctl.SocketExchange.NotConnected;
import dev.cara.sdk.spi.HttpTransport;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link HttpTransport} over {@link HttpURLConnection}, for a program that makes a call or two and
 * exits, such as {@code caractrl}.
 *
 * <p>Why a second transport: {@code java.net.http} starts a selector thread and an executor, spins
 * method-handle code for its records and sets up its TLS context when a client is built, which took
 * about as long as the rest of a {@code caractrl get nodes}. {@code HttpURLConnection} is synchronous,
 * lives in {@code java.base}, and does none of that; the JDK still keeps its connections alive
 * between calls. It is thread-safe in the sense the client needs: each call opens its own connection
 * object.
 *
 * <p>An exchange with an {@code http} URL (no proxy configured) goes over {@link SocketExchange}
 * instead: the same request on the wire, without {@code HttpURLConnection}'s start-up (see there).
 * https, watches and proxied requests stay here.
 *
 * <p>The request timeout bounds each wait for bytes rather than the whole answer. A watch waits for
 * its events as long as they take (the connect timeout still applies).
 *
 * <p>In an http URL, {@code localhost} is the loopback address, as RFC 6761 has it and as browsers
 * and curl treat it: 127.0.0.1, then [::1] if nothing listens there (https keeps the name, which TLS
 * checks against the certificate). Asking the JDK's resolver instead starts its name service, which
 * reads the 70 KB java.security for its cache policy and the system's resolver configuration: ~5 ms
 * of a command that lasts 70, on the default server URL.
 *
 * <p>PATCH (a project's status report) goes through the SDK's default transport instead, opened on
 * the first PATCH: {@code HttpURLConnection} refuses the method outright, and the ways around that
 * are worse. An {@code X-HTTP-Method-Override} header would need the server to honour it; setting
 * its private {@code method} field by reflection needs {@code --add-opens java.base/java.net} and
 * breaks with the JDK's internals; HTTP written by hand over a socket would duplicate TLS, chunking
 * and keep-alive. The default transport sends a real PATCH with the same settings (timeouts, token,
 * TLS), and a command that sends none never pays for its start-up.
 */
final class UrlConnectionTransport implements HttpTransport {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final int connectMillis;
    private final int readMillis;
    private final String userAgent;
    private final HttpTransport.Settings settings;
    // Built once, for https only, so that an http command never loads the TLS machinery.
    private final SSLSocketFactory tls;
    private final boolean anyHostName;
    private final Object patchLock = new Object();
    private HttpTransport patching; // guarded by patchLock: opened by the first PATCH, closed by close()
    private boolean closed; // guarded by patchLock
    private final Object socketLock = new Object();
    private final SocketExchange sockets; // guarded by socketLock

    UrlConnectionTransport(HttpTransport.Settings settings) {
        this.connectMillis = millis(settings.connectTimeout());
        this.readMillis = millis(settings.requestTimeout());
        this.userAgent = settings.userAgent();
        this.settings = settings;
        this.tls = settings.tlsContext().map(SSLContext::getSocketFactory).orElse(null);
        this.anyHostName = settings.insecureSkipTlsVerify();
        this.sockets = new SocketExchange(connectMillis, readMillis);
    }

    @Override
    public Answer exchange(String method, URI uri, String jsonBody) throws IOException, InterruptedException {
        if ("PATCH".equals(method)) {
            return patching().exchange(method, uri, jsonBody);
        }
        if (plainSocket(uri)) {
            return atFirstListening(uri, target -> exchangeOnSocket(method, target, jsonBody));
        }
        return atFirstListening(uri, target -> exchangeOnce(method, target, jsonBody));
    }

    private HttpTransport patching() {
        synchronized (patchLock) {
            if (closed) {
                throw new IllegalStateException("the transport is closed");
            }
            if (patching == null) {
                patching = HttpCaraClientBuilder.jdkTransport().open(settings);
            }
            return patching;
        }
    }

    /**
     * Whether the request goes over {@link SocketExchange}: http, with no proxy configured (an HTTP
     * or SOCKS proxy, from the JDK's system properties, is the JDK client's to honour).
     */
    private static boolean plainSocket(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                && System.getProperty("http.proxyHost") == null && System.getProperty("socksProxyHost") == null
                && !Boolean.getBoolean("java.net.useSystemProxies");
    }

    private Answer exchangeOnSocket(String method, URI uri, String jsonBody) throws IOException {
        List<String> headers = new ArrayList<>(6);
        // The headers HttpURLConnection sends for exchangeOnce, in its order.
        headers.add("Accept: " + HttpTransport.ACCEPT);
        headers.add("User-Agent: " + userAgent);
        settings.authorization().ifPresent(a -> headers.add("Authorization: " + a)); // read per request
        byte[] body = null;
        if (jsonBody != null) {
            headers.add("Content-Type: " + HttpTransport.JSON);
            body = jsonBody.getBytes(StandardCharsets.UTF_8);
        }
        headers.add("Cache-Control: no-cache");
        headers.add("Pragma: no-cache");
        synchronized (socketLock) {
            try {
                return sockets.exchange(method, uri, headers, body);
            } catch (SocketExchange.ConnectTimeout e) {
                throw connectTimeout((IOException) e.getCause());
            } catch (SocketTimeoutException e) {
                throw silent(e);
            }
        }
    }

    private Answer exchangeOnce(String method, URI uri, String jsonBody) throws IOException {
        HttpURLConnection c = open(method, uri, readMillis);
        try {
            send(c, jsonBody);
            int status = status(c);
            try (InputStream in = body(c, status)) {
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Answer(status, contentType(c), body, java.util.Optional.ofNullable(c.getHeaderField(NODE_TOKEN_HEADER)));
            }
        } catch (SocketTimeoutException e) {
            throw silent(e);
        }
    }

    @Override
    public Streamed stream(URI uri) throws IOException {
        return atFirstListening(uri, this::streamOnce);
    }

    private Streamed streamOnce(URI uri) throws IOException {
        HttpURLConnection c = open("GET", uri, 0);
        connect(c);
        int status = status(c);
        if (status == HttpURLConnection.HTTP_OK) {
            return new Streamed(status, contentType(c), new DisconnectingStream(c));
        }
        try (InputStream in = body(c, status)) {
            byte[] shown = in == null ? new byte[0] : in.readNBytes(MAX_ERROR_BODY);
            return new Streamed(status, contentType(c), new ByteArrayInputStream(shown));
        }
    }

    /** One attempt at one address. */
    @FunctionalInterface
    private interface Attempt<T> {
        T at(URI target) throws IOException;
    }

    /**
     * The attempt at the URI, or for {@code localhost} at each loopback address in turn while it
     * cannot connect (so nothing was sent, and a request is never sent twice). If none connects, the
     * first address's failure is what the caller sees: that [::1] is unusable (no IPv6) says less.
     */
    private static <T> T atFirstListening(URI uri, Attempt<T> attempt) throws IOException {
        NotConnected first = null;
        for (URI target : targets(uri)) {
            try {
                return attempt.at(target);
            } catch (NotConnected e) {
                first = first == null ? e : first;
            }
        }
        throw first.failure();
    }

    /**
     * The URI itself; for {@code http://localhost}, the same at 127.0.0.1 and then at [::1]. Not for
     * https: the server's certificate names {@code localhost}, and the name is what TLS checks.
     */
    static List<URI> targets(URI uri) {
        if (!"localhost".equalsIgnoreCase(uri.getHost()) || !"http".equalsIgnoreCase(uri.getScheme())) {
            return List.of(uri);
        }
        return List.of(withHost(uri, "127.0.0.1"), withHost(uri, "[::1]"));
    }

    private static URI withHost(URI uri, String host) {
        String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return URI.create(uri.getScheme() + "://" + userInfo + host + port + path + query);
    }

    @Override
    public void close() {
        // Idle HttpURLConnection connections belong to the JDK's keep-alive cache; only the PATCH transport is ours.
        synchronized (patchLock) {
            closed = true;
            if (patching != null) {
                patching.close();
            }
        }
        synchronized (socketLock) {
            sockets.close();
        }
    }

    private HttpURLConnection open(String method, URI uri, int readTimeoutMillis) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(connectMillis);
        c.setReadTimeout(readTimeoutMillis);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setRequestProperty("Accept", HttpTransport.ACCEPT);
        c.setRequestProperty("User-Agent", userAgent);
        settings.authorization().ifPresent(a -> c.setRequestProperty("Authorization", a)); // read per request
        if ((tls != null || anyHostName) && c instanceof HttpsURLConnection https) { // http never loads the TLS classes
            if (tls != null) {
                https.setSSLSocketFactory(tls);
            }
            if (anyHostName) {
                https.setHostnameVerifier((host, session) -> true);
            }
        }
        return c;
    }

    private static void send(HttpURLConnection c, String jsonBody) throws IOException {
        if (jsonBody == null) {
            connect(c);
            return;
        }
        byte[] bytes = jsonBody.getBytes(StandardCharsets.UTF_8);
        c.setRequestProperty("Content-Type", HttpTransport.JSON);
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(bytes.length);
        connect(c);
        try (OutputStream out = c.getOutputStream()) {
            out.write(bytes);
        }
    }

    private static void connect(HttpURLConnection c) throws IOException {
        try {
            c.connect();
        } catch (SocketTimeoutException e) {
            throw connectTimeout(e);
        } catch (SocketException e) { // refused, unreachable, no such protocol family
            throw new NotConnected(e);
        }
    }

    /** The status line's code; the request has been sent ({@link #connect} first, so that a timeout there is told apart). */
    private static int status(HttpURLConnection c) throws IOException {
        try {
            return c.getResponseCode();
        } catch (SocketTimeoutException e) {
            throw silent(e);
        }
    }

    /** The answer's body: the error stream for 4xx and 5xx, which HttpURLConnection keeps apart. */
    private static InputStream body(HttpURLConnection c, int status) throws IOException {
        return status >= 400 ? c.getErrorStream() : c.getInputStream();
    }

    private static String contentType(HttpURLConnection c) {
        String type = c.getContentType();
        return type == null ? "" : type;
    }

    /**
     * A watch's body. Closing it drops the connection first: the JDK's chunked stream closes under
     * the same lock its reads hold, so a plain close would wait for the next event, perhaps for ever,
     * while the reader thread sits in a read.
     */
    private static final class DisconnectingStream extends FilterInputStream {
        private final HttpURLConnection connection;

        DisconnectingStream(HttpURLConnection connection) throws IOException {
            super(connection.getInputStream());
            this.connection = connection;
        }

        @Override
        public void close() throws IOException {
            connection.disconnect();
            super.close();
        }
    }

    private static HttpConnectTimeoutException connectTimeout(IOException e) {
        HttpConnectTimeoutException timeout = new HttpConnectTimeoutException("no connection within the connect timeout");
        timeout.initCause(e);
        return timeout;
    }

    private static HttpTimeoutException silent(SocketTimeoutException e) {
        HttpTimeoutException timeout = new HttpTimeoutException("no answer within the request timeout");
        timeout.initCause(e);
        return timeout;
    }

    private static int millis(Duration d) {
        // At least 1: 0 would mean "wait for ever" to HttpURLConnection.
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
