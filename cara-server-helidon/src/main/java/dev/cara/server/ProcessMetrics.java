package dev.cara.server;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server process's CPU time and resident memory, as Prometheus's own client names them
 * ({@code process_cpu_seconds_total}, {@code process_resident_memory_bytes}), so that a load run from
 * another machine ({@code cara-agent simulate --server-metrics}) can say what a heartbeat costs the
 * server. Helidon's metrics give neither: its JVM meters are heap and threads. Stateless; each scrape
 * reads the JVM and {@code /proc/self/status} afresh.
 */
final class ProcessMetrics {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMetrics() {
    }

    static void register(MeterRegistry registry) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            registry.getOrCreate(Gauge.builder("process.cpu.seconds.total", hotspot, b -> b.getProcessCpuTime() / 1e9)
                    .description("CPU time (user and system) the server process has used, in seconds"));
        }
        if (Files.isReadable(STATUS)) {
            registry.getOrCreate(Gauge.builder("process.resident.memory.bytes", STATUS, ProcessMetrics::residentBytes)
                    .description("Resident memory of the server process (VmRSS), in bytes"));
        }
    }

    /** VmRSS of /proc/self/status ("VmRSS:   123456 kB"), NaN when it cannot be read. */
    static double residentBytes(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring("VmRSS:".length()).trim();
                    return Long.parseLong(kb.substring(0, kb.indexOf(' '))) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // a scrape must not fail for one gauge: NaN says "unknown" in Prometheus
        }
        return Double.NaN;
    }
}
