package dev.cara.ctl;

/** TEMPORARY start-up markers (CARACTRL_T0 = epoch nanos at spawn). */
public final class Trace {
    private static final long T0 = t0();
    private static final StringBuilder SB = new StringBuilder();

    private static long t0() {
        String s = System.getenv("CARACTRL_T0");
        return s == null ? 0 : Long.parseLong(s);
    }

    public static void mark(String what) {
        if (T0 == 0) {
            return;
        }
        java.time.Instant now = java.time.Instant.now();
        long ns = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        SB.append(what).append(' ').append((ns - T0) / 100_000 / 10.0).append('\n');
    }

    static void dump() {
        if (T0 != 0) {
            System.err.print(SB);
        }
    }
}
