package dev.cara.server;

import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.spi.StoreProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restart grace: stop the server while nodes are Ready and heartbeating, start another on the same
 * store, and no node turns NotReady during the first timeout after the restart; a node that went
 * silent just before the restart gets the full grace period too (its NotReady comes no sooner than
 * one timeout after the new server started), whatever its stored timestamps say.
 *
 * <p>Real time drives the server's monitor, and the heartbeater, the servers and the watching loop
 * share this JVM: a pause of it (GC, a slow CI core) stops the heartbeats and not the clock, and after
 * it the monitor may tick before the heartbeater runs. With a 5 s timeout against a 200 ms heartbeat
 * interval a heartbeating node goes through a pause of 4 s (seen with SIGSTOP: with the former 3 s
 * timeout, a 4 s pause turned one NotReady), and the heartbeater alone can fall behind by 4.5 s.
 */
class RestartGraceIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Spaces the reads of the watching loop, so that it does not take a core from the heartbeater. */
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sharedmem:restart-grace", "mapdb"})
    void noNodeTurnsNotReadyDuringTheFirstTimeoutAfterARestart(String store) throws Exception {
        String url = store.equals("mapdb") ? "mapdb:" + dir.resolve("cara.db") : store;
        Assumptions.assumeTrue(hasProvider(url), "no store provider for " + url + " on the class path yet");
        List<String> names = IntStream.range(0, 6).mapToObj(i -> "grace-" + i).toList();
        AtomicReference<CaraClient> target = new AtomicReference<>();
        AtomicBoolean beating = new AtomicBoolean(true);
        Map<String, Boolean> everNotReady = new ConcurrentHashMap<>();
        Thread heartbeater = new Thread(() -> {
            while (beating.get()) {
                CaraClient c = target.get();
                for (String n : names) {
                    try {
                        c.heartbeat(n, HeartbeatReport.claiming(NodeState.READY));
                    } catch (CaraException serverDownForTheRestart) {
                        // The agents keep trying while the server restarts.
                    }
                }
                try {
                    Thread.sleep(200); // an agent's heartbeat interval, far below the timeout
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heartbeater");

        ServerSettings settings = new ServerSettings("127.0.0.1", 0, url, TIMEOUT, false);
        CaraServer first = CaraServer.start(settings);
        CaraServer second = null;
        try {
            CaraClient firstClient = CaraClient.http(URI.create(first.url()));
            target.set(firstClient);
            names.forEach(n -> firstClient.register(Node.builder(n).build()));
            firstClient.register(Node.builder("quiet").build());
            firstClient.heartbeat("quiet", HeartbeatReport.claiming(NodeState.READY));
            heartbeater.start();
            // "quiet" heartbeats while we wait, or a slow start could outlast its timeout before the
            // others are Ready; its last word comes just before the restart.
            Eventually.await(WAIT, "every node Ready", () -> {
                firstClient.heartbeat("quiet", HeartbeatReport.claiming(NodeState.READY));
                return firstClient.list().items().stream().allMatch(n -> n.state() == NodeState.READY);
            });
            firstClient.heartbeat("quiet", HeartbeatReport.claiming(NodeState.READY)); // its last word

            first.close();
            firstClient.close();
            long restartedAt = System.nanoTime();
            second = CaraServer.start(settings);
            CaraClient secondClient = CaraClient.http(URI.create(second.url()));
            target.set(secondClient);

            // Through the whole first timeout after the restart (and a margin), nobody heartbeating is NotReady.
            long watchUntil = restartedAt + TIMEOUT.toNanos() + Duration.ofSeconds(1).toNanos();
            long quietNotReadyAt = -1;
            while (System.nanoTime() < watchUntil || quietNotReadyAt < 0) {
                for (Node n : secondClient.list().items()) {
                    if (n.state() == NodeState.NOT_READY) {
                        if (n.name().equals("quiet")) {
                            if (quietNotReadyAt < 0) {
                                quietNotReadyAt = System.nanoTime();
                            }
                        } else {
                            everNotReady.put(n.name(), true);
                        }
                    }
                }
                assertTrue(System.nanoTime() - restartedAt < WAIT.toNanos(), "the quiet node never turned NotReady");
                Thread.sleep(POLL.toMillis()); // a poll interval, not a wait for time to pass
            }
            assertEquals(Map.of(), everNotReady, "nodes that turned NotReady although they kept heartbeating");
            assertTrue(quietNotReadyAt - restartedAt >= TIMEOUT.toNanos(),
                    "the quiet node turned NotReady " + Duration.ofNanos(quietNotReadyAt - restartedAt)
                            + " after the restart, before a full timeout of grace");
            secondClient.close();
        } finally {
            beating.set(false);
            heartbeater.interrupt();
            heartbeater.join(10_000);
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    private static boolean hasProvider(String url) {
        try {
            StoreProvider.forUrl(url, RestartGraceIT.class.getClassLoader());
            return true;
        } catch (CaraException e) {
            return false;
        }
    }
}
