package dev.cara.store.mapdb;

import dev.cara.sdk.AgentClaim;
import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.NetworkMode;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.NodeSpec;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.ResourceList;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compact binary record of one node in the file, used instead of {@code CaraJson.toStorageJson}.
 *
 * <p>Why not JSON: a reopen reads every node, and on this 2-core machine parsing the storage JSON of
 * 100,000 realistic nodes cost 9.8 s of CPU (98 µs a node: a JSON tree, seven RFC 3339 timestamps and
 * six quantities each), so the 5 s reopen target was out of reach. These records read back in a few
 * microseconds each, and are about half the size. {@link MapDbRecordsTest} checks that every field
 * round-trips.
 *
 * <p>Layout: a version byte ({@value #RECORD_VERSION}), then the fields in declaration order.
 * Strings are a varint length + 1 (0 for null) and UTF-8 (so a lone surrogate, which is not text,
 * would read back as '?'); instants a presence byte, epoch seconds and
 * nanos; enums their names; maps and lists a varint count. A record version the reader does not know
 * is reported as damage, so a newer file is never misread.
 */
final class NodeRecords {
    static final int RECORD_VERSION = 1;

    private NodeRecords() {
    }

    static byte[] write(Node n) {
        Writer w = new Writer();
        w.out.write(RECORD_VERSION);
        w.string(n.apiVersion());
        w.string(n.kind());
        ObjectMeta m = n.metadata();
        w.string(m.name());
        w.map(m.labels());
        w.map(m.annotations());
        w.instant(m.createdAt());
        w.instant(m.updatedAt());
        w.string(m.resourceVersion());
        w.string(n.spec().hostname());
        w.bool(n.spec().unschedulable());
        NodeStatus s = n.status();
        w.string(s.state().name());
        NetworkStatus net = s.network();
        w.string(net.ip());
        w.string(net.dnsName());
        w.string(net.mode() == null ? null : net.mode().name());
        w.varint(net.agentPort() == null ? 0 : net.agentPort() + 1L);
        w.resources(s.capacity());
        w.resources(s.allocatable());
        w.string(s.info().kernelVersion());
        w.string(s.info().osImage());
        w.string(s.info().agentVersion());
        w.instant(s.lastHeartbeat());
        w.varint(s.conditions().size());
        for (Condition c : s.conditions()) {
            w.string(c.type());
            w.string(c.status().name());
            w.string(c.reason());
            w.string(c.message());
            w.instant(c.lastHeartbeatTime());
            w.instant(c.lastTransitionTime());
        }
        AgentClaim claim = s.claim();
        w.bool(claim != null);
        if (claim != null) {
            w.string(claim.state().name());
            w.string(claim.reason());
            w.string(claim.message());
        }
        return w.out.toByteArray();
    }

    /**
     * Reads a record. {@code quantities} shares equal quantities between nodes (a fleet has few
     * distinct ones), which saves both parsing and heap; pass a fresh map for a one-off read.
     *
     * @throws IllegalArgumentException when the bytes are not a record this release can read
     */
    static Node read(byte[] bytes, Map<String, Quantity> quantities) {
        Reader r = new Reader(bytes);
        int version = r.u8();
        if (version != RECORD_VERSION) {
            throw new IllegalArgumentException("unknown record version " + version);
        }
        String apiVersion = r.string();
        String kind = r.string();
        ObjectMeta meta = new ObjectMeta(r.string(), r.map(), r.map(), r.instant(), r.instant(), r.string());
        NodeSpec spec = new NodeSpec(r.string(), r.bool());
        NodeState state = NodeState.valueOf(r.string());
        String ip = r.string();
        String dnsName = r.string();
        String mode = r.string();
        long port = r.varint();
        NetworkStatus network = new NetworkStatus(ip, dnsName, mode == null ? null : NetworkMode.valueOf(mode),
                port == 0 ? null : Math.toIntExact(port - 1));
        ResourceList capacity = r.resources(quantities);
        ResourceList allocatable = r.resources(quantities);
        NodeInfo info = new NodeInfo(r.string(), r.string(), r.string());
        Instant lastHeartbeat = r.instant();
        int count = r.count();
        List<Condition> conditions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            conditions.add(new Condition(r.string(), ConditionStatus.valueOf(r.string()), r.string(), r.string(),
                    r.instant(), r.instant()));
        }
        AgentClaim claim = r.bool() ? new AgentClaim(NodeState.valueOf(r.string()), r.string(), r.string()) : null;
        if (!r.atEnd()) {
            throw new IllegalArgumentException("trailing bytes after the record");
        }
        return new Node(apiVersion, kind, meta, spec,
                new NodeStatus(state, network, capacity, allocatable, info, lastHeartbeat, conditions, claim));
    }

    /** A fresh, thread-safe quantity cache for one load. */
    static Map<String, Quantity> quantityCache() {
        return new ConcurrentHashMap<>();
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length + 1L);
            out.writeBytes(b);
        }

        void bool(boolean b) {
            out.write(b ? 1 : 0);
        }

        void instant(Instant t) {
            bool(t != null);
            if (t != null) {
                varint(zigzag(t.getEpochSecond()));
                varint(t.getNano());
            }
        }

        void map(Map<String, String> map) {
            varint(map.size());
            map.forEach((k, v) -> {
                string(k);
                string(v);
            });
        }

        void resources(ResourceList list) {
            varint(list.amounts().size());
            list.amounts().forEach((name, q) -> {
                string(name);
                string(q.toString()); // the canonical spelling keeps value and format: parse(toString()) equals
            });
        }

        private static long zigzag(long v) {
            return (v << 1) ^ (v >> 63);
        }
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        int u8() {
            if (pos >= b.length) {
                throw new IllegalArgumentException("the record ends early");
            }
            return b[pos++] & 0xFF;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int x = u8();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("a malformed number");
        }

        int count() {
            long n = varint();
            if (n < 0 || n > b.length - pos) {
                throw new IllegalArgumentException("a count of " + n + " in a record of " + b.length + " bytes");
            }
            return (int) n;
        }

        String string() {
            long n = varint();
            if (n == 0) {
                return null;
            }
            long len = n - 1;
            if (len > b.length - pos) {
                throw new IllegalArgumentException("a string longer than the record");
            }
            String s = new String(b, pos, (int) len, StandardCharsets.UTF_8);
            pos += (int) len;
            return s;
        }

        boolean bool() {
            int x = u8();
            if (x > 1) {
                throw new IllegalArgumentException("a malformed flag " + x);
            }
            return x == 1;
        }

        Instant instant() {
            if (!bool()) {
                return null;
            }
            long z = varint();
            long seconds = (z >>> 1) ^ -(z & 1);
            return Instant.ofEpochSecond(seconds, varint());
        }

        Map<String, String> map() {
            int n = count();
            if (n == 0) {
                return Map.of();
            }
            Map<String, String> map = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                map.put(string(), string());
            }
            return map;
        }

        ResourceList resources(Map<String, Quantity> quantities) {
            int n = count();
            if (n == 0) {
                return ResourceList.EMPTY;
            }
            Map<String, Quantity> amounts = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                String name = string();
                amounts.put(name, quantities.computeIfAbsent(string(), Quantity::parse));
            }
            return ResourceList.of(amounts);
        }

        boolean atEnd() {
            return pos == b.length;
        }
    }
}
