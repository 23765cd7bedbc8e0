package dev.cara.agent;

/** Reads the facts of the machine the agent runs on. Called once per heartbeat, on the loop's thread. */
@FunctionalInterface
public interface HostProbe {
    /**
     * @throws RuntimeException if the facts cannot be read; the agent then reports the last facts it had
     */
    HostFacts probe();
}
