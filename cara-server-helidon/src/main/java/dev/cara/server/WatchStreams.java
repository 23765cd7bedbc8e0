package dev.cara.server;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.LabelSelector;
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
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves {@code GET /api/v1/nodes?watch=true}: newline-delimited JSON events,
 * {@code {"type":"ADDED|MODIFIED|DELETED","object":{...}}}, starting with an ADDED event for each
 * current node, fed by {@link ControlPlane#watch}.
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

    private final ControlPlane controlPlane;
    private final Set<BlockingQueue<Object>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    WatchStreams(ControlPlane controlPlane) {
        this.controlPlane = controlPlane;
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

    void stream(LabelSelector selector, ServerRequest req, ServerResponse res) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        open.add(queue);
        if (closing) {
            // Shutdown started between routing and here: do not start a stream it will not end.
            open.remove(queue);
            HttpProblems.send(req, res, 503, "the server is shutting down", NodesApi.NODES);
            return;
        }
        Watch watch = controlPlane.watch(selector, event -> put(queue, event), reason -> offerEnd(queue, reason));
        streamHeaders(res);
        try (OutputStream out = res.outputStream()) {
            out.flush(); // the headers go out now, before any event
            while (true) {
                Object next = queue.take();
                if (next instanceof End) {
                    break;
                }
                out.write(CaraJson.toJson((WatchEvent) next).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.FINE, "a watch client went away", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watch.close();
            open.remove(queue);
        }
    }

    private static void put(BlockingQueue<Object> queue, WatchEvent event) {
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

    int openCount() {
        return open.size();
    }
}
