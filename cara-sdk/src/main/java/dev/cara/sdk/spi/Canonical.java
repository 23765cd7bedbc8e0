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
 * read from disk), not on every read: a lookup takes a lock. Values a fleet does not share (names,
 * addresses) gain nothing here and should not be passed. The pool holds its values weakly: a value
 * no node holds any more is dropped by the garbage collector.
 *
 * <p>Thread-safe. Only immutable values whose {@code equals} means interchangeable may be passed.
 */
public final class Canonical {
    // Value -> a weak reference to the same value: the map's weak keys alone would not let a caller
    // get the held instance back, and a strong value would keep its own key alive forever.
    private static final Map<Object, WeakReference<Object>> POOL = new WeakHashMap<>();

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
        synchronized (POOL) {
            WeakReference<Object> ref = POOL.get(value);
            Object held = ref == null ? null : ref.get();
            // Equal maps of different classes (a TreeMap and a HashMap) must not stand in for each other.
            if (held != null && held.getClass() == value.getClass()) {
                return (T) held;
            }
            POOL.put(value, new WeakReference<>(value));
            return value;
        }
    }
}
