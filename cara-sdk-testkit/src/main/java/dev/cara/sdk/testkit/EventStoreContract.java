package dev.cara.sdk.testkit;

import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.InvolvedObject;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.EventChange;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.HistoryGoneException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.cara.sdk.testkit.NodeStoreContract.race;
import static dev.cara.sdk.testkit.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event storage contract: what every {@link EventStore} must do, as a JUnit 5 suite. Extend it
 * and implement {@link #newStore(EventPolicy)}: a fresh, empty store each time, folding and keeping
 * events by the policy given (the kit closes them).
 *
 * <p>It checks fold-or-append (the key, the window, only the latest record folds, a fold moves the
 * record to the newest end), that retention by count and by age is never exceeded, on write and by
 * {@code compact}, the list filters and limit (newest last), the change feed's order and types, and
 * that concurrent records of one event fold into one record.
 */
public abstract class EventStoreContract {
    /** The fold window of {@link #store(int, Duration)}'s stores. */
    protected static final Duration WINDOW = Duration.ofMinutes(10);

    // Owned by the JUnit thread running the test: every store this test opened, closed afterwards.
    private final List<EventStore> opened = new ArrayList<>();

    /** A fresh, empty store with this policy. */
    protected abstract EventStore newStore(EventPolicy policy);

    /**
     * Another store on the same backend as {@code current}, with its policy, as a second server
     * replica opens it: a shared store (a database) returns a new instance, and the kit checks that
     * events recorded through either fold and list as one history. The default returns
     * {@code current} (a store only one process may open). The kit closes what it returns.
     */
    protected EventStore sharing(EventStore current) {
        return current;
    }

    /** Threads used in the race test. */
    protected int concurrency() {
        return 8;
    }

    @AfterEach
    final void closeStores() {
        opened.forEach(EventStore::close);
        opened.clear();
    }

    protected final EventStore store(int maxCount, Duration maxAge) {
        EventPolicy policy = EventPolicy.builder().foldWindow(WINDOW).maxCount(maxCount).maxAge(maxAge).build();
        EventStore store = newStore(policy);
        if (store == null) {
            throw new AssertionError(getClass().getName() + ".newStore(policy) returned null; it must return a fresh, empty store");
        }
        opened.add(store);
        assertEquals(List.of(), all(store), "newStore(policy) must return an empty store");
        assertEquals(policy, store.policy(), "the store must keep the policy it was given");
        return store;
    }

    private EventStore store() {
        return store(1000, Duration.ofHours(1));
    }

    /** A NotReady warning about {@code node} at {@code T0 + seconds}. */
    protected static Event notReady(String node, long seconds) {
        return event(node, "node is NotReady: no heartbeat", seconds);
    }

    protected static Event event(String node, String message, long seconds) {
        return Event.builder().warning().reason("NotReady").node(node).message(message).at(T0.plusSeconds(seconds)).build();
    }

    private static List<Event> all(EventStore store) {
        return store.list(EventFilter.all()).events();
    }

    private static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }

    // ---------------------------------------------------------------- fold or append

    @Test
    void recordAssignsAUniqueNameAndAResourceVersion() {
        EventStore store = store();
        Event a = store.record(notReady("web-1", 0).stored("caller-name", "caller-version"));
        Event b = store.record(event("web-1", "another message", 0));
        assertNotEquals("caller-name", a.name(), "the store names events; a name on the argument is ignored");
        assertNotEquals("caller-version", a.metadata().resourceVersion());
        assertNotEquals(a.name(), b.name(), "two records must have different names");
        assertTrue(a.name().startsWith("web-1"), "an event's name starts with its object's name, as in Kubernetes: " + a.name());
        assertEquals(List.of(a, b), all(store));
        assertEquals(1, a.count());
    }

    @Test
    void aRepeatWithinTheWindowBumpsCountAndLastTimestamp() {
        EventStore store = store();
        Event first = store.record(notReady("web-1", 0));
        Event again = store.record(notReady("web-1", WINDOW.toSeconds()));
        assertEquals(first.name(), again.name(), "a repeat within the window folds into the stored record");
        assertEquals(2, again.count());
        assertEquals(T0, again.firstTimestamp());
        assertEquals(T0.plus(WINDOW), again.lastTimestamp());
        assertNotEquals(first.metadata().resourceVersion(), again.metadata().resourceVersion(), "a fold is a write");
        assertEquals(List.of(again), all(store));
    }

    @Test
    void aRepeatAfterTheWindowStartsANewRecord() {
        EventStore store = store();
        store.record(notReady("web-1", 0));
        Event later = store.record(notReady("web-1", WINDOW.toSeconds() + 1));
        assertEquals(1, later.count(), "the window runs from the last occurrence: a repeat after it is a new event");
        assertEquals(2, all(store).size());
        Event third = store.record(notReady("web-1", WINDOW.toSeconds() + 2));
        assertEquals(later.name(), third.name(), "only the latest record of a key takes the next fold");
        assertEquals(2, third.count());
    }

    @Test
    void eventsThatDifferInObjectTypeReasonOrMessageDoNotFold() {
        EventStore store = store();
        store.record(notReady("web-1", 0));
        store.record(notReady("web-2", 0));
        store.record(Event.builder().warning().reason("NotReady").project("web-1").message("node is NotReady: no heartbeat").at(T0).build());
        store.record(Event.builder().normal().reason("NotReady").node("web-1").message("node is NotReady: no heartbeat").at(T0).build());
        store.record(Event.builder().warning().reason("Flapping").node("web-1").message("node is NotReady: no heartbeat").at(T0).build());
        store.record(event("web-1", "node is NotReady: the agent shut down", 0));
        List<Event> events = all(store);
        assertEquals(6, events.size(), "the key is object, type, reason and message: " + events);
        assertTrue(events.stream().allMatch(e -> e.count() == 1));
    }

    @Test
    void aFoldMovesTheRecordToTheNewestEnd() {
        EventStore store = store();
        Event a = store.record(notReady("web-1", 0));
        Event b = store.record(notReady("web-2", 1));
        Event a2 = store.record(notReady("web-1", 2));
        assertEquals(List.of(b.name(), a.name()), names(all(store)), "list is in the order of last write, newest last");
        assertEquals(a2, all(store).get(1));
    }

    @Test
    void concurrentRecordsOfOneEventFoldIntoOneRecord() {
        EventStore store = store();
        int threads = concurrency();
        race(threads, i -> () -> store.record(notReady("web-1", 0)));
        List<Event> events = all(store);
        assertEquals(1, events.size(), "racing records of one event must fold, not append: " + events);
        assertEquals(threads, events.get(0).count());
    }

    @Test
    void aRepeatRecordedThroughAnotherStoreOnTheSameBackendFolds() {
        EventStore store = store();
        EventStore other = sharing(store);
        if (other != store) {
            opened.add(other);
        }
        Event first = store.record(notReady("web-1", 0));
        Event again = other.record(notReady("web-1", 5));
        assertEquals(first.name(), again.name(), "replicas share one history: a repeat folds wherever it is recorded");
        assertEquals(2, again.count());
        assertEquals(List.of(again), all(store));
        assertEquals(all(store), all(other));
        assertEquals(store.revision(), other.revision());
    }

    // ---------------------------------------------------------------- retention

    @Test
    void retentionByCountIsNeverExceededAndKeepsTheNewest() {
        EventStore store = store(3, Duration.ofHours(1));
        List<String> recorded = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            recorded.add(store.record(notReady("web-" + i, i)).name());
            assertTrue(all(store).size() <= 3, "a store with maxCount 3 holds " + all(store).size());
        }
        assertEquals(recorded.subList(7, 10), names(all(store)));
    }

    @Test
    void retentionByAgeDropsEventsOlderThanMaxAgeBeforeTheNewestOnWrite() {
        EventStore store = store(100, Duration.ofMinutes(30));
        store.record(notReady("old", 0));
        store.record(notReady("middle", 20 * 60));
        Event young = store.record(notReady("young", 31 * 60));
        assertEquals(List.of("middle", "young"), all(store).stream().map(e -> e.involvedObject().name()).toList(),
                "an event last seen more than maxAge before the newest one must go on the write");
        store.record(notReady("late-but-old", 30));
        assertEquals(List.of("middle", "young"), all(store).stream().map(e -> e.involvedObject().name()).toList(),
                "an event recorded with a timestamp already past maxAge is not kept");
        assertEquals(young, all(store).get(1));
    }

    @Test
    void aFoldKeepsAnEventYoungByItsLastOccurrence() {
        EventStore store = store(100, Duration.ofMinutes(30));
        for (int minute = 0; minute <= 60; minute += 5) {
            store.record(notReady("web-1", minute * 60L));
        }
        Event kept = all(store).get(0);
        assertEquals(13, kept.count(), "a steady repeat within the window stays one record: age counts from lastTimestamp");
        assertEquals(T0, kept.firstTimestamp());
    }

    @Test
    void compactDropsOldEventsOfAQuietStore() {
        EventStore store = store(100, Duration.ofMinutes(30));
        store.record(notReady("web-1", 0));
        store.record(notReady("web-2", 10 * 60));
        assertEquals(0, store.compact(T0.plus(Duration.ofMinutes(30))), "an event exactly maxAge old stays");
        assertEquals(1, store.compact(T0.plus(Duration.ofMinutes(31))));
        assertEquals(List.of("web-2"), all(store).stream().map(e -> e.involvedObject().name()).toList());
        assertEquals(1, store.compact(T0.plus(Duration.ofHours(5))));
        assertEquals(List.of(), all(store));
    }

    @Test
    void aDroppedEventNoLongerTakesFolds() {
        EventStore store = store(1, Duration.ofHours(1));
        Event a = store.record(notReady("web-1", 0));
        store.record(notReady("web-2", 1));
        Event again = store.record(notReady("web-1", 2));
        assertEquals(1, again.count(), "a repeat of an event that retention dropped is a new record");
        assertNotEquals(a.name(), again.name());
    }

    // ---------------------------------------------------------------- list filters

    @Test
    void listFiltersByObjectKindAndSinceAndLimitsToTheNewest() {
        EventStore store = store();
        store.record(notReady("web-1", 0));
        store.record(notReady("web-2", 10));
        Event p = store.record(Event.builder().normal().reason("ProjectScheduled").project("web-1")
                .message("scheduled to node \"web-2\"").at(T0.plusSeconds(20)).build());
        store.record(event("web-1", "node is Ready", 30));

        assertEquals(List.of("node is NotReady: no heartbeat", "node is Ready"),
                store.list(EventFilter.about(InvolvedObject.node("web-1"))).events().stream().map(Event::message).toList());
        assertEquals(List.of(p), store.list(EventFilter.about(InvolvedObject.project("web-1"))).events(),
                "a node and a project of the same name are different objects");
        assertEquals(3, store.list(EventFilter.all().withKind(InvolvedObject.Kind.NODE)).events().size());
        assertEquals(List.of("web-2", "web-1", "web-1"), store.list(EventFilter.all().withSince(T0.plusSeconds(10))).events()
                .stream().map(e -> e.involvedObject().name()).toList(), "since is inclusive, on lastTimestamp");
        List<Event> newest = store.list(EventFilter.all().withLimit(2)).events();
        assertEquals(List.of(p.message(), "node is Ready"), newest.stream().map(Event::message).toList(),
                "a limit keeps the newest, newest last");
        assertEquals(store.revision(), store.list(EventFilter.all()).revision(), "a list carries the revision it was read at");
    }

    // ---------------------------------------------------------------- change feed

    @Test
    void theFeedHasEveryWriteInOrderAddedThenModified() {
        EventStore store = store();
        assertEquals(0, store.revision());
        Event a = store.record(notReady("web-1", 0));
        Event b = store.record(notReady("web-2", 0));
        Event a2 = store.record(notReady("web-1", 5));
        List<EventChange> feed = store.changesSince(0, 100);
        assertEquals(List.of(Change.Type.ADDED, Change.Type.ADDED, Change.Type.MODIFIED), feed.stream().map(EventChange::type).toList());
        assertEquals(List.of(a, b, a2), feed.stream().map(EventChange::event).toList());
        Set<Long> seen = new HashSet<>();
        long last = 0;
        for (EventChange c : feed) {
            assertTrue(c.revision() > last, "revisions strictly increase: " + feed);
            assertEquals(Long.toString(c.revision()), c.event().metadata().resourceVersion(),
                    "an event's resourceVersion is the revision of its last write");
            last = c.revision();
            seen.add(c.revision());
        }
        assertEquals(store.revision(), last);
        assertEquals(feed.subList(1, 3), store.changesSince(feed.get(0).revision(), 100), "the feed pages from a revision");
        assertEquals(feed.subList(0, 1), store.changesSince(0, 1), "and honours the limit");
        assertEquals(List.of(), store.changesSince(store.revision(), 100));
        assertThrows(HistoryGoneException.class, () -> store.changesSince(store.revision() + 10, 100),
                "a revision this store never reached is gone, not silently empty");
        assertEquals(3, seen.size());
    }

    @Test
    void retentionDropsWithoutAFeedEntry() {
        EventStore store = store(1, Duration.ofHours(1));
        store.record(notReady("web-1", 0));
        long before = store.revision();
        store.record(notReady("web-2", 1));
        List<EventChange> feed = store.changesSince(before, 100);
        assertEquals(1, feed.size(), "dropping web-1 for retention makes no entry: " + feed);
        assertEquals(Change.Type.ADDED, feed.get(0).type());
        Instant t = all(store).get(0).lastTimestamp();
        assertEquals(T0.plusSeconds(1), t);
    }
}
