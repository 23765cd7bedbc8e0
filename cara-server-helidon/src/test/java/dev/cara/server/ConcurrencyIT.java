package dev.cara.server;

import dev.cara.sdk.testkit.Eventually;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeSpec;
import dev.cara.sdk.NodeState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many clients at once against the real server: heartbeats from many threads, and racing compare-and-set PUTs. */
class ConcurrencyIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static CaraServer server;
    private static CaraClient client;

    @BeforeAll
    static void start() {
        server = CaraServer.start(new ServerSettings("127.0.0.1", 0, "memory:", Duration.ofSeconds(90), false));
        client = CaraClient.http(URI.create(server.url()));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void manyThreadsHeartbeatingManyNodes() throws Exception {
        int nodes = 64;
        int threads = 16;
        int rounds = 20;
        for (int i = 0; i < nodes; i++) {
            client.register(Node.builder("fleet-" + i).label("fleet", "yes").build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger sent = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        for (int i = first; i < nodes; i += threads) {
                            client.heartbeat("fleet-" + i, HeartbeatReport.claiming(NodeState.READY));
                            sent.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES); // rethrows any failed heartbeat
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(nodes * rounds, sent.get());
        Eventually.await(WAIT, "every fleet node Ready", () -> client.list(dev.cara.sdk.LabelSelector.parse("fleet=yes"))
                .items().stream().allMatch(n -> n.state() == NodeState.READY));
        assertEquals(nodes, client.list(dev.cara.sdk.LabelSelector.parse("fleet=yes")).items().size());
    }

    @Test
    void racingPutsWithTheSameResourceVersion_exactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = "race-" + round;
            Node read = client.register(Node.builder(name).hostname("start").build());
            int racers = 12;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            AtomicInteger wins = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            List<String> winners = new java.util.concurrent.CopyOnWriteArrayList<>();
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    String hostname = "racer-" + i;
                    done.add(pool.submit(() -> {
                        go.await();
                        try {
                            client.update(read.withSpec(new NodeSpec(hostname, false)));
                            wins.incrementAndGet();
                            winners.add(hostname);
                        } catch (ConflictException e) {
                            conflicts.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(1, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, wins.get(), "exactly one PUT wins; winners " + winners);
            assertEquals(racers - 1, conflicts.get());
            assertEquals(winners.get(0), client.get(name).spec().hostname());
            assertTrue(!read.metadata().resourceVersion().equals(client.get(name).metadata().resourceVersion()));
        }
    }
}
