package dev.cara.sdk.spi;

import dev.cara.sdk.Node;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** The change ring against a reference model: a plain list of every change, of which the last {@code capacity} are kept. */
class ChangeHistoryTest {

    /** One step: append the next change, or ask for the changes after {@code start + offset}. */
    record Step(boolean append, int offset, int limit) {
        @Override
        public String toString() {
            return append ? "append" : "since(start" + (offset < 0 ? "" : "+") + offset + ", " + limit + ")";
        }
    }

    private static final Gen<Step> STEP = booleans().all().zip(integers().between(-3, 40), integers().between(1, 6), Step::new);

    @Test
    void behavesLikeAListOfEveryChangeOfWhichTheLastCapacityAreKept() {
        qt().withExamples(2_000)
                .forAll(integers().between(0, 50), integers().between(1, 8), lists().of(STEP).ofSizeBetween(0, 60))
                .checkAssert((start, capacity, steps) -> {
                    ChangeHistory<Change> history = ChangeHistory.startingAt(start, capacity);
                    List<Change> all = new ArrayList<>();
                    for (Step step : steps) {
                        long latest = start + all.size();
                        if (step.append()) {
                            Change next = new Change(latest + 1, Change.Type.MODIFIED, Node.builder("n" + (latest + 1)).build());
                            history.append(next);
                            all.add(next);
                            continue;
                        }
                        List<Change> kept = all.subList(Math.max(0, all.size() - capacity), all.size());
                        long oldest = kept.isEmpty() ? latest + 1 : kept.get(0).revision();
                        assertEquals(latest, history.latest());
                        assertEquals(oldest, history.oldestKept());
                        long after = (long) start + step.offset();
                        if (after > latest || after + 1 < oldest) {
                            try {
                                List<Change> got = history.since(after, step.limit());
                                fail(step + " with revisions " + (start + 1) + ".." + latest + " (kept from " + oldest
                                        + ") must be gone, got " + got);
                            } catch (HistoryGoneException expected) {
                                assertEquals(oldest, expected.oldestAvailable(), "the oldest revision kept");
                            }
                        } else {
                            List<Change> want = kept.stream().filter(c -> c.revision() > after).limit(step.limit()).toList();
                            assertEquals(want, history.since(after, step.limit()), step.toString());
                        }
                    }
                });
    }

    @Test
    void aRevisionAheadOfTheLatestIsGoneWithAMessageSayingWhy() {
        ChangeHistory<Change> history = ChangeHistory.startingAt(7, 10);
        HistoryGoneException gone = assertThrows(HistoryGoneException.class, () -> history.since(8, 1));
        assertTrue(gone.getMessage().contains("ahead of this store's latest revision 7"), gone.getMessage());
        assertTrue(gone.getMessage().contains("list again"), gone.getMessage());
        assertEquals(List.of(), history.since(7, 1), "the starting revision is followable");
        assertThrows(HistoryGoneException.class, () -> history.since(6, 1), "what came before the start is gone");
    }

    @Test
    void appendsMustBeConsecutiveAndSettingsValid() {
        ChangeHistory<Change> history = ChangeHistory.startingAt(0, 2);
        Node n = Node.builder("web-1").build();
        IllegalArgumentException skipped = assertThrows(IllegalArgumentException.class,
                () -> history.append(new Change(2, Change.Type.ADDED, n)));
        assertTrue(skipped.getMessage().contains("revision 1"), skipped.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChangeHistory.startingAt(0, 0));
        assertThrows(IllegalArgumentException.class, () -> ChangeHistory.startingAt(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> history.since(0, 0));
    }
}
