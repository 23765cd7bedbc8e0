package dev.cara.agent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per event on standard error, {@code 2026-11-25T14:03:07.120Z INFO  message}, which is what
 * journald and container logs want. DEBUG lowers the agent's level to FINE; other libraries stay at
 * WARNING so that they cannot drown the agent's few lines.
 */
final class AgentLogging {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    // JUL holds loggers weakly: without this reference the level set below can be collected away.
    private static final Logger CARA = Logger.getLogger("dev.cara");

    private AgentLogging() {
    }

    static void configure(boolean debug) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter(new OneLine());
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
        CARA.setLevel(debug ? Level.FINE : Level.INFO);
    }

    /** Only warnings and errors from cara itself: the simulator prints its own figures. */
    static void quiet() {
        CARA.setLevel(Level.WARNING);
    }

    static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(160)
                    .append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ')
                    .append(label(r.getLevel())).append(' ')
                    .append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null) {
                java.io.StringWriter trace = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(trace));
                sb.append(trace);
            }
            return sb.toString();
        }

        private static String label(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (level.intValue() >= Level.WARNING.intValue()) {
                return "WARN ";
            }
            if (level.intValue() >= Level.INFO.intValue()) {
                return "INFO ";
            }
            return "DEBUG";
        }
    }
}
