package dev.cara.store.mapdb;

import dev.cara.sdk.Event;
import dev.cara.sdk.EventType;
import dev.cara.sdk.InvolvedObject;
import dev.cara.sdk.ObjectMeta;

import java.time.Instant;

/**
 * The binary record of one stored event in the file ({@code events} map, keyed by event name), in the
 * encodings of {@link RecordWriter}: a version byte ({@value #RECORD_VERSION}), then the metadata
 * (as every record keeps it), type, reason, message, the involved object's kind and name, count,
 * first and last timestamp. Enums are their Java names. Strings that are {@link RecordWords} are
 * their code, as in node records; version {@value #PLAIN_STRINGS}, which older files hold and which
 * is still read, had no codes.
 */
final class EventRecords {
    /** The version this release writes: 2, strings as {@link RecordWords}. It reads 1 as well. */
    static final int RECORD_VERSION = 2;
    /** The first version: every string its text. */
    static final int PLAIN_STRINGS = 1;

    private EventRecords() {
    }

    /** A writer for {@link #write}: one that writes words as their code. */
    static RecordWriter writer() {
        return new RecordWriter(true);
    }

    /** @param w a writer from {@link #writer()} (reused from record to record) */
    static byte[] write(RecordWriter w, Event e) {
        if (!w.writesWords()) {
            throw new IllegalArgumentException("event records are written with words: use EventRecords.writer()");
        }
        return write(w, RECORD_VERSION, e);
    }

    /** For tests: the record as releases before format 5 wrote it, version {@value #PLAIN_STRINGS}. */
    static byte[] writeFirstVersion(Event e) {
        return write(new RecordWriter(), PLAIN_STRINGS, e);
    }

    private static byte[] write(RecordWriter w, int version, Event e) {
        w.start(version);
        w.meta(e.metadata());
        w.string(e.type().name());
        w.string(e.reason());
        w.string(e.message());
        w.string(e.involvedObject().kind().name());
        w.string(e.involvedObject().name());
        w.varint(e.count());
        w.instant(e.firstTimestamp());
        w.instant(e.lastTimestamp());
        return w.finish();
    }

    /** @throws IllegalArgumentException when the bytes are not a record this release can read */
    static Event read(byte[] bytes) {
        RecordReader r = RecordReader.withWordsFrom(bytes, PLAIN_STRINGS, RECORD_VERSION, "event");
        ObjectMeta meta = r.meta();
        EventType type = EventType.valueOf(r.string());
        String reason = r.string();
        String message = r.string();
        InvolvedObject object = new InvolvedObject(InvolvedObject.Kind.valueOf(r.string()), r.string());
        int count = Math.toIntExact(r.varint());
        Instant first = r.instant();
        Instant last = r.instant();
        r.end();
        return new Event(meta, type, reason, message, object, count, first, last);
    }
}
