package dev.cara.agent;

import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.NetworkStatus;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Believable machines for the simulator's hollow agents: a mix of common sizes and Linux releases,
 * each with its own address, so that the server parses, merges and stores what a real fleet sends.
 *
 * <p>Reports are built from a few shared templates (one per size and release) with only the network
 * part per node, so that 100,000 hollow agents cost the simulator little memory.
 */
final class SyntheticHosts {
    private record Shape(int cpus, long memoryGi, long diskGi) {
    }

    private record Release(String kernel, String osImage) {
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape(2, 4, 50), new Shape(4, 16, 100), new Shape(8, 32, 200),
            new Shape(16, 64, 500), new Shape(32, 128, 1000), new Shape(64, 256, 2000));
    private static final List<Release> RELEASES = List.of(
            new Release("6.8.0-49-generic", "Ubuntu 24.04.1 LTS (noble)"),
            new Release("5.15.0-126-generic", "Ubuntu 22.04.5 LTS (jammy)"),
            new Release("6.1.0-27-amd64", "Debian GNU/Linux 12 (bookworm)"));

    private final HeartbeatReport[] templates;
    private final int agentPort;

    SyntheticHosts(HostReports reports, long seed, int agentPort) {
        this.agentPort = agentPort;
        SplittableRandom random = new SplittableRandom(seed);
        templates = new HeartbeatReport[SHAPES.size() * RELEASES.size()];
        for (int s = 0; s < SHAPES.size(); s++) {
            for (int r = 0; r < RELEASES.size(); r++) {
                Shape shape = SHAPES.get(s);
                Release release = RELEASES.get(r);
                long memory = shape.memoryGi() << 30;
                long disk = shape.diskGi() << 30;
                // A working machine: 40-80% of memory and 30-90% of disk free, so no pressure.
                HostFacts facts = new HostFacts(shape.cpus(), memory, (long) (memory * (0.4 + 0.4 * random.nextDouble())),
                        disk, (long) (disk * (0.3 + 0.6 * random.nextDouble())), release.kernel(), release.osImage(),
                        Optional.empty());
                templates[s * RELEASES.size() + r] = reports.report(facts);
            }
        }
    }

    /** Node i's report: its template by a fixed hash of i, with its own address. */
    HeartbeatReport report(int i) {
        HeartbeatReport t = templates[Math.floorMod(i * 0x9E3779B1, templates.length)];
        return new HeartbeatReport(null, new NetworkStatus(ip(i), null, null, agentPort), t.capacity(), t.allocatable(),
                t.info(), t.conditions());
    }

    /** 10.0.0.1, 10.0.0.2, ...: distinct for up to 16 million nodes. */
    static String ip(int i) {
        int n = i + 1;
        return "10." + ((n >>> 16) & 0xff) + "." + ((n >>> 8) & 0xff) + "." + (n & 0xff);
    }
}
