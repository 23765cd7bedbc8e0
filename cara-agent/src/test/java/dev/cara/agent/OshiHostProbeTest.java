package dev.cara.agent;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads this machine, so it checks what must hold on any machine rather than exact figures. */
class OshiHostProbeTest {

    @Test
    void readsRealFactsOfThisMachine() {
        HostFacts f = new OshiHostProbe(Path.of("/"), URI.create("http://127.0.0.1:8080"), Optional.empty()).probe();
        assertTrue(f.logicalCpus() > 0);
        assertTrue(f.logicalCpus() >= Runtime.getRuntime().availableProcessors(), "the host, not the JVM's share");
        assertTrue(f.memoryTotalBytes() > 64L << 20, "some real memory: " + f.memoryTotalBytes());
        assertTrue(f.memoryAvailableBytes() <= f.memoryTotalBytes());
        assertTrue(f.diskTotalBytes() > 0 && f.diskAvailableBytes() <= f.diskTotalBytes());
        assertNotNull(f.osImage());
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertNotNull(f.kernelVersion(), "uname -r on Linux");
            assertTrue(f.kernelVersion().matches("\\d+\\.\\d+.*"), f.kernelVersion());
        }
        assertEquals(Optional.of("127.0.0.1"), f.ip(), "the address of the route to a local server is loopback");
    }

    @Test
    void aConfiguredIpIsReportedAsIs() {
        HostFacts f = new OshiHostProbe(Path.of("/"), URI.create("http://127.0.0.1:8080"), Optional.of("203.0.113.9")).probe();
        assertEquals(Optional.of("203.0.113.9"), f.ip());
    }

    @Test
    void anUnresolvableServerFallsBackToAnInterfaceAddress() {
        Optional<String> routed = OshiHostProbe.routeTo(URI.create("http://no-such-host.invalid:8080"));
        assertFalse(routed.isPresent());
    }

    @Test
    void aMissingDiskPathNamesTheSetting() {
        OshiHostProbe probe = new OshiHostProbe(Path.of("/no/such/dir/for/cara"), URI.create("http://127.0.0.1:8080"), Optional.empty());
        RuntimeException e = assertThrows(RuntimeException.class, probe::probe);
        assertTrue(e.getMessage().contains("DISK_PATH"), e.getMessage());
    }

    @Test
    void theHostNameIsKnown() {
        String name = OshiHostProbe.osHostname();
        assertNotNull(name);
        assertFalse(name.isBlank());
    }
}
