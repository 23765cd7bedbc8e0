package dev.cara.server;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectWatchEvent;
import dev.cara.sdk.Watch;
import dev.cara.sdk.WatchEvent;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves {@code GET /api/v1/nodes?watch=true} and {@code GET /api/v1/projects?watch=true}: newline-delimited JSON events,
 * {@code {"type":"ADDED|MODIFIED|DELETED","object":{...}}}, starting with an ADDED event for each
 * current node (project), fed by {@link ControlPlane#watch} ({@link dev.cara.sdk.ProjectControl#watch}). A stream with nothing to say for
 * {@code keepAlive} gets a blank line, which every NDJSON reader skips (the SDK's watch reader
 * does): without it a client that vanished quietly (a killed {@code caractrl get -w}, a host that
 * went away) on a quiet selector would hold its thread and its control-plane watch until shutdown,
 * because only a write finds out that the connection is gone. The first write after the peer closed
 * usually still lands in the kernel's buffer; the next one fails, so a dead client is let go within
 * about two intervals.
 *
 * <p><b>Threads.</b> The request's own (virtual) thread owns the response stream and writes every
 * event. The control plane's watch thread only puts events into a bounded queue; when the client
 * reads too slowly the queue fills, the watch thread blocks, and the control plane's own buffer
 * decides when the watch is too far behind and closes it. {@link #closeAll} (shutdown) puts an end
 * marker into every open stream's queue; {@code open} is a concurrent set.
 */
final class WatchStreams {
    private static final Logger LOG = Logger.getLogger(WatchStreams.class.getName());
    static final String MEDIA_TYPE = "application/x-ndjson";
    private static final int QUEUE = 1024;

    private static final byte[] KEEP_ALIVE = {'\n'};

    private final ControlPlane controlPlane;
    private final long keepAliveNanos;
    private final Set<BlockingQueue<Object>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    WatchStreams(ControlPlane controlPlane, Duration keepAlive) {
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("the watch keep-alive interval must be positive, got " + keepAlive);
        }
        this.controlPlane = controlPlane;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /** Why a stream ended. */
    private record End(String reason) {
    }

    /** A HEAD of a watch: the headers a stream would have, and no stream. */
    void head(ServerResponse res) {
        streamHeaders(res);
        res.send();
    }

    private static void streamHeaders(ServerResponse res) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
    }

    /** How a stream opens its control-plane watch: events go to the first consumer, the end's reason to the second. */
    @FunctionalInterface
    interface Opener<E> {
        Watch open(Consumer<E> events, Consumer<String> onClose);
    }

    void stream(LabelSelector selector, ServerRequest req, ServerResponse res) {
        this.<WatchEvent>stream(req, res, NodesApi.NODES, (events, onClose) -> controlPlane.watch(selector, events, onClose), CaraJson::toJson);
    }

    /** {@code GET /api/v1/projects?watch=true}: the same stream over the control plane's project watch. */
    void streamProjects(ProjectFilter filter, ServerRequest req, ServerResponse res) {
        this.<ProjectWatchEvent>stream(req, res, ProjectsApi.PROJECTS, (events, onClose) -> controlPlane.projects().watch(filter, events, onClose),
                CaraJson::toJson);
    }

    /** Any other control-plane watch (the events API's): the same stream, its 503 naming the request's path. */
    <E> void stream(ServerRequest req, ServerResponse res, Opener<E> opener, Function<E, String> json) {
        stream(req, res, req.prologue().uriPath().rawPath(), opener, json);
    }

    private <E> void stream(ServerRequest req, ServerResponse res, String path, Opener<E> opener, Function<E, String> json) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        this.open.add(queue);
        if (closing) {
            // Shutdown started between routing and here: do not start a stream it will not end.
            open.remove(queue);
            HttpProblems.send(req, res, 503, "the server is shutting down", path);
            return;
        }
        Watch watch;
        try {
            watch = opener.open(event -> put(queue, event), reason -> offerEnd(queue, reason));
        } catch (RuntimeException e) {
            open.remove(queue);
            throw e;
        }
        streamHeaders(res);
        try (OutputStream out = res.outputStream()) {
            // The headers go out now, before any event: Helidon sends nothing on a flush with no content, so a
            // watch on a selector with no nodes would not even see its 200 until the first keep-alive.
            out.write(KEEP_ALIVE);
            out.flush();
            while (true) {
                Object next = queue.poll(keepAliveNanos, TimeUnit.NANOSECONDS);
                if (next == null) {
                    out.write(KEEP_ALIVE);
                    out.flush();
                    continue;
                }
                if (next instanceof End) {
                    break;
                }
                @SuppressWarnings("unchecked") // only the opener's events and End markers are ever queued
                E event = (E) next;
                out.write(json.apply(event).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.FINE, "a watch client went away", e);
        } catch (RuntimeException e) {
            // Helidon may wrap a write to a closed connection in an exception of its own; anything else is a bug.
            boolean io = false;
            for (Throwable t = e; t != null && !io; t = t.getCause() == t ? null : t.getCause()) {
                io = t instanceof IOException;
            }
            LOG.log(io ? Level.FINE : Level.WARNING, "a watch stream ended on a failed write", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watch.close();
            this.open.remove(queue);
        }
    }

    private static void put(BlockingQueue<Object> queue, Object event) {
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void offerEnd(BlockingQueue<Object> queue, String reason) {
        // Make room if needed: the end matters more than events the client will not read anyway.
        while (!queue.offer(new End(reason))) {
            queue.poll();
        }
    }

    /** Ends every open stream cleanly (the response finishes), for a graceful shutdown. */
    void closeAll() {
        closing = true;
        for (BlockingQueue<Object> q : open) {
            offerEnd(q, "the server is shutting down");
        }
    }

    /** Open streams; each holds one control-plane watch until its finally block closes it. */
    int openCount() {
        return open.size();
    }
}
