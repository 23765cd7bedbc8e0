package dev.cara.agent;

import oshi.SystemInfo;
import oshi.hardware.GlobalMemory;
import oshi.hardware.NetworkIF;
import oshi.software.os.OperatingSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Host facts through OSHI, which reads them the same way on Linux, macOS and Windows. Two facts come
 * from the JDK instead, for a reason each:
 * <ul>
 *   <li>the disk: {@link Files#getFileStore(Path)} resolves the configured path to the file system
 *       that holds it, where OSHI only lists mounts and we would have to match paths ourselves;</li>
 *   <li>the IP: the local address of the route to the control plane (a connected UDP socket sends
 *       nothing), so that a machine with several interfaces reports the one the server can reach.
 *       Without a route, the first up, non-loopback IPv4 address that OSHI lists.</li>
 * </ul>
 *
 * <p>Facts that do not change while the agent runs (CPU count, kernel, OS release) are read once.
 * Not thread-safe: the heartbeat loop calls it from its one thread.
 */
public final class OshiHostProbe implements HostProbe {
    /** One per process: OSHI's first use loads native code and reads the OS once, which takes a while. */
    private static final class Shared {
        static final SystemInfo SYSTEM = new SystemInfo();
    }

    private final SystemInfo system = Shared.SYSTEM;
    private final GlobalMemory memory;
    private final int logicalCpus;
    private final String kernelVersion;
    private final String osImage;
    private final Path diskPath;
    private final URI serverUrl;
    private final Optional<String> configuredIp;

    /**
     * @param diskPath     a path on the file system whose size is reported as ephemeral storage
     * @param serverUrl    the control plane, to find the interface that reaches it
     * @param configuredIp an IP to report as is, or empty to find it
     */
    public OshiHostProbe(Path diskPath, URI serverUrl, Optional<String> configuredIp) {
        this.diskPath = Objects.requireNonNull(diskPath, "diskPath");
        this.serverUrl = Objects.requireNonNull(serverUrl, "serverUrl");
        this.configuredIp = Objects.requireNonNull(configuredIp, "configuredIp");
        this.memory = system.getHardware().getMemory();
        this.logicalCpus = system.getHardware().getProcessor().getLogicalProcessorCount();
        OperatingSystem os = system.getOperatingSystem();
        OperatingSystem.OSVersionInfo version = os.getVersionInfo();
        this.kernelVersion = blankToNull(version.getBuildNumber());
        StringBuilder image = new StringBuilder(os.getFamily());
        if (!isBlank(version.getVersion())) {
            image.append(' ').append(version.getVersion());
        }
        if (!isBlank(version.getCodeName())) {
            image.append(" (").append(version.getCodeName()).append(')');
        }
        this.osImage = image.toString();
    }

    /** The host name the OS reports, or the JDK's idea of it when OSHI has none. */
    public static String osHostname() {
        String name = Shared.SYSTEM.getOperatingSystem().getNetworkParams().getHostName();
        if (!isBlank(name)) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public HostFacts probe() {
        long diskTotal;
        long diskAvailable;
        try {
            FileStore store = Files.getFileStore(diskPath);
            diskTotal = store.getTotalSpace();
            diskAvailable = store.getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of " + diskPath + " (DISK_PATH)", e);
        }
        return new HostFacts(logicalCpus, memory.getTotal(), memory.getAvailable(), diskTotal, diskAvailable,
                kernelVersion, osImage, configuredIp.isPresent() ? configuredIp : findIp());
    }

    private Optional<String> findIp() {
        Optional<String> routed = routeTo(serverUrl);
        return routed.isPresent() ? routed : firstInterfaceAddress();
    }

    /** The local address the OS would use to reach the server. A UDP connect only picks a route. */
    static Optional<String> routeTo(URI server) {
        int port = server.getPort() > 0 ? server.getPort() : "https".equals(server.getScheme()) ? 443 : 80;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(server.getHost(), port));
            InetAddress local = socket.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                return Optional.empty();
            }
            return Optional.of(local.getHostAddress());
        } catch (SocketException | IllegalArgumentException | SecurityException e) {
            return Optional.empty(); // unresolvable or unroutable: fall back to the interfaces
        }
    }

    private Optional<String> firstInterfaceAddress() {
        for (NetworkIF nif : system.getHardware().getNetworkIFs()) {
            if (nif.getIfOperStatus() != NetworkIF.IfOperStatus.UP) {
                continue;
            }
            for (String address : nif.getIPv4addr()) {
                try {
                    InetAddress a = InetAddress.getByName(address);
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return Optional.of(address);
                    }
                } catch (IOException e) {
                    // not a literal address: skip it
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank() || "unknown".equalsIgnoreCase(s);
    }

    private static String blankToNull(String s) {
        return isBlank(s) ? null : s;
    }
}
