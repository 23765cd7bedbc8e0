package dev.cara.server;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The listener's socket options plus a real read timeout on every accepted connection. Helidon 4.5
 * keeps {@link SocketOptions#readTimeout()} but never applies it to the sockets it accepts, and its
 * idle-connection check cannot interrupt a request whose headers or body have stalled: a client that
 * sends a byte now and then (slowloris) would hold a connection and a thread for ever. With
 * {@code useNio(false)} Helidon reads accepted connections through the socket's stream, which
 * honours {@code SO_TIMEOUT} (its NIO path does not), so setting it here bounds every wait for more of
 * a request; Helidon then closes the connection without a word.
 *
 * <p><b>Only while a request is open.</b> A virtual thread's read under {@code SO_TIMEOUT} that has to
 * wait parks with a deadline, and JDK 25 hands every such deadline, and its cancellation when the bytes
 * come, to the carrier pool's one delay-scheduler thread, waking it (a futex wake and a context switch)
 * whenever it had gone to sleep. A kept-alive connection's read of its next request almost always waits
 * (the client sends it only once it has the answer), so a timed read there cost a wake-up of another
 * thread per request: several microseconds of CPU, most at low concurrency, where the scheduler sleeps
 * between requests (issue 13: heartbeats at {@code wrk -t1 -c32}). So the timeout is on from the moment
 * a connection is accepted and from each request's first line ({@link #listener()}) until the request
 * is done with its body ({@link #filter}); the wait for the next request runs without it and is bounded
 * by Helidon's idle-connection check instead ({@link #idlePeriod}), which closes a connection idle for
 * longer than the timeout, and interrupts it when it is waiting for, or inside, a request line.
 *
 * <p>Thread-safe: {@code open} is a concurrent map from each accepted connection's remote address to
 * its socket, written at accept (by the listener thread) and read by the connection's own thread;
 * closed sockets are swept out as the map grows ({@link #sweepAt}). Each socket's timeout is only
 * changed by its connection's own thread, but at accept.
 */
final class SocketReadTimeout implements SocketOptions, Filter {
    private static final int MIN_SWEEP = 64;

    private final SocketOptions delegate;
    private final int timeoutMillis;
    private final Map<SocketAddress, Socket> open = new ConcurrentHashMap<>();
    /** The size at which accepting next sweeps closed sockets out: twice what survived the last sweep. */
    private volatile int sweepAt = MIN_SWEEP;

    SocketReadTimeout(Duration timeout) {
        this.delegate = SocketOptions.builder().readTimeout(timeout).build();
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    /**
     * How often Helidon's idle-connection check should look, for a wait between requests to end within
     * about a quarter of the timeout after it: its scan is of every connection, so not more than 10 times
     * a second, nor less than every 15 s.
     */
    static Duration idlePeriod(Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        return quarter.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100)
                : quarter.compareTo(Duration.ofSeconds(15)) > 0 ? Duration.ofSeconds(15) : quarter;
    }

    @Override
    public void configureSocket(SocketChannel channel) {
        delegate.configureSocket(channel);
        accepted(channel.socket());
    }

    @Override
    public void configureSocket(Socket socket) {
        delegate.configureSocket(socket);
        accepted(socket);
    }

    /** A new connection: timed from its first byte on, and known by its remote address. */
    private void accepted(Socket socket) {
        set(socket, timeoutMillis);
        SocketAddress remote = socket.getRemoteSocketAddress();
        if (remote != null) {
            open.put(remote, socket);
        }
        if (open.size() >= sweepAt) {
            sweep();
        }
    }

    // Amortised: a sweep visits every entry, and the next one waits until the map has doubled again.
    private void sweep() {
        open.entrySet().removeIf(e -> e.getValue().isClosed());
        sweepAt = Math.max(MIN_SWEEP, 2 * open.size());
    }

    /** The connections known now (tests). */
    int openCount() {
        return open.size();
    }

    /**
     * Hears each request's first line, before Helidon reads its headers: from here until the request is
     * done, every read waits at most the timeout.
     */
    Http1ConnectionListener listener() {
        return new Http1ConnectionListener() {
            @Override
            public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
                requestStarted(ctx.remotePeer().address());
            }
        };
    }

    void requestStarted(SocketAddress remote) {
        Socket socket = open.get(remote);
        if (socket != null) {
            set(socket, timeoutMillis);
        }
    }

    /**
     * Outermost routing filter: once a request has been handled and nothing of its body is left to read,
     * the connection's wait for the next request runs without a deadline. A body the handler left
     * unread keeps the timeout, for Helidon reads the rest of it before the next request.
     */
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        try {
            chain.proceed();
        } finally {
            if (!req.content().hasEntity() || req.content().consumed()) {
                betweenRequests(req.remotePeer().address());
            }
        }
    }

    void betweenRequests(SocketAddress remote) {
        Socket socket = open.get(remote);
        if (socket != null) {
            set(socket, 0);
        }
    }

    private static void set(Socket socket, int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (SocketException e) {
            if (!socket.isClosed()) {
                throw new UncheckedIOException(e);
            }
            // Closed meanwhile: it reads nothing more, with or without a timeout.
        }
    }

    @Override
    public Map<SocketOption<?>, Object> socketOptions() {
        return delegate.socketOptions();
    }

    @Override
    public Duration connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Duration readTimeout() {
        return delegate.readTimeout();
    }

    @Override
    public Optional<Integer> socketReceiveBufferSize() {
        return delegate.socketReceiveBufferSize();
    }

    @Override
    public Optional<Integer> socketSendBufferSize() {
        return delegate.socketSendBufferSize();
    }

    @Override
    public boolean socketReuseAddress() {
        return delegate.socketReuseAddress();
    }

    @Override
    public boolean socketKeepAlive() {
        return delegate.socketKeepAlive();
    }

    @Override
    public boolean tcpNoDelay() {
        return delegate.tcpNoDelay();
    }
}
