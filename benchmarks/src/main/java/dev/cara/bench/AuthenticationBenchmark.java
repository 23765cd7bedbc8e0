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
