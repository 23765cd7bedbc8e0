package dev.cara.sdk;

import java.util.regex.Pattern;

/**
 * The catalogue of {@link Event#reason()}s the control plane records. A reason is a validated string,
 * not an enum, so that a new controller (or a newer server) can add one without breaking older
 * clients that read the events; it is one CamelCase word, as a condition's reason is.
 *
 * <table>
 *   <caption>Reasons, their type and the object they are about</caption>
 *   <tr><th>reason</th><th>type</th><th>object</th><th>when</th></tr>
 *   <tr><td>{@value #REGISTERED}</td><td>Normal</td><td>Node</td><td>a node was registered</td></tr>
 *   <tr><td>{@value #REREGISTERED}</td><td>Normal</td><td>Node</td><td>an agent registered a name that it had registered before</td></tr>
 *   <tr><td>{@value #READY}</td><td>Normal</td><td>Node</td><td>a node became Ready</td></tr>
 *   <tr><td>{@value #NOT_READY}</td><td>Warning</td><td>Node</td><td>a node became NotReady; the message names why
 *       (no heartbeat, the agent shut down, a critical condition)</td></tr>
 *   <tr><td>{@value #DRAINING}</td><td>Normal</td><td>Node</td><td>a node began draining</td></tr>
 *   <tr><td>{@value #SCHEDULABLE}</td><td>Normal</td><td>Node</td><td>a node stopped draining</td></tr>
 *   <tr><td>{@value #DELETED}</td><td>Normal</td><td>Node</td><td>a node was deleted</td></tr>
 *   <tr><td>{@value #FLAPPING}</td><td>Warning</td><td>Node</td><td>flap damping holds a node NotReady</td></tr>
 *   <tr><td>{@value #FLAPPING_ENDED}</td><td>Normal</td><td>Node</td><td>flap damping let a node go after its hold-off</td></tr>
 *   <tr><td>{@value #PROJECT_SCHEDULED}</td><td>Normal</td><td>Project</td><td>a project was bound to a node</td></tr>
 *   <tr><td>{@value #PROJECT_UNSCHEDULABLE}</td><td>Warning</td><td>Project</td><td>no node can take a project; the
 *       message says why, node by node</td></tr>
 *   <tr><td>{@value #PROJECT_RESCHEDULED}</td><td>Warning</td><td>Project</td><td>a project left a node that stayed
 *       NotReady past the grace period and is Pending again</td></tr>
 *   <tr><td>{@value #PROJECT_EXPIRED}</td><td>Normal</td><td>Project</td><td>a project reached its expiry</td></tr>
 *   <tr><td>{@value #PROJECT_TERMINATED}</td><td>Normal</td><td>Project</td><td>a project was torn down (or given up on)</td></tr>
 *   <tr><td>{@value #PROJECT_PHASE_CHANGED}</td><td>Normal</td><td>Project</td><td>any other phase change the lifecycle makes</td></tr>
 * </table>
 */
public final class EventReason {
    public static final String REGISTERED = "Registered";
    public static final String REREGISTERED = "Reregistered";
    public static final String READY = "Ready";
    public static final String NOT_READY = "NotReady";
    public static final String DRAINING = "Draining";
    public static final String SCHEDULABLE = "Schedulable";
    public static final String DELETED = "Deleted";
    public static final String FLAPPING = "Flapping";
    public static final String FLAPPING_ENDED = "FlappingEnded";
    public static final String PROJECT_SCHEDULED = "ProjectScheduled";
    public static final String PROJECT_UNSCHEDULABLE = "ProjectUnschedulable";
    public static final String PROJECT_RESCHEDULED = "ProjectRescheduled";
    public static final String PROJECT_EXPIRED = "ProjectExpired";
    public static final String PROJECT_TERMINATED = "ProjectTerminated";
    public static final String PROJECT_PHASE_CHANGED = "ProjectPhaseChanged";

    /** The longest reason accepted, as Kubernetes bounds its reasons. */
    public static final int MAX_LENGTH = 128;
    static final String RULE = "one CamelCase word of at most " + MAX_LENGTH
            + " letters and digits starting with an upper-case letter, for example NotReady";
    private static final Pattern FORM = Pattern.compile("[A-Z][A-Za-z0-9]*");

    private EventReason() {
    }

    /**
     * @throws InvalidException when {@code reason} is missing or not one CamelCase word
     */
    public static String require(String field, String reason) {
        if (reason == null || reason.length() > MAX_LENGTH || !FORM.matcher(reason).matches()) {
            throw new InvalidException(field, reason, RULE);
        }
        return reason;
    }
}
