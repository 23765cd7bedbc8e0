package dev.cara.server;

import dev.cara.sdk.Identity;

import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The audit trail, with tokens on (in open mode there is no identity to record): one line per write
 * (register, update, drain, delete, heartbeat excluded as too frequent; token changes), on the logger {@code cara.audit}, as {@code key=value} pairs that a log
 * shipper can split: who, from where, what, on what, and the answer's status. Never a secret: an
 * identity names a token by its description or id. Heartbeats are left out on purpose: one per node
 * every 30 s would drown the writes that matter (metrics count them).
 */
final class Audit {
    static final Logger LOG = Logger.getLogger("cara.audit");

    private Audit() {
    }

    /**
     * Sends the audit lines to standard output, one per line with its time, whatever the log level of
     * the rest (the server is quiet by default, but an audit trail that is off by default is none).
     */
    static void toStandardOutput() {
        StreamHandler out = new StreamHandler(System.out, new Formatter() {
            @Override
            public String format(LogRecord r) {
                return Instant.ofEpochMilli(r.getMillis()) + " " + r.getMessage() + System.lineSeparator();
            }
        }) {
            @Override
            public synchronized void publish(LogRecord r) {
                super.publish(r);
                flush(); // a line that waits in a buffer is lost in a crash
            }

            @Override
            public synchronized void close() {
                flush(); // the log manager closes handlers at exit; System.out must stay open for the last lines
            }
        };
        out.setLevel(Level.INFO);
        LOG.setUseParentHandlers(false);
        LOG.setLevel(Level.INFO);
        LOG.addHandler(out);
    }

    static void write(Identity who, String remote, String action, String object, int status) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.info("audit identity=" + quote(who.kind() + ":" + who.name()) + " role=" + who.role().word()
                    + " remote=" + remote + " action=" + action + " object=" + quote(object) + " status=" + status);
        }
    }

    /** Values in double quotes with quotes and control characters escaped, so that a name cannot forge a field. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
