package dev.cara.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** A private logger whose records a test can read. */
final class CapturedLog extends Handler {
    final Logger logger = Logger.getAnonymousLogger();
    private final List<LogRecord> records = new ArrayList<>();

    CapturedLog() {
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.INFO);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    synchronized List<String> lines() {
        return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
    }

    synchronized List<String> lines(Level level) {
        return records.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
