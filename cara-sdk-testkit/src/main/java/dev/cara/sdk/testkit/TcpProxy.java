package dev.cara.sdk.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 that a test can cut and restore, to make a database unreachable
 * without touching the database itself. Cutting closes the listener and every open connection;
 * restoring listens again on the same port.
 *
 * <p>While cut, the port stays bound by a socket that does not listen: connections are refused, as
 * they would be with nothing there, but no other socket can take the port meanwhile (an outgoing
 * connection's ephemeral port, say), which would make the restore fail.
 */
public final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private Thread acceptor;    // guarded by this: the thread accepting on server
    private Socket placeholder; // guarded by this: holds the port while cut

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.port = s.getLocalPort();
        listen(s);
    }

    public int port() {
        return port;
    }

    public synchronized void cut() throws IOException {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
            // The JDK closes a socket that a thread is blocked on only once that thread has left
            // accept(): until then the port still has a listener, and binding it fails.
            awaitEnd(acceptor);
        }
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
        if (s != null) {
            Socket holder = new Socket();
            holder.setReuseAddress(true); // the connections just closed linger in TIME_WAIT on this port
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            placeholder = holder;
        }
    }

    public synchronized void restore() throws IOException {
        if (server == null) {
            releasePlaceholder();
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listen(s);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        cut();
        releasePlaceholder();
    }

    private void releasePlaceholder() throws IOException {
        Socket holder = placeholder;
        placeholder = null;
        if (holder != null) {
            holder.close();
        }
    }

    private static void awaitEnd(Thread thread) throws IOException {
        try {
            if (!thread.join(Duration.ofSeconds(30))) {
                throw new IOException("the proxy's accepting thread did not end within 30 s of closing its socket");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while closing the proxy's socket");
        }
    }

    private void listen(ServerSocket s) {
        server = s;
        acceptor = Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(upstream);
                    pipe(client, upstream);
                    pipe(upstream, client);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
                open.remove(from);
                open.remove(to);
            }
        });
    }
}
