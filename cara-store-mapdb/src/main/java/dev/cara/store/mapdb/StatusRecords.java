package dev.cara.store.mapdb;

import org.mapdb.DB;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.mapdb.Store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where status flushes write nodes: each node's latest flushed record in a MapDB record of its own,
 * rewritten in place by its record id, with the map {@code cara.statusRecords} (name to record id)
 * telling which. A node with such a record is that record; the {@code nodes} map holds what spec
 * writes wrote, and a spec write or delete drops the status record in the same commit, so the two
 * never disagree about which is newer.
 *
 * <p>Why: a status flush rewrites every node that heartbeated, thousands a second. Through the
 * {@code nodes} hash map each write hashed the name and read four index pages, the leaf and the old
 * value before writing (MapDB's {@code HTreeMap.put}, most of the disk thread's time under load);
 * by record id it is the write alone. The ids are read once at open and kept here, in the heap.
 *
 * <p>Used on the disk thread only (and at open, before it exists), inside a transaction: what a
 * commit changes in the ids takes effect here when the commit succeeded ({@link #committed}), and is
 * forgotten when it was rolled back ({@link #rolledBack}), as MapDB forgets the records themselves.
 */
final class StatusRecords {
    private final Store store;
    private final HTreeMap<String, Long> ids;
    private final HashMap<String, Long> known;
    // The open transaction's changes to the ids, until it commits or rolls back.
    private final HashMap<String, Long> added = new HashMap<>();
    private final Set<String> dropped = new HashSet<>();

    private StatusRecords(Store store, HTreeMap<String, Long> ids) {
        this.store = store;
        this.ids = ids;
        this.known = new HashMap<>(Math.max(16, ids.size() * 2));
        ids.forEach(known::put);
    }

    static StatusRecords open(DB db) {
        return new StatusRecords(db.getStore(), MapDbFiles.Entry.STATUS_RECORDS.ids(db));
    }

    /**
     * Every node's status record, by name, as the file holds them.
     *
     * @throws IllegalStateException naming the node when its record is missing
     */
    Map<String, byte[]> readAll() {
        Map<String, byte[]> records = new HashMap<>(Math.max(16, known.size() * 2));
        known.forEach((name, id) -> {
            byte[] record = store.get(id, Serializer.BYTE_ARRAY);
            if (record == null) {
                throw new IllegalStateException("the status record of node \"" + name + "\" (record " + id + ") is missing");
            }
            records.put(name, record);
        });
        return records;
    }

    /** Writes {@code record} as the node's status record, in place when it has one. */
    void write(String name, byte[] record) {
        Long id = added.get(name);
        if (id == null && !dropped.contains(name)) {
            id = known.get(name);
        }
        if (id != null) {
            store.update(id, record, Serializer.BYTE_ARRAY);
            return;
        }
        long fresh = store.put(record, Serializer.BYTE_ARRAY);
        ids.put(name, fresh);
        added.put(name, fresh);
    }

    /** The node was written by a spec write or deleted: its status record, if any, goes. */
    void drop(String name) {
        Long id = added.remove(name);
        if (id == null && !dropped.contains(name)) {
            id = known.get(name);
        }
        if (id != null) {
            store.delete(id, Serializer.BYTE_ARRAY);
            ids.remove(name);
            dropped.add(name);
        }
    }

    /** The transaction committed: its changes to the ids hold. */
    void committed() {
        dropped.forEach(known::remove);
        known.putAll(added);
        dropped.clear();
        added.clear();
    }

    /** The transaction was rolled back: so were the records it wrote and the ids it changed. */
    void rolledBack() {
        dropped.clear();
        added.clear();
    }

    /** How many nodes have a status record. */
    int size() {
        return known.size();
    }
}
