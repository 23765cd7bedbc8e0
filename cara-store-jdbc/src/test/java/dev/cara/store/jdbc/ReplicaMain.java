package dev.cara.store.jdbc;

import dev.cara.sdk.CaraException;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.ControlPlaneListener;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.StateTransition;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One control-plane replica in its own JVM, for {@link LeaderElectionIT}: a {@link ControlPlane} on a
 * {@link JdbcStore}, driven by lines on stdin ({@code register NAME}, {@code hb NAME}) and reporting
 * on stdout ({@code STARTED}, {@code LEADER true|false}, {@code TRANSITION NAME FROM TO},
 * {@code FAILED command: reason}). A separate process, so that a test can kill -9 it or SIGSTOP it.
 *
 * <p>Arguments: JDBC URL, heartbeat timeout in ms, lease TTL in ms.
 */
public final class ReplicaMain {
    private ReplicaMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        JdbcStore store = JdbcStore.builder(args[0]).leaseTtl(Duration.ofMillis(Long.parseLong(args[2]))).build();
        ControlPlane cp = ControlPlane.builder()
                .store(store)
                .heartbeatTimeout(Duration.ofMillis(Long.parseLong(args[1])))
                .tickInterval(Duration.ofMillis(100))
                .listener(new ControlPlaneListener() {
                    @Override
                    public void transition(StateTransition t) {
                        out.println("TRANSITION " + t.name() + " " + t.from() + " " + t.to());
                    }

                    @Override
                    public void leadership(boolean leading) {
                        out.println("LEADER " + leading);
                    }
                })
                .build();
        cp.start();
        out.println("STARTED");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split(" ");
            try {
                switch (words[0]) {
                    case "register" -> cp.register(Node.builder(words[1]).hostname(words[1] + ".lan").build());
                    case "hb" -> cp.heartbeat(words[1], HeartbeatReport.claiming(NodeState.READY));
                    case "quit" -> {
                        cp.close();
                        store.close();
                        return;
                    }
                    default -> out.println("FAILED " + line + ": unknown command");
                }
            } catch (CaraException e) {
                out.println("FAILED " + line + ": " + e.getMessage());
            }
        }
        cp.close();
        store.close();
    }
}
