package dev.cara.ctl;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.NetworkMode;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.ResourceList;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small fleet with one node of each kind, built on the harness's fake time so that every age is
 * known: worker-01 (5d, heartbeating, Ready), worker-02 (3h, silent for hours, under memory pressure),
 * worker-03 (12m, registered unschedulable), worker-04 (45s, never heard from).
 */
final class Fleet {
    /** The instant the tests look at the fleet from: T0 + 5 days. */
    static final Duration END = Duration.ofDays(5);

    private Fleet() {
    }

    static void build(Harness h) {
        h.controlPlane.register(Node.builder("worker-01").hostname("worker-01.lan")
                .label("env", "prod").label("zone", "a").annotation("owner", "team-infra").build());
        moveTo(h, END.minusHours(3));
        h.controlPlane.register(Node.builder("worker-02").label("env", "dev").build());
        h.controlPlane.heartbeat("worker-02", new HeartbeatReport(NodeState.READY, null, null, null, null,
                List.of(Condition.of(Condition.MEMORY_PRESSURE, ConditionStatus.TRUE, "LowMemory", "memory available 3%"))));
        moveTo(h, END.minusMinutes(12));
        h.controlPlane.register(Node.builder("worker-03").label("env", "prod").unschedulable(true).build());
        moveTo(h, END.minusSeconds(45));
        h.controlPlane.register(Node.builder("worker-04").build());
        moveTo(h, END.minusSeconds(10));
        h.controlPlane.heartbeat("worker-01", new HeartbeatReport(NodeState.READY,
                new NetworkStatus("10.0.0.11", "worker-01.lan", NetworkMode.DIRECT, 9090),
                ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi")),
                ResourceList.parse(Map.of("cpu", "3800m", "memory", "7680Mi")),
                new NodeInfo("6.1.0-18-amd64", "Debian GNU/Linux 12 (bookworm)", "0.1.0"),
                List.of()));
        moveTo(h, END);
        h.controlPlane.tick();
    }

    private static void moveTo(Harness h, Duration sinceT0) {
        Duration now = Duration.between(Harness.T0, h.clock.instant());
        h.advance(sinceT0.minus(now));
        h.controlPlane.tick();
    }
}
