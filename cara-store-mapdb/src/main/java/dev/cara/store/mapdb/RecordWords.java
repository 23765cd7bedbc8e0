package dev.cara.store.mapdb;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The words node records (from version 2, {@link NodeRecords}) store as a one-byte code instead of
 * their text: the strings every node's record repeats, such as its apiVersion and kind, state and
 * condition names, the control plane's reasons and messages, the agent's usual reasons, and resource
 * names. They were about 300 of the ~770 bytes of a heartbeating node's record, and every node's
 * record is rewritten at each status flush and is mapped into memory with the file, so at 100,000
 * nodes they cost ~30 MB of file, of resident memory and of each flush's writing.
 *
 * <p>Event records (from version 2, {@link EventRecords}) use the same words: their types, reasons
 * and the node events' usual messages.
 *
 * <p>A string is then written as a varint: 0 for null, {@code 1..}{@link #size()} for word
 * {@code n - 1}, and above that a literal of {@code n - size() - 1} UTF-8 bytes. A word reads back as
 * the one instance held here, so loaded nodes share it as well.
 *
 * <p><b>Append only.</b> A record's codes index this list as it was when the record was written, so
 * an entry is never removed, reordered or edited, only added at the end; a word the code no longer
 * uses stays. The words are literals, not the SDK's constants: a constant whose text changed would
 * otherwise silently change what old records read as.
 */
final class RecordWords {
    private static final List<String> WORDS = List.of(
            // apiVersion and kind
            "caravanserai/v1", "Node",
            // NodeState, ConditionStatus and NetworkMode names
            "READY", "NOT_READY", "DRAINING", "TRUE", "FALSE", "UNKNOWN", "DIRECT", "DERP",
            // condition types
            "Ready", "NoHeartbeat", "Unschedulable", "MemoryPressure", "DiskPressure", "PIDPressure",
            "NetworkUnavailable", "Flapping",
            // the control plane's reasons and messages (StateRule, FlapDamper)
            "AgentHeartbeating", "AwaitingFirstHeartbeat", "HeartbeatTimeout", "AgentNotReady", "SpecUnschedulable",
            "Schedulable", "TooManyReadyTransitions", "the agent is heartbeating", "no heartbeat received since registration",
            "no heartbeat for longer than 1m30s", "the agent reports itself NotReady",
            "spec.unschedulable is true: no new work is placed here",
            // the agent's reasons (cara-agent's HostReports) and claim reasons
            "SufficientMemory", "LowMemory", "SufficientDiskSpace", "LowDiskSpace", "AgentShutdown",
            // resource names
            "cpu", "memory", "ephemeral-storage", "pods", "nvidia.com/gpu",
            // events (EventRecords): EventType and InvolvedObject.Kind names, reasons, the node events' messages
            "NORMAL", "WARNING", "NODE", "PROJECT", "Registered", "Reregistered", "NotReady", "Draining", "Deleted",
            "FlappingEnded", "ProjectScheduled", "ProjectUnschedulable", "ProjectRescheduled", "ProjectExpired",
            "ProjectTerminated", "ProjectPhaseChanged", "node registered, Ready", "node registered, NotReady until its first heartbeat",
            "node registered, Draining: spec.unschedulable is true, so no work is placed here", "node is Ready",
            "node is NotReady: no heartbeat within the heartbeat timeout (HeartbeatTimeout)",
            "node is held NotReady: it is flapping", "node registered again; its earlier registration is replaced",
            "node is no longer held NotReady: it was stable for the flap damping hold-off",
            "node is Draining: no new work is placed here; work on it keeps running", "node is schedulable again, and Ready");

    private static final Map<String, Integer> CODES = new HashMap<>();

    static {
        for (int i = 0; i < WORDS.size(); i++) {
            if (CODES.put(WORDS.get(i), i) != null) {
                throw new ExceptionInInitializerError("the word \"" + WORDS.get(i) + "\" is listed twice");
            }
        }
    }

    private RecordWords() {
    }

    /** How many words there are: the codes are 1 to this. */
    static int size() {
        return WORDS.size();
    }

    /** The code of {@code s} (1 to {@link #size()}), or 0 when it is not a word. */
    static int code(String s) {
        Integer i = CODES.get(s);
        return i == null ? 0 : i + 1;
    }

    /** The word of {@code code} (1 to {@link #size()}). */
    static String word(int code) {
        return WORDS.get(code - 1);
    }
}
