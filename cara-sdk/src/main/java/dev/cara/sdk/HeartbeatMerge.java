package dev.cara.sdk;

import dev.cara.sdk.spi.Canonical;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a heartbeat report lands in a node's status, as DESIGN.md's heartbeat rules say: {@code network}
 * merges field by field; {@code capacity}, {@code allocatable}, {@code info} and the agent's own
 * conditions each replace what was there; a reported {@code state} (or a Ready condition standing in
 * for one) becomes the agent's claim; the control plane's own conditions are never taken from a
 * report. The state itself is left as it was: deciding it is the {@link StateRule}'s job.
 *
 * <p>A pure function, like the state rule beside it: the result depends only on the arguments.
 */
final class HeartbeatMerge {
    private HeartbeatMerge() {
    }

    /** {@code current} with {@code report} merged in, stamped as received at {@code now}. */
    static NodeStatus merge(NodeStatus current, HeartbeatReport report, Instant now) {
        List<Condition> conditions = current.conditions();
        AgentClaim claim = current.claim();
        if (report.conditions() != null) {
            List<Condition> agent = new ArrayList<>();
            Condition readyClaim = null;
            for (Condition c : report.conditions()) {
                if (Condition.READY.equals(c.type())) {
                    readyClaim = c;
                } else if (!c.ownedByControlPlane()) {
                    agent.add(new Condition(c.type(), c.status(), c.reason(), c.message(), now, c.lastTransitionTime()));
                }
            }
            List<Condition> kept = new ArrayList<>();
            for (Condition c : current.conditions()) {
                if (c.ownedByControlPlane()) {
                    kept.add(c);
                }
            }
            kept.addAll(agent);
            conditions = kept;
            if (report.state() == null && readyClaim != null) {
                // Some agents say "I am not ready" with a Ready condition instead of a state.
                NodeState claimed = readyClaim.status() == ConditionStatus.TRUE ? NodeState.READY
                        : readyClaim.status() == ConditionStatus.FALSE ? NodeState.NOT_READY : null;
                if (claimed != null) {
                    claim = new AgentClaim(claimed, readyClaim.reason(), readyClaim.message());
                }
            } else if (report.state() != null) {
                claim = new AgentClaim(report.state(), readyClaim == null ? null : readyClaim.reason(),
                        readyClaim == null ? null : readyClaim.message());
            }
        } else if (report.state() != null) {
            claim = new AgentClaim(report.state(), null, null);
        }
        return new NodeStatus(current.state(),
                report.network() == null ? current.network() : unlessEqual(current.network(), current.network().merge(report.network())),
                report.capacity() == null ? current.capacity() : adopt(current.capacity(), report.capacity()),
                report.allocatable() == null ? current.allocatable() : adopt(current.allocatable(), report.allocatable()),
                report.info() == null ? current.info() : adopt(current.info(), report.info()),
                now, conditions, unlessEqual(current.claim(), claim));
    }

    /**
     * The value the node already holds when the report repeats it. Agents report the same facts beat
     * after beat; keeping the stored instance lets the fresh copy die young instead of living on in the
     * store's change history, which under load is most of the garbage collector's copying work.
     */
    private static <T> T unlessEqual(T held, T reported) {
        return Objects.equals(held, reported) ? held : reported;
    }

    /**
     * {@link #unlessEqual}, and a new value is the {@link Canonical} one: machines of one shape and
     * release report equal capacities and infos, which the whole fleet then shares.
     */
    private static <T> T adopt(T held, T reported) {
        return Objects.equals(held, reported) ? held : Canonical.of(reported);
    }
}
