package dev.cara.sdk.spi;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One shared instance per distinct immutable value that many nodes hold alike: a fleet runs a few
 * machine shapes and releases, so 100,000 nodes report a handful of distinct capacities, node infos,
 * label sets and condition reasons. Holding each once instead of once per node (and once per status
 * version in a store's change history) is much of what keeps a large fleet's heap small.
 *
 * <p>Call it where a value is adopted (a registration, a heartbeat that changed a field, a record
 * read from disk), not on every read: a lookup hashes the value and takes the lock of one of
 * {@value #STRIPES} stripes, chosen by that hash, so concurrent heartbeats adopting different values
 * (100,000 nodes' first heartbeats arrive within seconds of each other) rarely wait for one another,
 * where one lock for the whole pool made them queue. Values a fleet does not share (names,
 * addresses) gain nothing here and should not be passed. The pool holds its values weakly: a value
 * no node holds any more is dropped by the garbage collector, so it is bounded by what is live.
 *
 * <p>Thread-safe. Only immutable values whose {@code equals} means interchangeable may be passed.
 */
public final class Canonical {
    /** How many independently locked parts the pool has: a power of two. */
    static final int STRIPES = 64;

    // Each stripe maps a value to a weak reference to the same value: the map's weak keys alone would
    // not let a caller get the held instance back, and a strong value would keep its own key alive
    // forever. Equal values have equal hashes, so they always meet in the same stripe.
    @SuppressWarnings("unchecked") // an array of a generic type: every element is set below
    private static final Map<Object, WeakReference<Object>>[] POOL = new Map[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) {
            POOL[i] = new WeakHashMap<>();
        }
    }

    private Canonical() {
    }

    /**
     * The instance held for values equal to {@code value}, or {@code value} itself (now held) when
     * there is none; null for null.
     */
    @SuppressWarnings("unchecked") // the held instance is of value's class: checked below
    public static <T> T of(T value) {
        if (value == null) {
            return null;
        }
        int h = value.hashCode();
        Map<Object, WeakReference<Object>> stripe = POOL[(h ^ (h >>> 16)) & (STRIPES - 1)];
        synchronized (stripe) {
            WeakReference<Object> ref = stripe.get(value);
            Object held = ref == null ? null : ref.get();
            // Equal maps of different classes (a TreeMap and a HashMap) must not stand in for each other.
            if (held != null && held.getClass() == value.getClass()) {
                return (T) held;
            }
            stripe.put(value, new WeakReference<>(value));
            return value;
        }
    }
}
