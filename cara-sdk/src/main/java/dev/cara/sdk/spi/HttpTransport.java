package dev.cara.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * How {@link HttpCaraClient} moves bytes: the request and its answer, nothing about cara. Two
 * implementations: {@link JdkHttpTransport} ({@code java.net.http}, for long-lived programs) and
 * {@link UrlConnectionTransport} ({@code HttpURLConnection}, for programs that make a call or two and
 * exit). The client maps answers and failures to the SDK's exceptions the same way for both, so a
 * transport reports a connect timeout as {@link java.net.http.HttpConnectTimeoutException} and a
 * silent server as {@link java.net.http.HttpTimeoutException}, whichever it uses inside.
 */
interface HttpTransport extends AutoCloseable {
    /** An answer read whole. */
    record Answer(int status, String contentType, String body) {
    }

    /** An answer whose body is still arriving (a watch); the caller closes the body. */
    record Streamed(int status, String contentType, InputStream body) {
    }

    /**
     * Sends one request and reads the whole answer, waiting at most the request timeout for it.
     *
     * @param jsonBody the request body, or null for none
     */
    Answer exchange(String method, URI uri, String jsonBody) throws IOException, InterruptedException;

    /** Sends a GET whose answer is a stream; the headers must come within the request timeout, the body may last. */
    Streamed stream(URI uri) throws IOException, InterruptedException;

    /** Releases pooled connections and threads; calls in flight may fail. */
    @Override
    void close();
}
