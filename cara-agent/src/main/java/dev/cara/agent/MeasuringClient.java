package dev.cara.agent;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectStatusReport;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.UnavailableException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link CaraClient} that counts and times the calls the simulator's hollow agents make: successes,
 * errors by kind, and latency. It also bounds the calls in flight, so that a stalled server cannot
 * make the simulator open one connection per hollow agent; the latency it records includes any wait
 * for that bound, so a queue on our side shows up in the figures instead of hiding.
 *
 * <p>Thread-safe: counters are adders; latencies go into HdrHistogram {@link Recorder}s, which any
 * thread records into without a lock. Each recorder is read by one reader at a time: the run's totals
 * under this object's lock (they accumulate what each read takes out), the progress window by the
 * simulator's timer thread.
 */
final class MeasuringClient extends ForwardingClient {
    private final Ticker ticker;
    private final Semaphore inFlightLimit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean ended;
    /** The ticker's reading when the latest registration (new or found) came back. */
    private final LongAccumulator lastRegistration = new LongAccumulator(Math::max, Long.MIN_VALUE);

    final LongAdder registered = new LongAdder();
    final LongAdder alreadyRegistered = new LongAdder();
    final LongAdder heartbeats = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> projectReports = new ConcurrentHashMap<>();
    /** Two significant digits: under 1% error, and a fixed footprint however many millions are recorded. */
    private static final int DIGITS = 2;
    private final Recorder registerRecorder = new Recorder(DIGITS);
    private final Recorder heartbeatRecorder = new Recorder(DIGITS);
    /** Heartbeat latency since the last progress line; read by {@link #takeWindow()}. */
    private final Recorder window = new Recorder(DIGITS);
    /** What the recorders above have handed out so far; guarded by {@code this}. */
    private final Histogram registerTotal = new Histogram(DIGITS);
    private final Histogram heartbeatTotal = new Histogram(DIGITS);

    MeasuringClient(CaraClient delegate, Ticker ticker, int maxInFlight) {
        super(delegate);
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.inFlightLimit = new Semaphore(maxInFlight);
    }

    @Override
    public Node register(Node manifest) {
        long start = ticker.read();
        acquire();
        try {
            Node node = delegate.register(manifest);
            registered.increment();
            lastRegistration.accumulate(ticker.read());
            return node;
        } catch (AlreadyExistsException e) {
            alreadyRegistered.increment(); // normal: an earlier run registered it
            lastRegistration.accumulate(ticker.read());
            throw e;
        } catch (RuntimeException e) {
            error("register", e);
            throw e;
        } finally {
            release();
            registerRecorder.recordValue(Math.max(0, ticker.read() - start));
        }
    }

    @Override
    public void heartbeat(String name, HeartbeatReport report) {
        long start = ticker.read();
        acquire();
        boolean ok = false;
        try {
            delegate.heartbeat(name, report);
            ok = true;
        } catch (RuntimeException e) {
            error("heartbeat", e);
            throw e;
        } finally {
            release();
            if (ok) {
                long nanos = Math.max(0, ticker.read() - start);
                heartbeats.increment();
                heartbeatRecorder.recordValue(nanos);
                window.recordValue(nanos);
            }
        }
    }

    private void acquire() {
        inFlightLimit.acquireUninterruptibly();
        if (ended) {
            inFlightLimit.release(); // wakes the next waiter, which gives up too
            throw new UnavailableException("the simulation has ended");
        }
        inFlight.incrementAndGet();
    }

    /** The run is over: calls waiting for a permit, and later ones, fail at once without being counted. */
    void end() {
        ended = true;
        inFlightLimit.release(); // the first waiter wakes, gives up and passes the permit on
    }

    private void release() {
        inFlight.decrementAndGet();
        inFlightLimit.release();
    }

    private void error(String call, RuntimeException e) {
        errors.computeIfAbsent(call + ": " + kind(e), k -> new LongAdder()).increment();
    }

    /** A short name for what went wrong, with the cause's type for transport errors (timeout, refused). */
    static String kind(RuntimeException e) {
        String base = e instanceof NotFoundException ? "not found (404)"
                : e instanceof InvalidException ? "invalid (400)"
                : e instanceof ConflictException ? "conflict (409)"
                : e instanceof UnavailableException ? "unavailable"
                : e instanceof CaraException ? "server error"
                : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        return cause == null ? base : base + " (" + cause.getClass().getSimpleName() + ")";
    }

    boolean ended() {
        return ended;
    }

    /** When the latest registration came back (ticker nanoseconds); {@code Long.MIN_VALUE} before any. */
    long lastRegistrationAt() {
        return lastRegistration.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Errors by kind, sorted. */
    Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The heartbeat latencies since the last call (nanoseconds); the next call starts afresh. Timer thread. */
    Histogram takeWindow() {
        return window.getIntervalHistogram();
    }

    /** Every accepted heartbeat's latency so far, in nanoseconds. */
    synchronized Histogram heartbeatLatency() {
        heartbeatTotal.add(heartbeatRecorder.getIntervalHistogram());
        return heartbeatTotal.copy();
    }

    /** Every registration's latency so far, in nanoseconds. */
    synchronized Histogram registerLatency() {
        registerTotal.add(registerRecorder.getIntervalHistogram());
        return registerTotal.copy();
    }

    /**
     * Counted by the phase reported, not timed: the project reports are few beside the heartbeats, and
     * their latency is not what the simulator measures.
     */
    @Override
    public Project reportProjectStatus(String name, ProjectStatusReport report) {
        try {
            Project answer = delegate.reportProjectStatus(name, report);
            projectReports.computeIfAbsent(report.phase().wireName(), k -> new LongAdder()).increment();
            return answer;
        } catch (RuntimeException e) {
            error("project status", e);
            throw e;
        }
    }

    /** The project reports the server took, by phase (Running, Failed, Terminated), sorted. */
    Map<String, Long> projectReports() {
        Map<String, Long> out = new TreeMap<>();
        projectReports.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
