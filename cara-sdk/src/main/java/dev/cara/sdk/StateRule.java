package dev.cara.sdk;

import dev.cara.sdk.spi.Canonical;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one rule that decides a node's state and the control plane's conditions. It is a pure
 * function: the same {@link Input} always gives the same {@link Outcome}, and nothing else is read.
 *
 * <ol>
 *   <li>{@link NodeState#DRAINING} when {@code spec.unschedulable}, or when the agent claims to be
 *       draining. Nothing else moves a node out of Draining.</li>
 *   <li>otherwise {@link NodeState#NOT_READY} when no heartbeat has been observed, or the silence
 *       since the last one is longer than the timeout, or the agent claims NotReady, or a critical
 *       condition ({@link Condition#CRITICAL_TYPES}) is True;</li>
 *   <li>otherwise {@link NodeState#READY}.</li>
 * </ol>
 *
 * The control plane's conditions come out with it: {@code Ready} (True when healthy, False when the
 * agent or a critical condition says otherwise, Unknown when no fresh heartbeat is known),
 * {@code NoHeartbeat} (True once the timeout passes in silence), and {@code Unschedulable}. Then the
 * agent's own conditions, as reported. A condition's {@code lastTransitionTime} is carried over from
 * the previous conditions unless its status changed, in which case it is {@code now}.
 */
final class StateRule {
    public static final String REASON_HEARTBEATING = "AgentHeartbeating";
    public static final String REASON_AWAITING_HEARTBEAT = "AwaitingFirstHeartbeat";
    public static final String REASON_HEARTBEAT_TIMEOUT = "HeartbeatTimeout";
    public static final String REASON_AGENT_NOT_READY = "AgentNotReady";
    public static final String REASON_SPEC_UNSCHEDULABLE = "SpecUnschedulable";
    public static final String REASON_SCHEDULABLE = "Schedulable";

    // The conditions the rule states in words that never vary, before stamp() gives them their times:
    // built once rather than three times in every heartbeat's evaluation (conditions are immutable).
    private static final Condition READY_HEARTBEATING = Condition.of(Condition.READY, ConditionStatus.TRUE,
            REASON_HEARTBEATING, "the agent is heartbeating");
    private static final Condition READY_AWAITING = Condition.of(Condition.READY, ConditionStatus.UNKNOWN,
            REASON_AWAITING_HEARTBEAT, "no heartbeat received since registration");
    private static final Condition NO_HEARTBEAT_FALSE = Condition.of(Condition.NO_HEARTBEAT, ConditionStatus.FALSE,
            REASON_HEARTBEATING, null);
    private static final Condition NO_HEARTBEAT_AWAITING = Condition.of(Condition.NO_HEARTBEAT, ConditionStatus.FALSE,
            REASON_AWAITING_HEARTBEAT, null);
    private static final Condition UNSCHEDULABLE_TRUE = Condition.of(Condition.UNSCHEDULABLE, ConditionStatus.TRUE,
            REASON_SPEC_UNSCHEDULABLE, "spec.unschedulable is true: no new work is placed here");
    private static final Condition UNSCHEDULABLE_FALSE = Condition.of(Condition.UNSCHEDULABLE, ConditionStatus.FALSE,
            REASON_SCHEDULABLE, null);

    private StateRule() {
    }

    /**
     * Everything the rule looks at.
     *
     * @param spec            the node's spec
     * @param claim           what the agent last claimed about itself, or null
     * @param agentConditions the agent's own conditions (control-plane types are ignored)
     * @param previous        the conditions as they were, to carry transition times over
     * @param heartbeatSeen   whether any heartbeat has ever been received for this node
     * @param silence         how long since the last heartbeat (or since registration, before the
     *                        first one), on the observer's monotonic clock; {@code null} when the
     *                        observer knows the node is already past its timeout
     * @param timeout         how much silence makes a node NotReady
     * @param lastHeartbeat   when the last heartbeat arrived (wall clock), or null; only copied into
     *                        the conditions' {@code lastHeartbeatTime}
     * @param now             the wall-clock time to stamp on conditions that change
     */
    public record Input(NodeSpec spec, AgentClaim claim, List<Condition> agentConditions, List<Condition> previous,
                        boolean heartbeatSeen, Duration silence, Duration timeout, Instant lastHeartbeat, Instant now) {
        public Input {
            Objects.requireNonNull(spec, "spec");
            agentConditions = agentConditions == null ? List.of() : agentConditions;
            previous = previous == null ? List.of() : previous;
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(now, "now");
        }
    }

    /** The state and the node's full condition list: control-plane conditions first, then the agent's. */
    public record Outcome(NodeState state, List<Condition> conditions) {
        public Outcome {
            conditions = List.copyOf(conditions);
        }
    }

    /** Evaluates the rule. */
    public static Outcome evaluate(Input in) {
        boolean stale = in.silence() == null || in.silence().compareTo(in.timeout()) > 0;
        boolean heartbeatFresh = in.heartbeatSeen() && !stale;
        Condition critical = null;
        for (Condition c : in.agentConditions()) {
            if (!c.ownedByControlPlane() && c.critical()) {
                critical = c;
                break;
            }
        }
        boolean claimsNotReady = in.claim() != null && in.claim().state() == NodeState.NOT_READY;
        boolean claimsDraining = in.claim() != null && in.claim().state() == NodeState.DRAINING;
        boolean healthy = heartbeatFresh && !claimsNotReady && critical == null;

        NodeState state;
        if (in.spec().unschedulable() || claimsDraining) {
            state = NodeState.DRAINING;
        } else if (healthy) {
            state = NodeState.READY;
        } else {
            state = NodeState.NOT_READY;
        }

        Condition ready;
        if (healthy) {
            ready = READY_HEARTBEATING;
        } else if (stale && in.heartbeatSeen()) {
            ready = Condition.of(Condition.READY, ConditionStatus.UNKNOWN, REASON_HEARTBEAT_TIMEOUT,
                    "no heartbeat for longer than " + format(in.timeout()));
        } else if (!in.heartbeatSeen()) {
            ready = READY_AWAITING;
        } else if (claimsNotReady) {
            ready = Condition.of(Condition.READY, ConditionStatus.FALSE,
                    in.claim().reason() != null ? in.claim().reason() : REASON_AGENT_NOT_READY,
                    in.claim().message() != null ? in.claim().message() : "the agent reports itself NotReady");
        } else {
            ready = Condition.of(Condition.READY, ConditionStatus.FALSE, critical.type(),
                    critical.message() != null ? critical.message() : critical.type() + " is True");
        }
        Condition noHeartbeat = stale
                ? Condition.of(Condition.NO_HEARTBEAT, ConditionStatus.TRUE, REASON_HEARTBEAT_TIMEOUT,
                        "no heartbeat for longer than " + format(in.timeout()))
                : in.heartbeatSeen() ? NO_HEARTBEAT_FALSE : NO_HEARTBEAT_AWAITING;
        Condition unschedulable = in.spec().unschedulable() ? UNSCHEDULABLE_TRUE : UNSCHEDULABLE_FALSE;

        // A node has a handful of conditions: a scan finds the previous one of a type without the
        // HashMap every heartbeat's evaluation used to build.
        List<Condition> previous = in.previous();
        List<Condition> out = new ArrayList<>(3 + in.agentConditions().size());
        out.add(stamp(ready, previousOf(previous, ready.type()), in.lastHeartbeat(), in.now()));
        out.add(stamp(noHeartbeat, previousOf(previous, noHeartbeat.type()), in.lastHeartbeat(), in.now()));
        out.add(stamp(unschedulable, previousOf(previous, unschedulable.type()), in.lastHeartbeat(), in.now()));
        for (Condition c : in.agentConditions()) {
            if (!c.ownedByControlPlane()) {
                out.add(stamp(c, previousOf(previous, c.type()), c.lastHeartbeatTime(), in.now()));
            }
        }
        return new Outcome(state, out);
    }

    /**
     * The outcome as flap damping publishes it ({@link FlapDamper#observe} was given
     * {@code outcome.state()}): unchanged unless the node is held; while held, the {@code Flapping}
     * condition (True) after the control plane's other conditions and, when the rule said Ready,
     * state NotReady with {@code Ready=False} reason {@code Flapping} and the damper's message.
     * A node no longer held simply loses the condition, as {@link #evaluate} never carries a
     * control-plane condition over.
     */
    static Outcome damped(Outcome outcome, FlapDamper.Verdict verdict, List<Condition> previous, Instant lastHeartbeat,
                          Instant now) {
        if (verdict.flapping().isEmpty()) {
            return outcome;
        }
        Condition flapping = verdict.flapping().get();
        List<Condition> out = new ArrayList<>(outcome.conditions().size() + 1);
        for (Condition c : outcome.conditions()) {
            if (Condition.READY.equals(c.type()) && verdict.state() != outcome.state()) {
                out.add(stamp(Condition.of(Condition.READY, ConditionStatus.FALSE, FlapDamper.FLAPPING, flapping.message()),
                        previousOf(previous, Condition.READY), lastHeartbeat, now));
            } else {
                out.add(c);
            }
            if (Condition.UNSCHEDULABLE.equals(c.type())) {
                out.add(stamp(flapping, previousOf(previous, FlapDamper.FLAPPING), lastHeartbeat, now));
            }
        }
        return new Outcome(verdict.state(), out);
    }

    /** The last condition of {@code type} in {@code previous} (as a map keyed by type would keep it), or null. */
    private static Condition previousOf(List<Condition> previous, String type) {
        for (int i = previous.size() - 1; i >= 0; i--) {
            Condition c = previous.get(i);
            if (c.type().equals(type)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Keeps the previous transition time when the status did not change. When the status is the same
     * and so are the reason and message, the previous condition is returned as it was, so that an
     * unchanged evaluation produces an equal status (and no write is needed).
     */
    private static Condition stamp(Condition c, Condition previous, Instant heartbeat, Instant now) {
        if (previous != null && previous.status() == c.status()) {
            Instant transition = previous.lastTransitionTime() != null ? previous.lastTransitionTime() : now;
            Instant beat = heartbeat != null ? heartbeat : previous.lastHeartbeatTime();
            // The previous condition's strings when they are equal: an agent repeats its reason and
            // message beat after beat, each parsed afresh, and every status version lives on in the
            // store's change history, so at fleet scale the copies were a large part of the heap.
            return new Condition(previous.type(), c.status(), same(previous.reason(), c.reason()),
                    same(previous.message(), c.message()), beat, transition);
        }
        // A condition new to the node: its type and reason are a few words the whole fleet shares, and
        // so, mostly, is its message (an agent's is a formula: "7.5Gi of 16Gi memory available", the
        // same on every machine of one shape and load).
        return new Condition(Canonical.of(c.type()), c.status(), Canonical.of(c.reason()), Canonical.of(c.message()),
                heartbeat, now);
    }

    /**
     * The held string when the given one equals it, else the {@link Canonical} one: a reason or
     * message that changed (an agent's free memory moved) is usually one that other nodes hold
     * already. Once per change, not per heartbeat: an unchanged one costs an equals.
     */
    private static String same(String held, String given) {
        return Objects.equals(held, given) ? held : Canonical.of(given);
    }

    /** Formats a duration the way the configuration accepts it: {@code 90s}, {@code 2m30s}. */
    static String format(Duration d) {
        return Durations.format(d);
    }
}
