package dev.cara.sdk;

import dev.cara.sdk.testkit.HttpClientContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The HTTP client contract over the SDK's default transport, the JDK's {@code HttpClient}, and the
 * client's own wording of failures, which is the same over every transport.
 */
class HttpCaraClientTest extends HttpClientContract {

    @Test
    void aHostThatDoesNotResolveIsNamed() {
        // The failures as each transport reports them, made up here: a test sends no DNS query.
        try (CaraClient c = CaraClient.httpBuilder().baseUrl("http://cara.invalid:8080").build()) {
            HttpCaraClient client = (HttpCaraClient) c;
            java.net.ConnectException jdk = new java.net.ConnectException();
            jdk.initCause(new java.nio.channels.UnresolvedAddressException());
            for (IOException failure : List.of(new java.net.UnknownHostException("cara.invalid"), jdk)) {
                assertEquals("cannot reach the cara server at http://cara.invalid:8080: the host name cara.invalid does"
                        + " not resolve; check the URL", client.unreachable("GET", "/api/v1/nodes", failure).getMessage());
            }
        }
    }
}
