package dev.cara.sdk;

import dev.cara.bench.StandardRun;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Reading one heartbeat body, as the server does for every heartbeat: {@code streaming} is
 * {@link CaraJson#parseHeartbeat(byte[])} (HeartbeatStream, parser events straight into the report),
 * {@code tree} the JSON-P object tree and the tree reader that it replaced (which JSON-B still uses),
 * in the same run. Divide tree by streaming for the speed-up.
 *
 * <p>This class sits in the SDK's package, which the benchmarks jar shares on its class path, because
 * the tree reader is package-private: the comparison should not need it to be API.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeartbeatReadBenchmark extends StandardRun {
    /** What benchmarks/http/heartbeat.lua posts: state, network, capacity and allocatable. */
    static final String AGENT = """
            {"state":"Ready","network":{"ip":"10.0.0.1","agentPort":9090},\
            "capacity":{"cpu":"4","memory":"8Gi"},"allocatable":{"cpu":"3800m","memory":"7Gi"}}""";
    /** A steady-state beat that reports neither resources nor conditions. */
    static final String MINIMAL = """
            {"state":"Ready","network":{"ip":"10.0.0.1","mode":"Direct","agentPort":9090},\
            "info":{"kernelVersion":"6.1.0-18-amd64","osImage":"Debian GNU/Linux 12","agentVersion":"0.1.0"}}""";
    /** Everything an agent may send, two conditions included. */
    static final String FULL = """
            {"state":"Ready","network":{"ip":"10.0.0.1","dnsName":"worker-01.cara.internal","mode":"Direct","agentPort":9090},\
            "capacity":{"cpu":"8","memory":"32Gi","ephemeral-storage":"200Gi"},\
            "allocatable":{"cpu":"7500m","memory":"31Gi","ephemeral-storage":"190Gi"},\
            "info":{"kernelVersion":"6.1.0-18-amd64","osImage":"Debian GNU/Linux 12","agentVersion":"0.1.0"},\
            "conditions":[{"type":"MemoryPressure","status":"False","reason":"KubeletHasSufficientMemory","message":"enough"},\
            {"type":"DiskPressure","status":"False","reason":"KubeletHasNoDiskPressure","message":"12% used"}]}""";

    @Param({"minimal", "agent", "full"})
    public String body;

    byte[] bytes;

    @Setup
    public void setUp() {
        String text = switch (body) {
            case "minimal" -> MINIMAL;
            case "agent" -> AGENT;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException(body);
        };
        bytes = text.getBytes(StandardCharsets.UTF_8);
        if (!CaraJson.parseHeartbeat(bytes).equals(tree())) {
            throw new IllegalStateException("the two readers disagree on " + body);
        }
    }

    @Benchmark
    public HeartbeatReport streaming() {
        return CaraJson.parseHeartbeat(bytes);
    }

    @Benchmark
    public HeartbeatReport tree() {
        return WireReader.heartbeat(JsonText.STANDARD.object(bytes));
    }
}
