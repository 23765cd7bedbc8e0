package dev.cara.server;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Condition;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Heartbeat bodies read once per node and content: an agent sends the same body beat after beat (its
 * facts rarely change), so a body equal to the one its node sent last gives the report read then,
 * without parsing it again. The parse is a pure function of the bytes, so a remembered report is
 * the report a fresh read would give; what this keeps only saves work.
 *
 * <p>Bodies are compared by their SHA-256 digest (a fraction of a microsecond for a heartbeat's few
 * hundred bytes, with the CPU's SHA instructions): keeping each node's body itself would cost a
 * fleet of 100,000 realistic agents about 100 MB of heap. Two different bodies with one digest are
 * not to be found, by chance or on purpose. A remembered report holds the node's own stored
 * instances where they are equal (its capacity, allocatable, info, network and its conditions'
 * texts), so an entry costs about 250 bytes, and the heartbeat merge finds them identical to what the
 * node holds instead of comparing them field by field.
 *
 * <p>Only a body that was applied is remembered (so unknown node names never get an entry), one per
 * node, dropped when the node is deleted or unknown; past {@link #MAX_NODES} entries the memo starts
 * over, so that nodes deleted elsewhere (another replica) cannot grow it without bound. Thread-safe.
 */
final class HeartbeatBodies {
    /** Entries kept at most; well above the fleets one server holds (100,000 nodes). */
    static final int MAX_NODES = 262_144;

    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256"); // every JDK has it; each read uses a clone
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    private final ConcurrentHashMap<String, Read> last = new ConcurrentHashMap<>();

    /** One node's last applied body, by its digest, and its report. */
    record Read(byte[] digest, HeartbeatReport report) {
    }

    /**
     * The report of {@code utf8} as {@link CaraJson#parseHeartbeat(byte[])} reads it, from the memo
     * when it is the body {@code name} sent last.
     *
     * @throws dev.cara.sdk.InvalidException as the parser does
     */
    Read read(String name, byte[] utf8) {
        byte[] digest = digest(utf8);
        Read known = last.get(name);
        if (known != null && Arrays.equals(known.digest(), digest)) {
            return known;
        }
        return new Read(digest, CaraJson.parseHeartbeat(utf8));
    }

    /** After {@code read} was applied to its node, giving {@code stored}: the node's next equal body needs no parse. */
    void applied(Read read, Node stored) {
        if (last.get(stored.name()) == read) {
            return; // already remembered: the common case, no write
        }
        if (last.size() >= MAX_NODES) {
            last.clear();
        }
        last.put(stored.name(), new Read(read.digest(), sharing(read.report(), stored.status())));
    }

    /** The node is gone (or never was): its entry goes too. */
    void forget(String name) {
        last.remove(name);
    }

    int size() {
        return last.size();
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return ((MessageDigest) SHA_256.clone()).digest(bytes);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 cannot be cloned", e);
        }
    }

    /** {@code r} with each part that the status holds an equal value of replaced by that value. */
    private static HeartbeatReport sharing(HeartbeatReport r, NodeStatus s) {
        return new HeartbeatReport(r.state(), held(r.network(), s.network()), held(r.capacity(), s.capacity()),
                held(r.allocatable(), s.allocatable()), held(r.info(), s.info()), sharing(r.conditions(), s));
    }

    /** The reported conditions, each with the texts of the node's condition of its type where they are equal. */
    private static List<Condition> sharing(List<Condition> reported, NodeStatus s) {
        if (reported == null) {
            return null;
        }
        List<Condition> out = new ArrayList<>(reported.size());
        for (Condition c : reported) {
            Condition stored = s.condition(c.type()).orElse(null);
            out.add(stored == null ? c : new Condition(stored.type(), c.status(), held(c.reason(), stored.reason()),
                    held(c.message(), stored.message()), c.lastHeartbeatTime(), c.lastTransitionTime()));
        }
        return out;
    }

    private static <T> T held(T reported, T held) {
        return reported != null && Objects.equals(reported, held) ? held : reported;
    }
}
