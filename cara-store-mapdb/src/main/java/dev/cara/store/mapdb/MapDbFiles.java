package dev.cara.store.mapdb;

import dev.cara.sdk.Event;
import dev.cara.sdk.Node;
import dev.cara.sdk.Project;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.spi.TokenRecord;
import org.mapdb.Atomic;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Opening, creating and checking the store file: everything that happens before the first write.
 *
 * <p>The rules: a second process gets a clear error instead of the file (a lock file, held for the
 * store's life); a file that cannot be read is reported and never modified; a file that does not exist
 * is built under a temporary name and renamed into place, so a crash during creation never leaves a
 * half-made store under the real name.
 *
 * <p>File layout (format version {@value #FORMAT_VERSION}): a hash map {@code nodes} from name to
 * a {@link NodeRecords node record}, an atomic integer {@code cara.formatVersion}, an atomic long
 * {@code cara.revisionCeiling} (see {@link MapDbStore}), a hash map {@code projects} from name to a
 * {@link ProjectRecords project record} and an atomic long {@code cara.projectRevision}, the revision
 * of the latest project write (see {@link MapDbProjectStore}), a hash map {@code tokens} from id to a
 * {@link TokenRecords token record} ({@link MapDbTokenStore}), and a hash map {@code events} from name
 * to an {@link EventRecords event record} with an atomic long {@code cara.eventRevision}, the
 * revision of the latest event written ({@link MapDbStore#events()}), and a hash map
 * {@code cara.statusRecords} from node name to the id of a record of its own holding the node as
 * the latest status flush wrote it, which wins over its entry in {@code nodes} ({@link StatusRecords}).
 *
 * <p>Format history: 1 had nodes only; 2 added the two project entries; 3 added tokens and events;
 * 4 added the status records (an older file has none: its nodes are what {@code nodes} holds); 5
 * added no entry but lets node and event records be of version 2 ({@link RecordWords}), which a
 * release of format 4 cannot read: it now refuses the file as newer instead of reporting its records
 * as damaged. A file of an older format is upgraded in place when opened, in one commit (a crash
 * during it leaves the old format, which the next open upgrades); its records stay as they are until
 * they are next written.
 */
final class MapDbFiles {
    private static final Logger LOG = Logger.getLogger(MapDbFiles.class.getName());

    /** The format this release writes and the newest it reads. Raise it with a migration in {@link #upgrade}. */
    static final int FORMAT_VERSION = 5;

    /**
     * The file's entries, each with the format that added it: a new file gets all of them, an upgrade
     * adds those newer than its format (empty), and a file must have every entry of its format.
     */
    enum Entry {
        NODES("nodes", 1, Kind.MAP),
        FORMAT("cara.formatVersion", 1, Kind.VERSION),
        CEILING("cara.revisionCeiling", 1, Kind.COUNTER),
        PROJECTS("projects", 2, Kind.MAP),
        PROJECT_REVISION("cara.projectRevision", 2, Kind.COUNTER),
        TOKENS("tokens", 3, Kind.MAP),
        EVENTS("events", 3, Kind.MAP),
        EVENT_REVISION("cara.eventRevision", 3, Kind.COUNTER),
        STATUS_RECORDS("cara.statusRecords", 4, Kind.IDS);

        /** A map of name to record, a long starting at 0, the format integer, or a map of name to record id. */
        enum Kind { MAP, COUNTER, VERSION, IDS }

        final String key;
        final int since;
        final Kind kind;

        Entry(String key, int since, Kind kind) {
            this.key = key;
            this.since = since;
            this.kind = kind;
        }

        /** Creates the entry, empty (the format integer at this release's format). */
        void create(DB db) {
            switch (kind) {
                case MAP -> db.hashMap(key, Serializer.STRING, Serializer.BYTE_ARRAY).create();
                case COUNTER -> db.atomicLong(key, 0).create();
                case VERSION -> db.atomicInteger(key, FORMAT_VERSION).create();
                case IDS -> db.hashMap(key, Serializer.STRING, Serializer.LONG).create();
            }
        }

        HTreeMap<String, byte[]> map(DB db) {
            return db.hashMap(key, Serializer.STRING, Serializer.BYTE_ARRAY).open();
        }

        HTreeMap<String, Long> ids(DB db) {
            return db.hashMap(key, Serializer.STRING, Serializer.LONG).open();
        }

        Atomic.Long counter(DB db) {
            return db.atomicLong(key).open();
        }
    }

    private MapDbFiles() {
    }

    record Opened(Path file, DB db, HTreeMap<String, byte[]> disk, Atomic.Long ceiling,
                  ConcurrentHashMap<String, Node> nodes, FileChannel lockChannel, FileLock lock,
                  HTreeMap<String, byte[]> projectsDisk, Atomic.Long projectRevision, TreeMap<String, Project> projects,
                  HTreeMap<String, byte[]> tokensDisk, ConcurrentHashMap<String, TokenRecord> tokens,
                  HTreeMap<String, byte[]> eventsDisk, Atomic.Long eventRevision, List<Event> events,
                  StatusRecords statusRecords) {
    }

    static Opened open(Path path) {
        Path file = path.toAbsolutePath().normalize();
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new MapDbStoreException(file, "cannot create the directory " + file.getParent() + " for the store file ("
                    + e + "); create it or choose another store path", e);
        }
        FileChannel lockChannel;
        FileLock lock;
        try {
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new MapDbStoreException(file, "cannot open the lock file " + lockFile + " (" + e
                    + "); check the permissions of " + file.getParent(), e);
        }
        try {
            // tryLock, never lock: a second process must fail at once, not hang until the first exits.
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            closeQuietly(lockChannel);
            throw new MapDbStoreException.InUse(file, lockFile, sameJvm);
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new MapDbStoreException(file, "cannot lock " + lockFile + " (" + e + ")", e);
        }
        if (lock == null) {
            closeQuietly(lockChannel);
            throw new MapDbStoreException.InUse(file, lockFile, null);
        }
        try {
            if (!Files.exists(file)) {
                List<Path> logs = writeAheadLogs(file);
                if (!logs.isEmpty()) {
                    throw new MapDbStoreException.Damaged(file, "the file is missing but its write-ahead log "
                            + logs.get(0) + " is there, so the file was moved or deleted while in use", null);
                }
                createEmpty(file);
            } else if (writeAheadLogs(file).isEmpty()) {
                // No log to replay, so a read-only look can check the header without changing a byte. The
                // writable open would grow a truncated or foreign file to MapDB's size before noticing.
                checkReadOnly(file);
            }
            return openWritable(file, lockChannel, lock);
        } catch (RuntimeException | Error e) {
            release(lock, lockChannel);
            throw e;
        }
    }

    /**
     * The MapDB settings, one reason each. Checked on JDK 25 (and the same API on 21): no
     * {@code --add-opens} is needed and nothing touches {@code sun.misc.Unsafe}.
     */
    private static DBMaker.Maker settings(Path file) {
        return DBMaker.fileDB(file.toFile())
                // Write-ahead log: commit() writes the log, msyncs it, applies it to the file and msyncs
                // again (seen with strace). Without it a crash in mid-write leaves a file MapDB refuses.
                .transactionEnable()
                // Memory-mapped I/O where the JVM is 64-bit: the fastest volume. Pages written before a
                // kill -9 are in the kernel's page cache and survive it; commit() msyncs them to disk.
                .fileMmapEnableIfSupported()
                // No zero-filling of new mmap space: by default MapDB writes zeros into every new region
                // in 1 KiB write() calls, and each commit starts a fresh log file, so a commit made ~1,000
                // system calls (strace: 214,042 writes for 200 commits, 26 without). Space a file gains
                // by growing reads as zeros on every POSIX file system anyway, which is what MapDB needs.
                .fileMmapPreclearDisable()
                // Not cleanerHackEnable(): it unmaps through Unsafe, which JDK 24+ warns about; without it
                // mappings are released by the GC, which on Linux and macOS costs nothing.
                // Not closeOnJvmShutdown(): MapDB's hook could close the file before our own hook has
                // flushed the pending heartbeats; MapDbStore registers the one hook that does both.
                // MapDB's own file lock stays on (the default, a tryLock): a second guard behind ours.
                // Grow the file 8 MiB at a time rather than 1 MiB: fewer remaps when a fleet registers.
                .allocateIncrement(8L << 20);
    }

    private static void createEmpty(Path file) {
        Path fresh = file.resolveSibling(file.getFileName() + ".new");
        try {
            deleteWithLogs(fresh); // left over from a crash during an earlier creation; only we write it
            try (DB db = settings(fresh).make()) {
                for (Entry e : Entry.values()) {
                    e.create(db);
                }
                db.commit();
            }
            try {
                Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(fresh, file);
            }
        } catch (IOException | DBException e) {
            throw new MapDbStoreException(file, "cannot create the store file " + file + " (" + e
                    + "); check free disk space and the permissions of " + file.getParent(), e);
        }
    }

    private static void checkReadOnly(Path file) {
        try (DB db = DBMaker.fileDB(file.toFile()).readOnly().fileChannelEnable().fileLockDisable().make()) {
            checkFormat(file, db);
        } catch (DBException | IllegalStateException e) {
            throw new MapDbStoreException.Damaged(file, describe(e), e);
        } catch (Error e) {
            throw new MapDbStoreException.Damaged(file, "MapDB failed to read it (" + e + ")", e);
        }
    }

    private static Opened openWritable(Path file, FileChannel lockChannel, FileLock lock) {
        DB db;
        try {
            db = settings(file).make();
        } catch (DBException.FileLocked e) {
            throw new MapDbStoreException.InUse(file, file, e);
        } catch (DBException e) {
            throw new MapDbStoreException.Damaged(file, describe(e), e);
        }
        try {
            int version = checkFormat(file, db);
            if (version < FORMAT_VERSION) {
                upgrade(file, db, version);
            }
            HTreeMap<String, byte[]> disk = Entry.NODES.map(db);
            StatusRecords statusRecords = StatusRecords.open(db);
            ConcurrentHashMap<String, Node> nodes = load(file, disk, statusRecords);
            HTreeMap<String, byte[]> projectsDisk = Entry.PROJECTS.map(db);
            HTreeMap<String, byte[]> tokensDisk = Entry.TOKENS.map(db);
            HTreeMap<String, byte[]> eventsDisk = Entry.EVENTS.map(db);
            ConcurrentHashMap<String, TokenRecord> tokens = new ConcurrentHashMap<>();
            tokensDisk.entrySet().forEach(e -> tokens.put(e.getKey(), decode(file, "token", e, TokenRecords::read, TokenRecord::id)));
            return new Opened(file, db, disk, Entry.CEILING.counter(db), nodes, lockChannel, lock, projectsDisk,
                    Entry.PROJECT_REVISION.counter(db), loadProjects(file, projectsDisk), tokensDisk, tokens,
                    eventsDisk, Entry.EVENT_REVISION.counter(db), loadEvents(file, eventsDisk), statusRecords);
        } catch (RuntimeException | Error e) {
            db.close();
            if (e instanceof MapDbStoreException) {
                throw e;
            }
            throw new MapDbStoreException.Damaged(file, describe(e), e);
        }
    }

    /** @return the file's format version, one this release reads */
    private static int checkFormat(Path file, DB db) {
        if (!db.exists(Entry.FORMAT.key) || !db.exists(Entry.NODES.key) || !db.exists(Entry.CEILING.key)) {
            throw new MapDbStoreException.Damaged(file,
                    "it is a MapDB file but not a cara store (it has no " + Entry.FORMAT.key + " record)", null);
        }
        int version = db.atomicInteger(Entry.FORMAT.key).open().get();
        if (version > FORMAT_VERSION) {
            throw new MapDbStoreException.NewerFormat(file, version, FORMAT_VERSION);
        }
        if (version < 1) {
            throw new MapDbStoreException.Damaged(file, "its format version is " + version, null);
        }
        for (Entry e : Entry.values()) {
            if (e.since <= version && !db.exists(e.key)) {
                throw new MapDbStoreException.Damaged(file, "it is of format " + version + " but has no " + e.key
                        + " collection", null);
            }
        }
        return version;
    }

    /**
     * Brings a file of an older format to {@link #FORMAT_VERSION} in one commit, before anything reads
     * it. Called on the opening thread: no store, and so no disk thread, exists yet.
     */
    private static void upgrade(Path file, DB db, int from) {
        // Each format only added entries: add the newer ones, empty; nodes, projects and the ceiling stay as they are.
        List<String> added = new ArrayList<>();
        for (Entry e : Entry.values()) {
            if (e.since > from) {
                e.create(db);
                added.add(e.key);
            }
        }
        db.atomicInteger(Entry.FORMAT.key).open().set(FORMAT_VERSION);
        db.commit();
        LOG.info(() -> "upgraded the store file " + file + " from format " + from + " to " + FORMAT_VERSION
                + (added.isEmpty() ? " (no entry added" : " (empty " + String.join(", ", added) + " added")
                + "; what it held unchanged)");
    }

    /**
     * Reads every node, each from its status record if it has one, else from {@code nodes}; decoding
     * runs on every core, once per node.
     */
    private static ConcurrentHashMap<String, Node> load(Path file, HTreeMap<String, byte[]> disk, StatusRecords statusRecords) {
        Map<String, byte[]> flushed;
        try {
            flushed = statusRecords.readAll();
        } catch (IllegalStateException missing) {
            throw new MapDbStoreException.Damaged(file, missing.getMessage(), missing);
        }
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(disk.size() + flushed.size());
        for (Map.Entry<String, byte[]> e : disk.entrySet()) {
            if (!flushed.containsKey(e.getKey())) {
                entries.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        entries.addAll(flushed.entrySet());
        ConcurrentHashMap<String, Node> nodes = new ConcurrentHashMap<>(Math.max(16, entries.size() * 2));
        Map<String, Quantity> quantities = NodeRecords.quantityCache();
        entries.parallelStream().forEach(e ->
                nodes.put(e.getKey(), decode(file, "node", e, bytes -> NodeRecords.read(bytes, quantities), Node::name)));
        return nodes;
    }

    /** Reads every project; a fleet has few, so one thread. */
    private static TreeMap<String, Project> loadProjects(Path file, HTreeMap<String, byte[]> disk) {
        TreeMap<String, Project> projects = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : disk.entrySet()) {
            projects.put(e.getKey(), decode(file, "project", e, ProjectRecords::read, Project::name));
        }
        return projects;
    }

    /** Reads every event, in the order of their last write (their resourceVersions), as the event store lists them. */
    private static List<Event> loadEvents(Path file, HTreeMap<String, byte[]> disk) {
        List<Event> events = new ArrayList<>(disk.size());
        for (Map.Entry<String, byte[]> e : disk.entrySet()) {
            events.add(decode(file, "event", e, EventRecords::read, Event::name));
        }
        events.sort(Comparator.comparingLong(e -> Long.parseLong(e.metadata().resourceVersion())));
        return events;
    }

    /** One record, checked to be what its key names; anything else is damage, reported by name. */
    private static <T> T decode(Path file, String kind, Map.Entry<String, byte[]> entry, Function<byte[], T> read,
                                Function<T, String> nameOf) {
        T value;
        try {
            value = read.apply(entry.getValue());
        } catch (RuntimeException bad) {
            throw new MapDbStoreException.Damaged(file, "the record of " + kind + " \"" + entry.getKey()
                    + "\" is not valid (" + bad + ")", bad);
        }
        if (!nameOf.apply(value).equals(entry.getKey())) {
            throw new MapDbStoreException.Damaged(file, "the record stored under \"" + entry.getKey()
                    + "\" is " + kind + " \"" + nameOf.apply(value) + "\"", null);
        }
        return value;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return "MapDB reports " + e.getClass().getSimpleName().replace('$', '.')
                + (message == null || message.isBlank() ? "" : ": " + message.strip());
    }

    /** MapDB's write-ahead log files for {@code file}: {@code FILE.wal.0}, {@code FILE.wal.1}, ... */
    static List<Path> writeAheadLogs(Path file) {
        List<Path> logs = new ArrayList<>();
        String prefix = file.getFileName() + ".wal.";
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent(), prefix + "*")) {
            dir.forEach(logs::add);
        } catch (IOException e) {
            throw new MapDbStoreException(file, "cannot list " + file.getParent() + " (" + e + ")", e);
        }
        return logs;
    }

    private static void deleteWithLogs(Path file) throws IOException {
        Files.deleteIfExists(file);
        for (Path log : writeAheadLogs(file)) {
            Files.deleteIfExists(log);
        }
    }

    static void release(FileLock lock, FileChannel channel) {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }
}
