package dev.cara.examples.embedded;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.Condition;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.Scheduler;
import dev.cara.sdk.SchedulingRequest;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.spi.MemoryStore;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a cara control plane inside this application: two nodes register, one heartbeats, and a fake
 * ticker moves past the heartbeat timeout so that the silent node turns NotReady, without waiting.
 *
 * <p>Run it with {@code java -cp ... dev.cara.examples.embedded.EmbeddedControlPlane}; its test runs
 * it in {@code ./mvnw verify}.
 */
public final class EmbeddedControlPlane {

    /**
     * Time that moves only when we say so. The control plane measures a node's silence on its
     * monotonic ticker, so a ticker that we advance is all the example needs; the wall clock only
     * stamps times (createdAt, lastHeartbeat) and stays the system's. Used by one thread.
     */
    static final class ManualTicker implements Ticker {
        private long nanos;

        void advance(Duration d) {
            nanos += d.toNanos();
        }

        @Override
        public long read() {
            return nanos;
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }

    static void run(PrintStream out) {
        ManualTicker time = new ManualTicker();
        try (MemoryStore store = MemoryStore.create();
             ControlPlane controlPlane = ControlPlane.builder()
                     .store(store)
                     .ticker(time)
                     .heartbeatTimeout(Duration.ofSeconds(90))
                     .manualTicks(true) // we drive the monitor ourselves instead of a background thread
                     .build()
                     .start()) {
            CaraClient client = CaraClient.inProcess(controlPlane);

            client.register(Node.builder("web-1").hostname("web-1.example.com").label("role", "web").build());
            client.register(Node.builder("web-2").hostname("web-2.example.com").label("role", "web").build());
            print(out, "registered", client);

            ResourceList size = ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi"));
            HeartbeatReport report = new HeartbeatReport(NodeState.READY, null, size, size, null, null);
            client.heartbeat("web-1", report);
            client.heartbeat("web-2", report);
            print(out, "both heartbeat", client);

            time.advance(Duration.ofSeconds(60));
            client.heartbeat("web-1", report); // web-2 has gone quiet
            time.advance(Duration.ofSeconds(31)); // web-2: 91 s of silence, web-1: 31 s
            controlPlane.tick();
            print(out, "91 s later", client);

            var placement = Scheduler.standard().place(controlPlane.list(),
                    SchedulingRequest.of(ResourceList.parse(Map.of("cpu", "1", "memory", "1Gi"))), Map.of());
            out.println("scheduler picks: " + placement.map(p -> p.node().name()).orElse("nothing"));
        }
    }

    private static void print(PrintStream out, String when, CaraClient client) {
        String states = client.list().items().stream()
                .map(n -> n.name() + "=" + n.state().wireName() + conditions(n))
                .collect(Collectors.joining(" "));
        out.println(when + ": " + states);
    }

    private static String conditions(Node n) {
        var adverse = n.status().adverseConditions();
        return adverse.isEmpty() ? "" : adverse.stream().map(Condition::type).collect(Collectors.joining(",", "(", ")"));
    }

    private EmbeddedControlPlane() {
    }
}
