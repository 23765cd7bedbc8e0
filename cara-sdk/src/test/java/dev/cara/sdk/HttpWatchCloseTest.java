package dev.cara.sdk;

import dev.cara.sdk.spi.HttpTransport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Watch.close()} returns only after {@code onClose} has run, once: a caller may check what the
 * callback recorded as soon as close returns (ApiIT once saw the list still empty).
 */
class HttpWatchCloseTest {

    /**
     * The reader thread's read fails as soon as the stream is closed, and here closing the stream
     * waits until that thread has finished: the order in which the race went wrong, made certain.
     * Before the fix the reader thread then claimed the report and called onClose itself, on its own
     * thread; now close() claims it before touching the stream.
     */
    @Test
    void closeReportsClosedOnTheCallersThreadBeforeItReturns() throws Exception {
        BlockingBody body = new BlockingBody();
        HttpTransport transport = new StreamOnlyTransport(body);
        List<String> reasons = new CopyOnWriteArrayList<>();
        List<Thread> reportedOn = new CopyOnWriteArrayList<>();
        try (CaraClient client = CaraClient.httpBuilder().baseUrl("http://127.0.0.1:1").transport(settings -> transport).build()) {
            Watch watch = client.watch(LabelSelector.everything(), event -> { }, reason -> {
                reasons.add(reason);
                reportedOn.add(Thread.currentThread());
            });
            assertTrue(body.readerWaiting.await(10, TimeUnit.SECONDS), "the watch's reader never read its stream");
            watch.close();
            assertEquals(List.of("closed"), reasons);
            assertEquals(List.of(Thread.currentThread()), reportedOn);
            assertFalse(watch.isOpen());
            watch.close(); // a second close reports nothing more
            assertEquals(List.of("closed"), reasons);
        }
    }

    /** A watch body that sends nothing; closing it fails the blocked read and waits for the reader to end. */
    private static final class BlockingBody extends InputStream {
        final CountDownLatch readerWaiting = new CountDownLatch(1);
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile Thread reader;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reader = Thread.currentThread();
            readerWaiting.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("stream closed");
        }

        @Override
        public void close() {
            closed.countDown();
            Thread t = reader;
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Answers the one watch request with the given body; any other call is a test error. */
    private record StreamOnlyTransport(InputStream body) implements HttpTransport {
        @Override
        public Answer exchange(String method, URI uri, String jsonBody) {
            throw new AssertionError("unexpected " + method + " " + uri);
        }

        @Override
        public Streamed stream(URI uri) {
            return new Streamed(200, "application/x-ndjson", body);
        }

        @Override
        public void close() {
        }
    }
}
