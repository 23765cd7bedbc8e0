package dev.cara.store.mapdb;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.ResourceList;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * The field encodings that node and project records share ({@link NodeRecords}, {@link ProjectRecords}):
 * varints, strings (a varint length + 1, 0 for null, then UTF-8; or, in a writer with
 * {@link RecordWords}, a word's code), instants (a presence byte, epoch
 * seconds zigzagged, nanos), maps and lists (a varint count), conditions. {@link RecordReader} reads
 * them back.
 *
 * <p>Encodes into one growing buffer that is reused from record to record, so a flush of thousands
 * of records allocates little more than the records themselves. Not thread-safe: one flush or write
 * owns one writer. Plain array writes, not a ByteArrayOutputStream, whose every write takes its monitor.
 */
class RecordWriter {
    private byte[] buf = new byte[512];
    private int len;
    private final boolean words;

    /** A writer of plain strings: every string is its text. */
    RecordWriter() {
        this(false);
    }

    /** @param words whether strings that are {@link RecordWords} are written as their code */
    RecordWriter(boolean words) {
        this.words = words;
    }

    /** Whether strings that are {@link RecordWords} are written as their code. */
    final boolean writesWords() {
        return words;
    }

    /** Begins a record, dropping what the buffer held. */
    final void start() {
        len = 0;
    }

    /** Begins a record that opens with its version byte, as every record of the file does. */
    final void start(int version) {
        start();
        u8(version);
    }

    /** The record written since {@link #start}: a fresh array of exactly its length. */
    final byte[] finish() {
        return Arrays.copyOf(buf, len);
    }

    /** Metadata as every record keeps it: name, labels, annotations, createdAt, updatedAt, resourceVersion. */
    final void meta(ObjectMeta m) {
        string(m.name());
        map(m.labels());
        map(m.annotations());
        instant(m.createdAt());
        instant(m.updatedAt());
        string(m.resourceVersion());
    }

    final void condition(Condition c) {
        string(c.type());
        string(c.status().name());
        string(c.reason());
        string(c.message());
        instant(c.lastHeartbeatTime());
        instant(c.lastTransitionTime());
    }

    private void room(int more) {
        if (buf.length - len < more) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    final void u8(int b) {
        room(1);
        buf[len++] = (byte) b;
    }

    final void varint(long v) {
        room(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    final void string(String s) {
        if (s == null) {
            varint(0);
            return;
        }
        // The varint before a literal's bytes is its length + 1, and with words its length + 1 + the
        // number of words, the smaller numbers being the words' codes.
        long base = 1;
        if (words) {
            int code = RecordWords.code(s);
            if (code != 0) {
                varint(code);
                return;
            }
            base += RecordWords.size();
        }
        int chars = s.length();
        int ascii = 0;
        while (ascii < chars && s.charAt(ascii) < 0x80) {
            ascii++;
        }
        if (ascii < chars) {
            // Not all ASCII: let the JDK encode (a lone surrogate becomes '?', as it always did).
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length + base);
            room(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return;
        }
        // ASCII, nearly every string of a node: its UTF-8 bytes are its chars, copied without a
        // temporary array.
        varint(chars + base);
        room(chars);
        for (int i = 0; i < chars; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    final void bool(boolean b) {
        u8(b ? 1 : 0);
    }

    final void instant(Instant t) {
        bool(t != null);
        if (t != null) {
            varint(zigzag(t.getEpochSecond()));
            varint(t.getNano());
        }
    }

    final void map(Map<String, String> map) {
        varint(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            string(e.getKey());
            string(e.getValue());
        }
    }

    final void resources(ResourceList list) {
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
