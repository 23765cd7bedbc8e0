package dev.cara.sdk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Ports for tests that need a connection to be refused. */
public final class Ports {
    private Ports() {
    }

    /**
     * A port on the loopback address that nothing listens on, for as long as the returned socket
     * stays open: it is bound but does not listen, so connections to it are refused, and no other
     * process can start listening on it meanwhile (a port bound and released again could be taken
     * before the test used it).
     */
    public static Socket closedPort() {
        return closedPort(InetAddress.getLoopbackAddress(), 0);
    }

    /** Like {@link #closedPort()}, on this address and port (0: any free one). */
    public static Socket closedPort(InetAddress address, int port) {
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(address, port));
            return s;
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException(e);
        }
    }
}
