package dev.cara.agent;

import java.util.Objects;
import java.util.Optional;

/**
 * What the agent observed about its machine at one moment. Sizes are bytes; an unknown size is 0.
 *
 * @param logicalCpus          the logical processors the OS schedules on
 * @param memoryTotalBytes     physical memory
 * @param memoryAvailableBytes memory that can be handed out without swapping
 * @param diskTotalBytes       size of the file system that holds the node's ephemeral storage
 * @param diskAvailableBytes   space on it that an unprivileged process may still use
 * @param kernelVersion        for example {@code 6.8.0-49-generic}
 * @param osImage              for example {@code Ubuntu 24.04.1 LTS}
 * @param ip                   the address the control plane can reach this machine at, if known
 */
public record HostFacts(int logicalCpus, long memoryTotalBytes, long memoryAvailableBytes, long diskTotalBytes,
                        long diskAvailableBytes, String kernelVersion, String osImage, Optional<String> ip) {
    public HostFacts {
        if (logicalCpus < 0 || memoryTotalBytes < 0 || memoryAvailableBytes < 0 || diskTotalBytes < 0 || diskAvailableBytes < 0) {
            throw new IllegalArgumentException("negative host facts: " + logicalCpus + " cpus, " + memoryTotalBytes
                    + "/" + memoryAvailableBytes + " memory, " + diskTotalBytes + "/" + diskAvailableBytes + " disk");
        }
        Objects.requireNonNull(ip, "ip");
    }
}
