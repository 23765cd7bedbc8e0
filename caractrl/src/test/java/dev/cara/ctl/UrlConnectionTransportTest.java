package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.HttpCaraClientBuilder;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.testkit.HttpClientContract;
import dev.cara.sdk.testkit.Ports;
import dev.cara.sdk.testkit.ScriptedHttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTTP client contract over {@code HttpURLConnection}, caractrl's transport (PATCH included,
 * which it hands to the SDK's default transport), and
 * what only this transport does: {@code localhost} is the loopback address, without the resolver.
 */
class UrlConnectionTransportTest extends HttpClientContract {
    private static final String EMPTY_LIST = "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"NodeList\",\"items\":[]}";

    @Override
    protected HttpCaraClientBuilder builder() {
        return super.builder().transport(UrlConnectionTransport::new);
    }

    // PATCH is the contract's reportProjectStatusPatchesThePhaseReasonAndMessage: it runs here too.

    @Test
    void localhostMeans127001ThenIpv6LoopbackKeepingPortPathAndQuery() {
        assertEquals(List.of(URI.create("http://127.0.0.1:8080/api/v1/nodes?labelSelector=a%3Db"),
                        URI.create("http://[::1]:8080/api/v1/nodes?labelSelector=a%3Db")),
                UrlConnectionTransport.targets(URI.create("http://LocalHost:8080/api/v1/nodes?labelSelector=a%3Db")));
        assertEquals(List.of(URI.create("http://127.0.0.1/x"), URI.create("http://[::1]/x")),
                UrlConnectionTransport.targets(URI.create("http://localhost/x")));
        URI other = URI.create("http://cara.internal:8080/api/v1/nodes");
        assertEquals(List.of(other), UrlConnectionTransport.targets(other));
        URI literal = URI.create("http://127.0.0.1:8080/api/v1/nodes");
        assertEquals(List.of(literal), UrlConnectionTransport.targets(literal));
        // TLS checks the certificate against the name in the URL, so https keeps it.
        URI tls = URI.create("https://localhost:8443/api/v1/nodes");
        assertEquals(List.of(tls), UrlConnectionTransport.targets(tls));
    }

    @Test
    void localhostReachesAServerOnTheIpv4Loopback() throws IOException {
        try (ScriptedHttpServer v4 = new ScriptedHttpServer(InetAddress.getByName("127.0.0.1"));
             CaraClient c = builder().baseUrl("http://localhost:" + v4.port()).requestTimeout(Duration.ofSeconds(5)).build()) {
            v4.answer(200, "application/json", EMPTY_LIST);
            assertEquals(0, c.list().items().size());
            assertTrue(v4.seen.get(0).startsWith("GET /api/v1/nodes "), v4.seen.toString());
        }
    }

    @Test
    void localhostFallsBackToTheIpv6LoopbackWhenNothingListensOnIpv4() throws IOException {
        InetAddress v6 = InetAddress.getByName("::1");
        ScriptedHttpServer server;
        try {
            server = new ScriptedHttpServer(v6);
        } catch (IOException e) {
            assumeTrue(false, "this machine has no IPv6 loopback: " + e);
            return;
        }
        try (server; Socket probe = new Socket()) {
            assumeTrue(v6 instanceof Inet6Address);
            // The same port on 127.0.0.1 must refuse, which it does unless another process took it.
            try {
                probe.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
                assumeTrue(false, "something listens on 127.0.0.1:" + server.port());
            } catch (IOException expected) {
                // refused: the client will have to try [::1]
            }
            server.answer(200, "application/json", EMPTY_LIST);
            try (CaraClient c = builder().baseUrl("http://localhost:" + server.port()).requestTimeout(Duration.ofSeconds(5)).build()) {
                assertEquals(0, c.list().items().size());
            }
        }
    }

    @Test
    void nothingListeningOnLocalhostIsConnectionRefusedNamingTheUrlAsGiven() throws IOException {
        // The port held on both loopback addresses where there are two.
        try (Socket reserved = Ports.closedPort(InetAddress.getByName("127.0.0.1"), 0);
             Socket reservedV6 = closedIpv6PortIfAny(reserved.getLocalPort())) {
            String url = "http://localhost:" + reserved.getLocalPort();
            try (CaraClient c = builder().baseUrl(url).connectTimeout(Duration.ofSeconds(2)).build()) {
                UnavailableException e = assertThrows(UnavailableException.class, () -> c.get("w1"));
                assertTrue(e.getMessage().contains(url), e.getMessage());
                assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
            }
        }
    }

    /** The port held on [::1] too, or null where there is no IPv6 loopback (then nothing listens there). */
    private static Socket closedIpv6PortIfAny(int port) throws IOException {
        try {
            return Ports.closedPort(InetAddress.getByName("::1"), port);
        } catch (UncheckedIOException noIpv6OrTaken) {
            return null;
        }
    }
}
