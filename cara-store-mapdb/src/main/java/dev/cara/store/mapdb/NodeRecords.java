package dev.cara.store.mapdb;

import dev.cara.sdk.AgentClaim;
import dev.cara.sdk.Condition;
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
import dev.cara.sdk.spi.Canonical;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * <p>Layout: a version byte ({@value #RECORD_VERSION}), then the fields in declaration order, each
 * encoded as {@link RecordWriter} says (a lone surrogate in a string, which is not text, reads back
 * as '?'; enums are their names), strings that are {@link RecordWords} as their code. Version
 * {@value #PLAIN_STRINGS} had no codes; files written before hold it, it is still read, and each
 * record becomes version {@value #RECORD_VERSION} when it is next written. A record version the
 * reader does not know is reported as damage, so a newer file is never misread.
 */
final class NodeRecords {
    /** The version this release writes: 2, strings as {@link RecordWords}. It reads 1 as well. */
    static final int RECORD_VERSION = 2;
    /** The first version: every string its text. */
    static final int PLAIN_STRINGS = 1;

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
        RecordReader r = RecordReader.withWordsFrom(bytes, PLAIN_STRINGS, RECORD_VERSION, "node");
        String apiVersion = Canonical.of(r.string());
        String kind = Canonical.of(r.string());
        ObjectMeta meta = r.meta();
        NodeSpec spec = new NodeSpec(r.string(), r.bool());
        NodeState state = NodeState.valueOf(r.string());
        String ip = r.string();
        String dnsName = r.string();
        String mode = r.string();
        long port = r.varint();
        NetworkStatus network = new NetworkStatus(ip, dnsName, mode == null ? null : NetworkMode.valueOf(mode),
                port == 0 ? null : Math.toIntExact(port - 1));
        // Canonical: what a fleet's nodes share is held once, as it is when heartbeats bring it.
        ResourceList capacity = Canonical.of(r.resources(quantities));
        ResourceList allocatable = Canonical.of(r.resources(quantities));
        NodeInfo info = Canonical.of(new NodeInfo(r.string(), r.string(), r.string()));
        Instant lastHeartbeat = r.instant();
        int count = r.count();
        List<Condition> conditions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            conditions.add(r.condition());
        }
        AgentClaim claim = r.bool() ? new AgentClaim(NodeState.valueOf(r.string()), r.string(), r.string()) : null;
        r.end();
        return new Node(apiVersion, kind, meta, spec,
                new NodeStatus(state, network, capacity, allocatable, info, lastHeartbeat, conditions, claim));
    }

    /** A fresh, thread-safe quantity cache for one load. */
    static Map<String, Quantity> quantityCache() {
        return new ConcurrentHashMap<>();
    }

    /** Node records; one flush or spec-write batch (the holder of the group-commit lock) owns one writer. */
    static final class Writer extends RecordWriter {
        private final int version;

        Writer() {
            this(RECORD_VERSION);
        }

        /** For tests: a writer of {@code version} records, {@value #PLAIN_STRINGS} being those of earlier releases. */
        Writer(int version) {
            super(version != PLAIN_STRINGS);
            this.version = version;
        }

        /** The record of {@code n}: a fresh array of exactly its length. */
        byte[] record(Node n) {
            start(version);
            string(n.apiVersion());
            string(n.kind());
            meta(n.metadata());
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
            s.conditions().forEach(this::condition);
            AgentClaim claim = s.claim();
            bool(claim != null);
            if (claim != null) {
                string(claim.state().name());
                string(claim.reason());
                string(claim.message());
            }
            return finish();
        }

    }

}
