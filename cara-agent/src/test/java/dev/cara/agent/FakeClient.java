package dev.cara.agent;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.VersionInfo;
import dev.cara.sdk.Watch;
import dev.cara.sdk.WatchEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A scripted control plane: each call records itself (with the fake time) and then fails with
 * whatever the test set, or succeeds.
 */
final class FakeClient implements CaraClient {
    record Call(String kind, long at, String name, HeartbeatReport report) {
    }

    private final Ticker ticker;
    final List<Call> calls = new ArrayList<>();
    /** What register throws, or null to succeed. */
    Supplier<RuntimeException> registerFailure;
    /** What heartbeat throws, or null to succeed. */
    Supplier<RuntimeException> heartbeatFailure;
    /**
     * Runs inside each heartbeat call, after it is recorded and outside this client's lock, so that a
     * test can hold one call in flight (on a latch) while another thread goes on; null for none.
     */
    volatile java.util.function.Consumer<HeartbeatReport> inFlight;
    /** The heartbeats that returned successfully, in the order they returned (landed on the server). */
    final List<HeartbeatReport> landed = new ArrayList<>();

    FakeClient(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public synchronized Node register(Node manifest) {
        calls.add(new Call("register", ticker.read(), manifest.name(), null));
        if (registerFailure != null) {
            throw registerFailure.get();
        }
        return manifest;
    }

    @Override
    public void heartbeat(String name, HeartbeatReport report) {
        synchronized (this) {
            calls.add(new Call("heartbeat", ticker.read(), name, report));
            if (heartbeatFailure != null) {
                throw heartbeatFailure.get();
            }
        }
        java.util.function.Consumer<HeartbeatReport> hold = inFlight;
        if (hold != null) {
            hold.accept(report);
        }
        synchronized (this) {
            landed.add(report);
        }
    }

    synchronized List<HeartbeatReport> landed() {
        return List.copyOf(landed);
    }

    synchronized List<Call> calls(String kind) {
        return calls.stream().filter(c -> c.kind.equals(kind)).toList();
    }

    synchronized List<Long> gapsBetween(String kind) {
        List<Call> cs = calls(kind);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < cs.size(); i++) {
            gaps.add(cs.get(i).at - cs.get(i - 1).at);
        }
        return gaps;
    }

    @Override
    public Node get(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public NodeList list(LabelSelector selector) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Node update(Node manifest) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Watch watch(LabelSelector selector, Consumer<WatchEvent> events, Consumer<String> onClose) {
        throw new UnsupportedOperationException();
    }

    @Override
    public VersionInfo serverVersion() {
        return VersionInfo.current();
    }

    @Override
    public String target() {
        return "http://fake:8080";
    }
}
