package dev.cara.agent;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.UnavailableException;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator's pieces; the whole simulator runs against a real server in SimulatorIT. */
class SimulatorPartsTest {
    private final ManualScheduler time = new ManualScheduler();

    @Test
    void hollowAgentsHaveDistinctNamesAndAddressesAndRealisticReports() {
        SyntheticHosts hosts = new SyntheticHosts(new HostReports(ResourceList.parse(Map.of("cpu", "100m")),
                PressureThreshold.percent(5), PressureThreshold.percent(10), "v-sim", null), 7, 9090);
        Set<String> ips = new HashSet<>();
        Set<String> names = new HashSet<>();
        Set<ResourceList> shapes = new HashSet<>();
        for (int i = 0; i < 70_000; i++) {
            HeartbeatReport r = hosts.report(i);
            ips.add(r.network().ip());
            names.add(FleetSimulator.nodeName("sim", i, 70_000));
            shapes.add(r.capacity());
            if (i < 100) {
                assertEquals(3, r.capacity().amounts().size());
                assertTrue(r.allocatable().fits(ResourceList.parse(Map.of("cpu", "1"))));
                assertEquals(2, r.conditions().size());
                assertEquals(9090, r.network().agentPort());
                assertEquals("v-sim", r.info().agentVersion());
            }
        }
        assertEquals(70_000, ips.size());
        assertEquals(70_000, names.size());
        assertTrue(shapes.size() >= 5, "a mix of machine sizes: " + shapes.size());
        assertEquals("sim-00042", FleetSimulator.nodeName("sim", 42, 100));
        assertEquals("sim-000042", FleetSimulator.nodeName("sim", 42, 100_000));
        assertEquals("10.0.1.0", SyntheticHosts.ip(255));
    }

    @Test
    void theMeasuringClientCountsTimesAndSortsErrorsByKind() {
        FakeClient fake = new FakeClient(time);
        MeasuringClient m = new MeasuringClient(fake, time, 4);
        Node n = Node.builder("a").build();
        m.register(n);
        fake.registerFailure = () -> new AlreadyExistsException("exists");
        assertThrows(AlreadyExistsException.class, () -> m.register(n));
        m.heartbeat("a", HeartbeatReport.EMPTY);
        fake.heartbeatFailure = () -> new UnavailableException("down", new ConnectException("refused"));
        assertThrows(UnavailableException.class, () -> m.heartbeat("a", HeartbeatReport.EMPTY));
        fake.heartbeatFailure = () -> new UnavailableException("slow", new HttpTimeoutException("timed out"));
        assertThrows(UnavailableException.class, () -> m.heartbeat("a", HeartbeatReport.EMPTY));
        fake.heartbeatFailure = () -> new NotFoundException("gone");
        assertThrows(NotFoundException.class, () -> m.heartbeat("a", HeartbeatReport.EMPTY));
        fake.heartbeatFailure = () -> new CaraException("500");
        assertThrows(CaraException.class, () -> m.heartbeat("a", HeartbeatReport.EMPTY));

        assertEquals(1, m.registered.sum());
        assertEquals(1, m.alreadyRegistered.sum());
        assertEquals(1, m.heartbeats.sum());
        assertEquals(Map.of(
                "heartbeat: unavailable (ConnectException)", 1L,
                "heartbeat: unavailable (HttpTimeoutException)", 1L,
                "heartbeat: not found (404)", 1L,
                "heartbeat: server error", 1L), m.errors());
        assertEquals(4, m.errorCount());
        assertEquals(0, m.inFlight());
        assertEquals(1, m.heartbeatLatency().getTotalCount(), "only accepted heartbeats are timed");
        assertEquals(1, m.heartbeatLatency().getTotalCount(), "the totals keep what they took");
        assertEquals(2, m.registerLatency().getTotalCount());
        assertEquals(1, m.takeWindow().getTotalCount());
        assertEquals(0, m.takeWindow().getTotalCount(), "a fresh window after each take");
    }

    /** The defect: stopping 100,000 loops one by one waited for each queued call, so a run overran its --duration. */
    @Test
    void callsQueuedWhenTheRunEndsGiveUpAtOnceSoTheRunEndsOnTime() throws Exception {
        FakeClient fake = new FakeClient(time);
        MeasuringClient m = new MeasuringClient(fake, time, 1);
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fake.heartbeatFailure = () -> {
            inCall.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new UnavailableException("slow server");
        };
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> holder = threads.submit(() -> assertThrows(UnavailableException.class, () -> m.heartbeat("a", HeartbeatReport.EMPTY)));
            assertTrue(inCall.await(30, TimeUnit.SECONDS), "the first call holds the only permit");
            Future<RuntimeException> queued = threads.submit(() -> {
                try {
                    m.heartbeat("b", HeartbeatReport.EMPTY);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            m.end();
            RuntimeException gaveUp = queued.get(30, TimeUnit.SECONDS);
            assertTrue(gaveUp instanceof UnavailableException && gaveUp.getMessage().contains("ended"), String.valueOf(gaveUp));
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
        }
        assertEquals(Map.of("heartbeat: unavailable", 1L), m.errors(), "only the call that reached the server counts");
        assertThrows(UnavailableException.class, () -> m.register(Node.builder("late").build()));
        assertEquals(0, m.inFlight());
    }

    @Test
    void theSummaryPrintsTheFiguresAndWritesThemAsJson() {
        SimulationSummary s = new SimulationSummary(1000, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofSeconds(60),
                990, 10, 12.5, 1000, 5800, 100.5, 800_000, 4_200_000, 25_000_000, 9_000_000,
                new SimulationSummary.ServerCost("/proc/42", 0.116, 5800, 300 * 1048576L),
                Map.of("heartbeat: unavailable (ConnectException)", 3L), Map.of("Running", 4L, "Terminated", 3L));
        assertEquals(100.0, s.expectedHeartbeatsPerSecond(), 1e-9);
        assertEquals(5800 / 60.0, s.heartbeatsPerSecond(), 1e-9);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("p50 0.80 ms, p99 4.20 ms, max 25.00 ms"), text);
        assertTrue(text.contains("100.5 in steady state (expected 100.0)"), text);
        assertTrue(text.contains("heartbeat: unavailable (ConnectException)"), text);
        assertTrue(text.contains("all 1,000 nodes in 12.5 s"), text);
        assertTrue(text.contains("20.0 us per heartbeat"), text);
        assertTrue(text.contains("server RSS:          300 MiB"), text);
        assertTrue(text.contains("project reports:     Running 4, Terminated 3"), text);

        JsonObject json = s.toJson();
        assertEquals(5800, json.getInt("heartbeats"));
        assertEquals(4.2, json.getJsonObject("heartbeatLatencyMs").getJsonNumber("p99").doubleValue(), 1e-9);
        assertEquals(3, json.getInt("errorCount"));
        assertEquals(1000, json.getInt("nodesReporting"));
        assertEquals(20.0, json.getJsonObject("server").getJsonNumber("cpuMicrosPerHeartbeat").doubleValue(), 1e-9);
        assertEquals(12.5, json.getJsonNumber("registrationSeconds").doubleValue(), 1e-9);
        assertEquals(3, json.getJsonObject("projectReports").getInt("Terminated"));
    }

    @Test
    void serverUsageIsReadFromProcAndFromPrometheusText() {
        // A command name with spaces and parentheses, as /proc prints it; utime 1234 and stime 766 ticks.
        String stat = "4242 (java (cara) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 766 0 0 20 0 40 0 100 0 0";
        assertEquals(20.0, ServerUsage.cpuSeconds(stat), 1e-9);
        assertEquals(512_000L * 1024, ServerUsage.rssBytes("Name:\tjava\nVmHWM:\t  600000 kB\nVmRSS:\t  512000 kB\n"));
        ServerUsage.Sample s = ServerUsage.fromPrometheus("""
                # TYPE process_cpu_seconds_total counter
                process_cpu_seconds_total{scope="application",} 12.5
                process_resident_memory_bytes{scope="application",} 3.145728E8
                """, "test");
        assertEquals(new ServerUsage.Sample(12.5, 314_572_800L), s);
        AgentException missing = assertThrows(AgentException.class, () -> ServerUsage.fromPrometheus("up 1\n", "http://x/observe/metrics"));
        assertTrue(missing.getMessage().contains("process_cpu_seconds_total"), missing.getMessage());
        AgentException noProcess = assertThrows(AgentException.class, () -> ServerUsage.ofPid(Long.MAX_VALUE));
        assertTrue(noProcess.getMessage().contains("--server-pid"), noProcess.getMessage());
    }

    @Test
    void theServerCostIsCpuPerHeartbeat() {
        assertEquals(25.0, new SimulationSummary.ServerCost("/proc/1", 2.5, 100_000, 0).cpuMicrosPerHeartbeat(), 1e-9);
        assertTrue(Double.isNaN(SimulationSummary.ServerCost.UNMEASURED.cpuMicrosPerHeartbeat()));
    }

    @Test
    void theSimulatorRejectsNonsense() {
        assertThrows(RuntimeException.class, () -> FleetSimulator.builder().nodes(0));
        assertThrows(RuntimeException.class, () -> FleetSimulator.builder().interval(Duration.ZERO));
        assertThrows(RuntimeException.class, () -> FleetSimulator.builder().prefix("Bad_Prefix"));
        assertThrows(RuntimeException.class, () -> FleetSimulator.builder().ramp(Duration.ofSeconds(-1)));
    }
}
