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

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compact binary record of one node in the file, used instead of {@code NodeStorageCodec.encode}.
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

    /** One record, with a writer of its own; a flush of many records reuses one {@link Writer}. */
    static byte[] write(Node n) {
        return new Writer().record(n);
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

    /**
     * Encodes records into one growing buffer that is reused from record to record, so a flush of
     * thousands of records allocates little more than the records themselves. Not thread-safe: one
     * flush or spec-write batch (the holder of the store's disk lock) owns one writer. Plain array
     * writes, not a ByteArrayOutputStream, whose every write takes its monitor.
     */
    static final class Writer {
        private byte[] buf = new byte[512];
        private int len;

        /** The record of {@code n}: a fresh array of exactly its length. */
        byte[] record(Node n) {
            len = 0;
            u8(RECORD_VERSION);
            string(n.apiVersion());
            string(n.kind());
            ObjectMeta m = n.metadata();
            string(m.name());
            map(m.labels());
            map(m.annotations());
            instant(m.createdAt());
            instant(m.updatedAt());
            string(m.resourceVersion());
            string(n.spec().hostname());
            bool(n.spec().unschedulable());
            NodeStatus s = n.status();
            string(s.state().name());
            NetworkStatus net = s.network();
            string(net.ip());
            string(net.dnsName());
            string(net.mode() == null ? null : net.mode().name());
            varint(net.agentPort() == null ? 0 : net.agentPort() + 1L);
            resources(s.capacity());
            resources(s.allocatable());
            string(s.info().kernelVersion());
            string(s.info().osImage());
            string(s.info().agentVersion());
            instant(s.lastHeartbeat());
            varint(s.conditions().size());
            for (Condition c : s.conditions()) {
                string(c.type());
                string(c.status().name());
                string(c.reason());
                string(c.message());
                instant(c.lastHeartbeatTime());
                instant(c.lastTransitionTime());
            }
            AgentClaim claim = s.claim();
            bool(claim != null);
            if (claim != null) {
                string(claim.state().name());
                string(claim.reason());
                string(claim.message());
            }
            return Arrays.copyOf(buf, len);
        }

        private void room(int more) {
            if (buf.length - len < more) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        private void u8(int b) {
            room(1);
            buf[len++] = (byte) b;
        }

        private void varint(long v) {
            room(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        private void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            int chars = s.length();
            int ascii = 0;
            while (ascii < chars && s.charAt(ascii) < 0x80) {
                ascii++;
            }
            if (ascii < chars) {
                // Not all ASCII: let the JDK encode (a lone surrogate becomes '?', as it always did).
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                varint(b.length + 1L);
                room(b.length);
                System.arraycopy(b, 0, buf, len, b.length);
                len += b.length;
                return;
            }
            // ASCII, nearly every string of a node: its UTF-8 bytes are its chars, copied without a
            // temporary array.
            varint(chars + 1L);
            room(chars);
            for (int i = 0; i < chars; i++) {
                buf[len++] = (byte) s.charAt(i);
            }
        }

        private void bool(boolean b) {
            u8(b ? 1 : 0);
        }

        private void instant(Instant t) {
            bool(t != null);
            if (t != null) {
                varint(zigzag(t.getEpochSecond()));
                varint(t.getNano());
            }
        }

        private void map(Map<String, String> map) {
            varint(map.size());
            for (Map.Entry<String, String> e : map.entrySet()) {
                string(e.getKey());
                string(e.getValue());
            }
        }

        private void resources(ResourceList list) {
            varint(list.amounts().size());
            for (Map.Entry<String, Quantity> e : list.amounts().entrySet()) {
                string(e.getKey());
                string(e.getValue().toString()); // the canonical spelling keeps value and format: parse(toString()) equals
            }
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
