package dev.cara.server;

import io.helidon.common.socket.SocketOptions;

import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The listener's socket options plus a real read timeout on every accepted connection. Helidon 4.5
 * keeps {@link SocketOptions#readTimeout()} but never applies it to the sockets it accepts, and its
 * idle-connection check cannot interrupt a request whose headers or body have stalled: a client that
 * sends a byte now and then (slowloris) would hold a connection and a thread for ever. With
 * {@code useNio(false)} Helidon reads accepted connections through the socket's stream, which
 * honours {@code SO_TIMEOUT} (its NIO path does not), so setting it here bounds every wait for more of
 * a request, and for the next request on an idle kept-alive connection, which Helidon then closes
 * without a word. Immutable.
 */
final class SocketReadTimeout implements SocketOptions {
    private final SocketOptions delegate;
    private final int timeoutMillis;

    SocketReadTimeout(Duration timeout) {
        this.delegate = SocketOptions.builder().readTimeout(timeout).build();
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    @Override
    public void configureSocket(SocketChannel channel) {
        delegate.configureSocket(channel);
        applyTimeout(channel.socket());
    }

    @Override
    public void configureSocket(Socket socket) {
        delegate.configureSocket(socket);
        applyTimeout(socket);
    }

    private void applyTimeout(Socket socket) {
        try {
            socket.setSoTimeout(timeoutMillis);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
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
