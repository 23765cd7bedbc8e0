package dev.cara.bench;

import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.NetworkMode;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.spi.NodeStore;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the heartbeat benchmarks set up on whichever store they measure: a manually ticked control
 * plane with {@code nodes} registered workers, and the realistic report that each call sends. Owned
 * by the benchmark's trial; JMH's threads share it, each rotating over the fleet with its own
 * {@link Cursor}.
 */
public final class HeartbeatFleet implements AutoCloseable {
    private final ControlPlane controlPlane;
    private final String[] names;
    private final HeartbeatReport report = realisticReport();

    HeartbeatFleet(NodeStore store, int nodes) {
        controlPlane = ControlPlane.builder().store(store).heartbeatTimeout(Duration.ofSeconds(90))
                .manualTicks(true).build().start();
        names = new String[nodes];
        for (int i = 0; i < nodes; i++) {
            names[i] = String.format("worker-%06d", i);
            controlPlane.register(Node.builder(names[i]).hostname(names[i] + ".lan").label("zone", "z" + (i % 4)).build());
        }
    }

    static HeartbeatReport realisticReport() {
        ResourceList capacity = ResourceList.parse(Map.of("cpu", "8", "memory", "32Gi", "ephemeral-storage", "200Gi"));
        ResourceList allocatable = ResourceList.parse(Map.of("cpu", "7500m", "memory", "31Gi", "ephemeral-storage", "190Gi"));
        return new HeartbeatReport(null, new NetworkStatus("10.0.0.7", null, NetworkMode.DIRECT, 9090),
                capacity, allocatable, new NodeInfo("6.1.0-18-amd64", "Debian GNU/Linux 12", "0.1.0"), List.of());
    }

    /** Heartbeats the cursor's next node. */
    Node heartbeat(Cursor cursor) {
        return controlPlane.heartbeat(names[cursor.next(names.length)], report);
    }

    /** Closes the control plane; the store is the caller's. */
    @Override
    public void close() {
        controlPlane.close();
    }

    /** One benchmark thread's place in the fleet. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        /** The index to use now, of {@code size}, going round. */
        public int next(int size) {
            int i = next++;
            if (next == size) {
                next = 0;
            }
            return i;
        }
    }
}
