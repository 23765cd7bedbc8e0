package dev.cara.agent;

import dev.cara.sdk.HeartbeatReport;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot of a heartbeat loop, for the health endpoint and tests. Immutable.
 *
 * @param nodeName          the node this agent speaks for
 * @param phase             where the loop is in its life
 * @param connection        whether the control plane answered the last call
 * @param lastHeartbeatTick when the last heartbeat was accepted, on the loop's ticker; empty before the first
 * @param heartbeats        heartbeats accepted since start
 * @param failuresInARow    calls that failed since the last success
 * @param lastProblem       the last error the loop logged, if it has not recovered since
 * @param lastReport        the last report the loop built, if any
 */
public record AgentStatus(String nodeName, Phase phase, Connection connection, OptionalLong lastHeartbeatTick,
                          long heartbeats, int failuresInARow, Optional<String> lastProblem,
                          Optional<HeartbeatReport> lastReport) {

    /** The life of a heartbeat loop. Moves only forward, except that nothing leaves STOPPED. */
    public enum Phase {
        /** Registering the node; retried until the control plane answers. */
        REGISTERING,
        /** Registered (or found already registered): heartbeating. */
        REGISTERED,
        /** The control plane deleted the node: idle until the agent is restarted. */
        DELETED,
        /** Stopped on purpose. */
        STOPPED;

        /** The constant's name in lower case, as the health endpoint shows it. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the loop knows of its link to the control plane. Changes are logged once each. */
    public enum Connection {
        /** Nothing sent yet. */
        UNKNOWN,
        /** The last call got an answer. */
        CONNECTED,
        /** The last call found the server unreachable or failing (5xx); retrying with backoff. */
        LOST;

        /** The constant's name in lower case, as the health endpoint shows it. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AgentStatus {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(lastHeartbeatTick, "lastHeartbeatTick");
        Objects.requireNonNull(lastProblem, "lastProblem");
        Objects.requireNonNull(lastReport, "lastReport");
    }

    /** True once the node exists on the control plane (registered now, or until it was deleted). */
    public boolean registered() {
        return phase == Phase.REGISTERED;
    }
}
