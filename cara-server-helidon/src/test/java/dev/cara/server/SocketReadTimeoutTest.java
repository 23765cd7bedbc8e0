package dev.cara.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketReadTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(7);

    /** A connected pair on loopback: the accepted end (as the server sees it) first, then the client's. */
    private record Pair(Socket accepted, Socket client) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            accepted.close();
            client.close();
        }
    }

    private static Pair connect(ServerSocket server) throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        return new Pair(server.accept(), client);
    }

    @Test
    void anAcceptedConnectionIsTimedUntilItsRequestIsDoneAndAgainFromTheNextRequestLine() throws IOException {
        SocketReadTimeout timeouts = new SocketReadTimeout(TIMEOUT);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Pair pair = connect(server)) {
            timeouts.configureSocket(pair.accepted());
            assertEquals(7_000, pair.accepted().getSoTimeout(), "its first request line is waited for with the timeout");

            timeouts.betweenRequests(pair.accepted().getRemoteSocketAddress());
            assertEquals(0, pair.accepted().getSoTimeout(), "the wait for the next request has no deadline");

            timeouts.requestStarted(pair.accepted().getRemoteSocketAddress());
            assertEquals(7_000, pair.accepted().getSoTimeout(), "the rest of the next request is timed again");
        }
    }

    @Test
    void anUnknownOrClosedConnectionIsLeftAlone() throws IOException {
        SocketReadTimeout timeouts = new SocketReadTimeout(TIMEOUT);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Pair pair = connect(server);
            timeouts.configureSocket(pair.accepted());
            pair.close();
            timeouts.betweenRequests(pair.accepted().getRemoteSocketAddress()); // no exception for a closed socket
            timeouts.requestStarted(pair.accepted().getRemoteSocketAddress());
            timeouts.requestStarted(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)); // never accepted
        }
    }

    @Test
    void closedConnectionsAreSweptOutAsNewOnesArrive() throws IOException {
        SocketReadTimeout timeouts = new SocketReadTimeout(TIMEOUT);
        try (ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            List<Pair> first = new ArrayList<>();
            for (int i = 0; i < 63; i++) {
                Pair p = connect(server);
                timeouts.configureSocket(p.accepted());
                first.add(p);
            }
            assertEquals(63, timeouts.openCount());
            for (Pair p : first) {
                p.close();
            }
            try (Pair live = connect(server)) {
                timeouts.configureSocket(live.accepted()); // the 64th: the map sweeps its closed sockets out
                assertEquals(1, timeouts.openCount(), "only the live connection is left");
                timeouts.betweenRequests(live.accepted().getRemoteSocketAddress());
                assertEquals(0, live.accepted().getSoTimeout());
            }
        }
    }

    @Test
    void helidonsIdleCheckLooksOftenEnoughToEndAWaitWithinAboutAQuarterOfTheTimeout() {
        assertEquals(Duration.ofMillis(250), SocketReadTimeout.idlePeriod(Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(15), SocketReadTimeout.idlePeriod(Duration.ofSeconds(60)));
        assertEquals(Duration.ofMillis(100), SocketReadTimeout.idlePeriod(Duration.ofMillis(100)), "not more than 10 times a second");
        assertEquals(Duration.ofSeconds(15), SocketReadTimeout.idlePeriod(Duration.ofHours(1)), "not less than every 15 s");
        assertTrue(SocketReadTimeout.idlePeriod(Duration.ofSeconds(10)).compareTo(Duration.ofSeconds(10)) < 0);
    }
}
