package dev.cara.sdk.spi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The transport SPI: how the HTTP {@link dev.cara.sdk.CaraClient} moves bytes, the request and its
 * answer, nothing about cara. The SDK's own transport is the JDK's {@code java.net.http} client, for
 * long-lived programs; a program with other needs plugs in its own with
 * {@code CaraClient.httpBuilder().transport(factory)} ({@code caractrl}, which makes a call or two and
 * exits, brings one over {@code HttpURLConnection} that starts in a fraction of the time).
 *
 * <p>The client maps answers and failures to the SDK's exceptions the same way for every transport,
 * so a transport reports a connect timeout as {@link java.net.http.HttpConnectTimeoutException}, a
 * silent server as {@link java.net.http.HttpTimeoutException}, and a refused connection as
 * {@link java.net.ConnectException}, whichever it uses inside. Prove a transport with the contract
 * kit's {@code HttpClientContract} (artifact {@code cara-sdk-testkit}).
 */
public interface HttpTransport extends AutoCloseable {
    /** The {@code Content-Type} a transport sends with a request body. */
    String JSON = "application/json";
    /** The {@code Accept} header a transport sends: JSON, or problem JSON for an error. */
    String ACCEPT = JSON + ", application/problem+json";

    /** The header of a 201 to a bootstrap registration that carries the node's own credential. */
    String NODE_TOKEN_HEADER = "Cara-Node-Token";

    /**
     * An answer read whole.
     *
     * @param nodeToken the {@link #NODE_TOKEN_HEADER} header, when the answer has one
     */
    record Answer(int status, String contentType, String body, Optional<String> nodeToken) {
        public Answer {
            Objects.requireNonNull(nodeToken, "nodeToken");
        }

        /** An answer without a node credential. */
        public Answer(int status, String contentType, String body) {
            this(status, contentType, body, Optional.empty());
        }

        // A credential is never shown.
        @Override
        public String toString() {
            return "Answer[status=" + status + ", contentType=" + contentType + ", body=" + body
                    + (nodeToken.isPresent() ? ", nodeToken=***" : "") + "]";
        }
    }

    /** An answer whose body is still arriving (a watch); the caller closes the body. */
    record Streamed(int status, String contentType, InputStream body) {
    }

    /**
     * Sends one request and reads the whole answer, waiting at most the request timeout for it.
     *
     * @param jsonBody the request body ({@code application/json}), or null for none
     */
    Answer exchange(String method, URI uri, String jsonBody) throws IOException, InterruptedException;

    /** Sends a GET whose answer is a stream; the headers must come within the request timeout, the body may last. */
    Streamed stream(URI uri) throws IOException, InterruptedException;

    /** Releases pooled connections and threads; calls in flight may fail. */
    @Override
    void close();

    /** Opens the transport of one client, with the client's settings. */
    @FunctionalInterface
    interface Factory {
        HttpTransport open(Settings settings);
    }

    /**
     * What a client asks of its transport.
     *
     * @param baseUrl               the server's base URL (http or https)
     * @param connectTimeout        how long to wait for a TCP connection
     * @param requestTimeout        how long to wait for one answer (for a stream: for its headers)
     * @param userAgent             the User-Agent header to send
     * @param bearerToken           the token for {@code Authorization: Bearer}, read for every request
     * @param trustedCertificates   a PEM file of the CA certificates to trust instead of the JDK's, for https
     * @param insecureSkipTlsVerify whether to accept any server certificate for any name (tests only)
     * @param clientCertificate     a PEM certificate chain to present (mTLS), with {@code clientKey}
     * @param clientKey             its PEM (PKCS#8) private key
     */
    record Settings(URI baseUrl, Duration connectTimeout, Duration requestTimeout, String userAgent,
                    dev.cara.sdk.BearerToken bearerToken, Optional<Path> trustedCertificates, boolean insecureSkipTlsVerify,
                    Optional<Path> clientCertificate, Optional<Path> clientKey) {
        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(userAgent, "userAgent");
            Objects.requireNonNull(bearerToken, "bearerToken");
            Objects.requireNonNull(trustedCertificates, "trustedCertificates");
            Objects.requireNonNull(clientCertificate, "clientCertificate");
            Objects.requireNonNull(clientKey, "clientKey");
            if (clientCertificate.isPresent() != clientKey.isPresent()) {
                throw new IllegalArgumentException("a client certificate goes with its key: give both or neither");
            }
        }

        /** Plain settings: no token, the JDK's trust store, no client certificate. */
        public Settings(URI baseUrl, Duration connectTimeout, Duration requestTimeout, String userAgent) {
            this(baseUrl, connectTimeout, requestTimeout, userAgent, dev.cara.sdk.BearerToken.none(), Optional.empty(), false,
                    Optional.empty(), Optional.empty());
        }

        /** The {@code Authorization} header's value for a request now, if a token is configured. */
        public Optional<String> authorization() {
            return bearerToken.read().map(t -> "Bearer " + t);
        }

        /**
         * The TLS context these settings ask for, or empty when the JDK's default will do (http, or
         * https with the default trust store and no client certificate). Built anew on each call: a
         * transport calls it once, when it is opened.
         *
         * @throws dev.cara.sdk.InvalidException naming a PEM file that cannot be read or parsed
         */
        public Optional<SSLContext> tlsContext() {
            if (!"https".equalsIgnoreCase(baseUrl.getScheme())
                    || (trustedCertificates.isEmpty() && !insecureSkipTlsVerify && clientCertificate.isEmpty())) {
                return Optional.empty();
            }
            return Optional.of(ClientTls.context(this));
        }

        // The token is read per request and never printed; the paths are harmless.
        @Override
        public String toString() {
            return "Settings[baseUrl=" + baseUrl + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                    + ", userAgent=" + userAgent + ", bearerToken=" + bearerToken + ", trustedCertificates="
                    + trustedCertificates.map(Path::toString).orElse("default") + ", insecureSkipTlsVerify=" + insecureSkipTlsVerify
                    + ", clientCertificate=" + clientCertificate.map(Path::toString).orElse("none") + "]";
        }
    }
}
