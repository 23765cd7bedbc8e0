package dev.cara.server;

import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeSpec;
import dev.cara.sdk.NodeState;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A node's life through the real server with a 2 s heartbeat timeout: register, heartbeat to Ready,
 * silence to NotReady with NoHeartbeat, drain to Draining (which heartbeats do not undo), uncordon
 * and heartbeat back to Ready. Every wait polls with a deadline.
 */
class StateWalkthroughIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void registerReadySilentNotReadyDrainUncordonReady() {
        try (CaraServer server = CaraServer.start(new ServerSettings("127.0.0.1", 0, "memory:", TIMEOUT, false));
             CaraClient client = CaraClient.http(URI.create(server.url()))) {
            Node registered = client.register(Node.builder("walker").hostname("walker.lan").build());
            assertEquals(NodeState.NOT_READY, registered.state());

            // Heartbeats while it waits: with one heartbeat only, a read more than the 2 s timeout after
            // it (a slow machine) would find the node NotReady again, and nothing would make it Ready.
            Node ready = Eventually.await(WAIT, "walker Ready", () -> {
                client.heartbeat("walker", HeartbeatReport.claiming(NodeState.READY));
                return client.get("walker");
            }, n -> n.state() == NodeState.READY);
            assertEquals(ConditionStatus.TRUE, condition(ready, "Ready").orElseThrow().status());
            assertNotNull(ready.status().lastHeartbeat());

            // Silence: no heartbeat for longer than the timeout.
            Node silent = Eventually.await(WAIT, "walker NotReady with NoHeartbeat", () -> client.get("walker"),
                    n -> n.state() == NodeState.NOT_READY
                            && condition(n, "NoHeartbeat").map(c -> c.status() == ConditionStatus.TRUE).orElse(false));
            // Kubernetes style: a node that stopped reporting is Ready=Unknown, not known to be broken.
            assertEquals(ConditionStatus.UNKNOWN, condition(silent, "Ready").orElseThrow().status());

            // Drain: spec.unschedulable through a read-modify-write PUT.
            Node current = client.get("walker");
            Node drained = client.update(current.withSpec(new NodeSpec(current.spec().hostname(), true)));
            assertEquals(NodeState.DRAINING, drained.state());
            assertEquals(ConditionStatus.TRUE, condition(drained, "Unschedulable").orElseThrow().status());

            // Heartbeats, even ones claiming Ready, leave a draining node Draining.
            for (int i = 0; i < 3; i++) {
                client.heartbeat("walker", HeartbeatReport.claiming(NodeState.READY));
                assertEquals(NodeState.DRAINING, client.get("walker").state());
            }

            // Uncordon, heartbeat, Ready again.
            Node draining = client.get("walker");
            Node uncordoned = client.update(draining.withSpec(new NodeSpec(draining.spec().hostname(), false)));
            assertEquals(ConditionStatus.FALSE, condition(uncordoned, "Unschedulable").orElseThrow().status());
            client.heartbeat("walker", HeartbeatReport.claiming(NodeState.READY));
            Node back = Eventually.await(WAIT, "walker Ready again", () -> {
                client.heartbeat("walker", HeartbeatReport.EMPTY);
                return client.get("walker");
            }, n -> n.state() == NodeState.READY);
            assertEquals(ConditionStatus.FALSE, condition(back, "NoHeartbeat").orElseThrow().status());
        }
    }

    private static Optional<Condition> condition(Node n, String type) {
        return n.status().conditions().stream().filter(c -> c.type().equals(type)).findFirst();
    }
}
