package dev.cara.bench;

import dev.cara.sdk.Access;
import dev.cara.sdk.AuthenticationCache;
import dev.cara.sdk.Authorizer;
import dev.cara.sdk.FailureLimiter;
import dev.cara.sdk.Resource;
import dev.cara.sdk.Role;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.Tokens;
import dev.cara.sdk.Verb;
import dev.cara.sdk.spi.Authenticator;
import dev.cara.sdk.spi.Authenticator.Credentials;
import dev.cara.sdk.spi.MemoryStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Level;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the server's security filter asks of the SDK on every heartbeat with tokens on, per call: the
 * failure limiter's look-up of the caller's address, the {@link AuthenticationCache} (a hit, and a
 * revalidation: what each credential costs once a second, when its entry is older than
 * {@link AuthenticationCache#MAX_AGE}), and the authorizer's decision that a node credential may
 * heartbeat its own node. {@code check} is the sum a heartbeat pays when its entry is fresh. Each
 * call presents the next of {@code tokens} node credentials as a fresh string, as Helidon hands the
 * header to the filter (so no cached hash code flatters a string-keyed map).
 *
 * <p>On a loaded machine the JMH times swing by several times; {@link #main} measures the same calls
 * by this thread's CPU time instead, which other processes hardly move:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.cara.bench.AuthenticationBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthenticationBenchmark extends StandardRun {
    @Param({"1000"})
    public int tokens;

    private MemoryStore store;
    private String[] headers;
    private String[] nodes;
    private AuthenticationCache fresh;
    private AuthenticationCache stale;
    private final FailureLimiter limiter = FailureLimiter.standard(Ticker.system());
    private final Authorizer authorizer = Authorizer.standard();

    @Setup(Level.Trial)
    public void setUp() {
        store = MemoryStore.create();
        Tokens issuer = Tokens.over(store.tokens(), Clock.systemUTC());
        headers = new String[tokens];
        nodes = new String[tokens];
        for (int i = 0; i < tokens; i++) {
            nodes[i] = "bench-" + i;
            headers[i] = "Bearer " + issuer.issue(Role.NODE, nodes[i], "", Optional.empty()).token();
        }
        Authenticator standard = Authenticator.tokens(store.tokens(), Clock.systemUTC());
        fresh = AuthenticationCache.over(standard, () -> 0L); // time stands still: every call a hit
        long[] now = {0};
        // Each reading is a second later than the last: every entry is too old, every call asks the store.
        stale = AuthenticationCache.over(standard, () -> now[0] += AuthenticationCache.MAX_AGE.toNanos());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    /** Each JMH thread's place in the rotation. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int advance(int n) {
            int i = next;
            next = i + 1 == n ? 0 : i + 1;
            return i;
        }
    }

    private Credentials credentials(int i) {
        return Credentials.of(new String(headers[i]), null);
    }

    /** CPU nanoseconds per call of each benchmark, single-threaded, after a warm-up; use -prof gc for the allocation. */
    public static void main(String[] args) {
        AuthenticationBenchmark b = new AuthenticationBenchmark();
        b.tokens = 1000;
        b.setUp();
        Cursor cursor = new Cursor();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, java.util.function.IntSupplier> calls = new java.util.LinkedHashMap<>();
        calls.put("cacheHit", () -> b.cacheHit(cursor).hashCode());
        calls.put("check", () -> b.check(cursor).hashCode());
        calls.put("revalidation", () -> b.revalidation(cursor).hashCode());
        int sink = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up every call
            for (var call : calls.entrySet()) {
                int n = 1_000_000;
                long start = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    sink += call.getValue().getAsInt();
                }
                long ns = cpu.getCurrentThreadCpuTime() - start;
                if (round == 1) {
                    System.out.printf("%-14s %8.1f ns CPU per call%n", call.getKey(), (double) ns / n);
                }
            }
        }
        b.tearDown();
        System.out.println(sink == 42 ? "" : "(" + calls.size() + " calls measured)");
    }

    @Benchmark
    public Authenticator.Result cacheHit(Cursor cursor) {
        return fresh.authenticate(credentials(cursor.advance(tokens)));
    }

    @Benchmark
    public Authenticator.Result revalidation(Cursor cursor) {
        return stale.authenticate(credentials(cursor.advance(tokens)));
    }

    @Benchmark
    public Access check(Cursor cursor) {
        int i = cursor.advance(tokens);
        if (limiter.blockedFor("127.0.0.1").isPresent()) {
            throw new AssertionError("nothing failed");
        }
        Authenticator.Result result = fresh.authenticate(credentials(i));
        return authorizer.decide(((Authenticator.Authenticated) result).identity(), Verb.HEARTBEAT, Resource.node(nodes[i]));
    }
}
