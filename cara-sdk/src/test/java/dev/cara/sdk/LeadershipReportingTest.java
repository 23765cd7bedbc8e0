package dev.cara.sdk;

import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect 12: leader changes were logged below the server's default level, so operators never saw
 * them. They are logged at INFO on {@link ControlPlane#LEADERSHIP_LOGGER} (the server shows that
 * logger by default), and {@link ControlPlane#leadership()} reports them for health and metrics.
 */
class LeadershipReportingTest {
    private final Logger log = Logger.getLogger(ControlPlane.LEADERSHIP_LOGGER);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final FakeTime time = new FakeTime();
    private final List<ControlPlane> started = new ArrayList<>();
    private final List<Boolean> heard = new CopyOnWriteArrayList<>();
    private Level levelBefore;

    @BeforeEach
    void captureLog() {
        levelBefore = log.getLevel();
        log.setLevel(Level.ALL);
        log.addHandler(capture);
    }

    @AfterEach
    void restore() {
        started.forEach(ControlPlane::close);
        log.removeHandler(capture);
        log.setLevel(levelBefore);
    }

    private ControlPlane start(MemoryStore store) {
        ControlPlane cp = ControlPlane.builder().store(store).clock(time).ticker(time).manualTicks(true)
                .listener(new ControlPlaneListener() {
                    @Override
                    public void leadership(boolean leading) {
                        heard.add(leading);
                    }
                }).build().start();
        started.add(cp);
        return cp;
    }

    @Test
    void leaderChangesAreLoggedAtInfoAndReportedWithTheirTerm() {
        MemoryStore shared = MemoryStore.withElection();
        ControlPlane first = start(shared);
        ControlPlane second = start(shared);
        assertEquals(new Leadership("memory-replica-1", true, 1), first.leadership());
        assertEquals(new Leadership("memory-replica-2", false, 0), second.leadership());
        assertLogged(Level.INFO, "this replica (memory-replica-1) now leads term 1");

        shared.depose();
        assertEquals(new Leadership("memory-replica-2", true, 2), second.leadership());
        assertLogged(Level.INFO, "this replica (memory-replica-2) now leads term 2");
        first.register(Node.builder("w1").build());
        first.heartbeat("w1", HeartbeatReport.EMPTY); // refused under term 1: the deposed replica learns it
        assertEquals(new Leadership("memory-replica-1", false, 0), first.leadership());
        assertLogged(Level.INFO, "this replica (memory-replica-1) stopped leading term 1");
        assertEquals(List.of(true, true, false), heard, "listeners hear every real change, the step-down too");
    }

    @Test
    void aSoleWriterLeadingIsNoNewsAndStaysBelowInfo() {
        ControlPlane solo = start(MemoryStore.create());
        assertTrue(solo.leadership().leading());
        assertEquals(0, solo.leadership().term(), "a sole writer needs no terms");
        assertTrue(records.stream().noneMatch(r -> r.getLevel().intValue() >= Level.INFO.intValue()),
                "nothing at INFO for a store that only one process writes: " + records.stream().map(LogRecord::getMessage).toList());
    }

    private void assertLogged(Level level, String start) {
        assertTrue(records.stream().anyMatch(r -> r.getLevel() == level && r.getMessage().startsWith(start)),
                "no " + level + " record starting \"" + start + "\" in " + records.stream()
                        .map(r -> r.getLevel() + " " + r.getMessage()).toList());
    }
}
