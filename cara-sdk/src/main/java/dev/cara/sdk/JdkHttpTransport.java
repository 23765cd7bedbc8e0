package dev.cara.sdk;

import dev.cara.sdk.spi.HttpTransport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link HttpTransport} over the JDK's {@link HttpClient}: pooled keep-alive connections, a selector
 * thread, thread-safe. The right one for a program that lives long and calls often (the agent, an
 * embedding service); its start-up cost (threads, executor, TLS set-up) is paid once.
 */
final class JdkHttpTransport implements HttpTransport {
    private final HttpClient http;
    private final Duration requestTimeout;
    private final String userAgent;
    private final HttpTransport.Settings settings;

    JdkHttpTransport(HttpTransport.Settings settings) {
        this(settings.baseUrl(), settings.connectTimeout(), settings.requestTimeout(), settings.userAgent(), settings);
    }

    private JdkHttpTransport(URI baseUrl, Duration connectTimeout, Duration requestTimeout, String userAgent,
                             HttpTransport.Settings settings) {
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
        this.settings = settings;
        // HTTP/1.1 explicitly: the JDK would otherwise try an h2c upgrade on every new connection.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("http".equalsIgnoreCase(baseUrl.getScheme())) {
            builder.sslContext(PlaintextOnlySslContext.INSTANCE); // spares loading the trust store (see there)
        } else {
            settings.tlsContext().ifPresent(builder::sslContext);
        }
        this.http = builder.build();
    }

    @Override
    public Answer exchange(String method, URI uri, String jsonBody) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(method, uri, jsonBody).timeout(requestTimeout).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(response.statusCode(), contentType(response), response.body(),
                response.headers().firstValue(NODE_TOKEN_HEADER));
    }

    @Override
    public Streamed stream(URI uri) throws IOException, InterruptedException {
        HttpRequest request = request("GET", uri, null).build(); // no request timeout: the body lasts
        CompletableFuture<HttpResponse<InputStream>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            // The headers must come promptly even though the body never ends.
            response = pending.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new HttpTimeoutException("no answer within the request timeout");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        }
        return new Streamed(response.statusCode(), contentType(response), response.body());
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpRequest.Builder request(String method, URI uri, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Accept", HttpTransport.ACCEPT)
                .header("User-Agent", userAgent);
        settings.authorization().ifPresent(a -> b.header("Authorization", a)); // read per request: a rotated file counts
        if (jsonBody == null) {
            return b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.header("Content-Type", HttpTransport.JSON)
                .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }
}
