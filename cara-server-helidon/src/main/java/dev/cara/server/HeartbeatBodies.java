package dev.cara.server;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Heartbeat bodies read once per node and content: an agent sends the same body beat after beat (its
 * facts rarely change), so a body byte for byte equal to the one its node sent last gives the report
 * read then, without parsing it again. The parse is a pure function of the bytes, so a remembered
 * report is always the report a fresh read would give; what this keeps only saves work.
 *
 * <p>A remembered report holds the node's own stored instances where they are equal (its capacity,
 * allocatable, info and network), so it costs the heap little more than the body's bytes, and the
 * heartbeat merge finds them identical to what the node holds instead of comparing them field by field.
 *
 * <p>Only a body that was applied is remembered (so unknown node names never get an entry), one per
 * node, dropped when the node is deleted or unknown; past {@link #MAX_NODES} entries the memo starts
 * over, so that nodes deleted elsewhere (another replica) cannot grow it without bound. Thread-safe.
 */
final class HeartbeatBodies {
    /** Entries kept at most; well above the fleets one server holds (100,000 nodes). */
    static final int MAX_NODES = 262_144;

    private final ConcurrentHashMap<String, Read> last = new ConcurrentHashMap<>();

    /** One node's last applied body and its report. */
    record Read(byte[] body, HeartbeatReport report) {
    }

    /**
     * The report of {@code utf8} as {@link CaraJson#parseHeartbeat(byte[])} reads it, from the memo
     * when it is the body {@code name} sent last.
     *
     * @throws dev.cara.sdk.InvalidException as the parser does
     */
    Read read(String name, byte[] utf8) {
        Read known = last.get(name);
        if (known != null && Arrays.equals(known.body(), utf8)) {
            return known;
        }
        return new Read(utf8, CaraJson.parseHeartbeat(utf8));
    }

    /** After {@code read} was applied to its node, giving {@code stored}: the node's next equal body needs no parse. */
    void applied(Read read, Node stored) {
        if (last.get(stored.name()) == read) {
            return; // already remembered: the common case, no write
        }
        if (last.size() >= MAX_NODES) {
            last.clear();
        }
        last.put(stored.name(), new Read(read.body(), sharing(read.report(), stored.status())));
    }

    /** The node is gone (or never was): its entry goes too. */
    void forget(String name) {
        last.remove(name);
    }

    int size() {
        return last.size();
    }

    /** {@code r} with each part that the status holds an equal value of replaced by that value. */
    private static HeartbeatReport sharing(HeartbeatReport r, NodeStatus s) {
        return new HeartbeatReport(r.state(), held(r.network(), s.network()), held(r.capacity(), s.capacity()),
                held(r.allocatable(), s.allocatable()), held(r.info(), s.info()), r.conditions());
    }

    private static <T> T held(T reported, T held) {
        return reported != null && Objects.equals(reported, held) ? held : reported;
    }
}
