package dev.cara.sdk;

import dev.cara.sdk.spi.HttpTransport;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Builds the HTTP {@link CaraClient}: {@code CaraClient.httpBuilder().baseUrl(uri).build()}. Each
 * setting may be set once and is checked when it is set.
 */
public final class HttpCaraClientBuilder {
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private URI baseUrl;
    private Duration connectTimeout;
    private Duration requestTimeout;
    private String userAgent;
    private HttpTransport.Factory transport;
    private BearerToken bearerToken;
    private Path trustedCertificates;
    private Boolean insecureSkipTlsVerify;
    private Path clientCertificate;
    private Path clientKey;
    private java.util.function.Consumer<String> onNodeCredential;

    HttpCaraClientBuilder() {
    }

    /**
     * The server's base URL, for example {@code http://localhost:8080}. The API is reached under
     * {@code /api/v1} below it; a path in the URL is kept as a prefix (for a server behind a proxy).
     *
     * @throws InvalidException unless it is an absolute http or https URL with a host
     */
    public HttpCaraClientBuilder baseUrl(URI value) {
        requireUnset(baseUrl, "baseUrl");
        Objects.requireNonNull(value, "baseUrl");
        String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || value.getHost() == null
                || value.getRawQuery() != null || value.getRawFragment() != null) {
            throw new InvalidException("server URL", value.toString(),
                    "an http:// or https:// URL with a host, such as http://localhost:8080");
        }
        baseUrl = value;
        return this;
    }

    /** Like {@link #baseUrl(URI)}, from text. */
    public HttpCaraClientBuilder baseUrl(String value) {
        Objects.requireNonNull(value, "baseUrl");
        try {
            return baseUrl(new URI(value.trim()));
        } catch (URISyntaxException e) {
            throw new InvalidException("server URL", value, "an http:// or https:// URL with a host, such as http://localhost:8080");
        }
    }

    /** How long to wait for a TCP connection to the server. Default: 5 s. */
    public HttpCaraClientBuilder connectTimeout(Duration value) {
        requireUnset(connectTimeout, "connectTimeout");
        connectTimeout = requirePositive(value, "connectTimeout");
        return this;
    }

    /** How long to wait for the answer to one call (not a watch, which lasts). Default: 30 s. */
    public HttpCaraClientBuilder requestTimeout(Duration value) {
        requireUnset(requestTimeout, "requestTimeout");
        requestTimeout = requirePositive(value, "requestTimeout");
        return this;
    }

    /** The User-Agent header, so that server logs say who called. Default: {@code cara-sdk/VERSION}. */
    public HttpCaraClientBuilder userAgent(String value) {
        requireUnset(userAgent, "userAgent");
        Objects.requireNonNull(value, "userAgent");
        if (value.isBlank() || value.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("userAgent must be printable ASCII, was \"" + value + "\"");
        }
        userAgent = value;
        return this;
    }

    /**
     * The default transport's factory, over the JDK's {@link java.net.http.HttpClient}: for a transport
     * of one's own that hands it the calls it cannot make itself (caractrl's, for PATCH).
     */
    public static HttpTransport.Factory jdkTransport() {
        return JdkHttpTransport::new;
    }

    /**
     * The transport that moves the bytes. Default: the JDK's {@link java.net.http.HttpClient}, which
     * suits a long-lived program (pooled connections, a selector thread). A program that makes a call
     * or two and exits may bring one that starts faster, as {@code caractrl} does.
     */
    public HttpCaraClientBuilder transport(HttpTransport.Factory value) {
        requireUnset(transport, "transport");
        transport = Objects.requireNonNull(value, "transport");
        return this;
    }

    /** Sends this token ({@code Authorization: Bearer ...}) with every request. Its value is never logged or shown. */
    public HttpCaraClientBuilder bearerToken(String token) {
        return bearerToken(BearerToken.of(token));
    }

    /**
     * Sends the token that {@code source} gives at each request, such as {@link BearerToken#file}, so
     * that a rotated token file is picked up. Default: none.
     */
    public HttpCaraClientBuilder bearerToken(BearerToken source) {
        requireUnset(bearerToken, "bearerToken");
        bearerToken = Objects.requireNonNull(source, "bearerToken");
        return this;
    }

    /**
     * Trusts the CA certificates in this PEM file, instead of the JDK's trust store, for an https server.
     *
     * @throws InvalidException when the file does not exist
     */
    public HttpCaraClientBuilder trustedCertificates(Path caFile) {
        requireUnset(trustedCertificates, "trustedCertificates");
        trustedCertificates = requireFile(caFile, "CA file");
        return this;
    }

    /**
     * Accepts any server certificate, for any name. For tests against a server with a throw-away
     * certificate only: anyone on the path can then pose as the server. Logs a warning.
     */
    public HttpCaraClientBuilder insecureSkipTlsVerify() {
        requireUnset(insecureSkipTlsVerify, "insecureSkipTlsVerify");
        insecureSkipTlsVerify = true;
        Logger.getLogger(HttpCaraClientBuilder.class.getName())
                .warning("insecureSkipTlsVerify: the server's certificate will not be checked; use trustedCertificates(caFile) instead");
        return this;
    }

    /**
     * Presents this client certificate (PEM chain) with its PEM PKCS#8 key to an https server that asks
     * for one (mTLS; cara takes the certificate's CN as the node it acts for).
     *
     * @throws InvalidException when a file does not exist
     */
    public HttpCaraClientBuilder clientCertificate(Path certificate, Path key) {
        requireUnset(clientCertificate, "clientCertificate");
        clientCertificate = requireFile(certificate, "client certificate file");
        clientKey = requireFile(key, "client key file");
        return this;
    }

    /**
     * Hands {@code sink} the node credential that a bootstrap registration gets back (the
     * {@code Cara-Node-Token} header of the 201), before {@link CaraClient#register} returns, so that
     * the caller can store it and send it from then on. The server sends it once: a caller that
     * does not keep it cannot get it again. Default: it is dropped.
     */
    public HttpCaraClientBuilder onNodeCredential(java.util.function.Consumer<String> sink) {
        requireUnset(onNodeCredential, "onNodeCredential");
        onNodeCredential = Objects.requireNonNull(sink, "onNodeCredential");
        return this;
    }

    public CaraClient build() {
        if (baseUrl == null) {
            throw new IllegalStateException("a base URL is required: CaraClient.httpBuilder().baseUrl(\"http://localhost:8080\")");
        }
        Duration connect = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        Duration request = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        String agent = userAgent == null ? "cara-sdk/" + VersionInfo.current().version() : userAgent;
        HttpTransport.Settings settings = new HttpTransport.Settings(baseUrl, connect, request, agent,
                bearerToken == null ? BearerToken.none() : bearerToken, Optional.ofNullable(trustedCertificates),
                insecureSkipTlsVerify != null, Optional.ofNullable(clientCertificate), Optional.ofNullable(clientKey));
        HttpTransport.Factory factory = transport == null ? JdkHttpTransport::new : transport;
        return new HttpCaraClient(baseUrl, request, Objects.requireNonNull(factory.open(settings), "transport"),
                onNodeCredential == null ? token -> { } : onNodeCredential);
    }

    private static void requireUnset(Object current, String name) {
        if (current != null) {
            throw new IllegalStateException(name + " was already set");
        }
    }

    private static Path requireFile(Path file, String what) {
        Objects.requireNonNull(file, what);
        if (!Files.isRegularFile(file)) {
            throw new InvalidException(what, file.toString(), "a readable PEM file (it does not exist)");
        }
        return file;
    }

    private static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
