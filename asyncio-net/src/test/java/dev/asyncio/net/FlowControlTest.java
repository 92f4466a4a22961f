package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;

import static dev.asyncio.net.StreamsTest.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backpressure both ways: the reader's limit pauses the socket, drain() waits on Netty's water marks. */
class FlowControlTest {
    private static final int LIMIT = 16 * 1024;
    /** The most one Netty read hands over at once (its adaptive allocator's largest buffer). */
    private static final int MAX_READ = 64 * 1024;

    @AsyncTest
    void fastSenderToSlowReaderKeepsMemoryBoundedOnBothSides() throws Exception {
        int total = 4 << 20;
        int[] maxBuffered = {0};
        boolean[] sawPaused = {false};
        Future<Integer> received = new Future<>();
        serving((r, w) -> {
            int got = 0;
            while (true) {
                byte[] chunk = r.read(1024);
                if (chunk.length == 0) {
                    break;
                }
                got += chunk.length;
                maxBuffered[0] = Math.max(maxBuffered[0], r.buffered());
                sawPaused[0] |= !w.transport().isReading();
                Asyncio.sleep(0.001);                 // a slow consumer: 1 KiB per millisecond
            }
            received.setResult(got);
        }, ServerOptions.builder().limit(LIMIT).build(), server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                byte[] chunk = new byte[64 * 1024];
                long maxQueuedAfterDrain = 0;
                for (int sent = 0; sent < total; sent += chunk.length) {
                    c.writer().write(chunk);
                    c.writer().drain();
                    maxQueuedAfterDrain = Math.max(maxQueuedAfterDrain, c.writer().transport().getWriteBufferSize());
                }
                c.writer().writeEof();
                assertEquals(total, received.await());
                assertTrue(maxQueuedAfterDrain <= Transport.DEFAULT_HIGH_WATER,
                        "drain() returned with " + maxQueuedAfterDrain + " bytes queued");
            }
        });
        assertTrue(sawPaused[0], "the reader paused the socket while its buffer was over the limit");
        assertTrue(maxBuffered[0] <= 2 * LIMIT + MAX_READ,
                "the reader buffered " + maxBuffered[0] + " bytes, more than twice its limit plus one read");
    }

    @AsyncTest
    void readerPausesTheSocketOverTwiceItsLimitAndResumesBelowIt() throws Exception {
        Future<Void> letRead = new Future<>();
        Future<StreamWriter> serverSide = new Future<>();
        Future<Integer> received = new Future<>();
        serving((r, w) -> {
            serverSide.setResult(w);
            letRead.await();
            received.setResult(r.read(-1).length);
        }, ServerOptions.builder().limit(1024).build(), server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write(new byte[256 * 1024]);
                StreamWriter srv = serverSide.await();
                while (srv.transport().isReading()) {
                    Asyncio.sleep(0.001);
                }
                assertFalse(srv.transport().isReading(), "over 2 x 1 KiB buffered: reading is paused");
                letRead.setResult(null);
                c.writer().writeEof();
                assertEquals(256 * 1024, received.await());
            }
        });
    }

    @AsyncTest
    void cancellingServerTasksWithUnsentDataLeaksNothing() throws Exception {
        // When the tasks are cancelled, Netty buffers sit queued and unsent in every server writer (the
        // clients never read) and the readers are paused over their limit. The leak detector (PARANOID)
        // checks that closing the connections released every buffer.
        java.util.List<Task<Void>> handlers = new java.util.ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            handlers.add((Task<Void>) Asyncio.currentTask());
            while (true) {
                w.write(r.readExactly(1000));       // echo, but the clients never read: writers fill up
                Asyncio.sleep(0.001);
            }
        }, "127.0.0.1", 0, ServerOptions.builder().limit(4096).build());
        Task<Void> serving = Asyncio.createTask(server::serveForever);
        java.util.List<Connection> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().write(new byte[512 * 1024]);
            clients.add(c);
        }
        for (int i = 0; i < 50; i++) {
            Asyncio.sleep(0.001);
        }
        assertEquals(8, handlers.size());
        serving.cancel();
        assertThrows(CancelledError.class, serving::await);
        for (Task<Void> h : handlers) {
            assertTrue(h.cancelled(), h.toString());
        }
        for (Connection c : clients) {
            c.writer().transport().abort();
        }
        server.waitClosed();
    }

    @AsyncTest
    void drainSuspendsOverTheHighWaterMarkAndItsCancellationKeepsTheBytesQueued() throws Exception {
        Future<Void> letRead = new Future<>();
        Future<Integer> received = new Future<>();
        serving((r, w) -> {
            letRead.await();
            received.setResult(r.read(-1).length);
        }, ServerOptions.builder().limit(1024).build(), server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                int total = 8 << 20;                       // more than the kernel buffers hold
                c.writer().write(new byte[total]);
                Task<Void> draining = Asyncio.createTask(() -> c.writer().drain());
                for (int i = 0; i < 10; i++) {
                    Asyncio.sleep(0.001);
                }
                assertFalse(draining.done(), "drain() waits while the buffer is over the high-water mark");
                draining.cancel();
                assertThrows(CancelledError.class, draining::await);
                assertTrue(c.writer().transport().getWriteBufferSize() > 0, "the queued bytes are still queued");
                letRead.setResult(null);
                c.writer().drain();
                c.writer().writeEof();
                assertEquals(total, received.await(), "every byte arrives after the cancelled drain");
            }
        });
    }

    /**
     * Two tasks drain one writer; cancelling one must not cancel the other. StreamReaderProtocol keeps a
     * single drain future shared by every waiter (StreamReaderProtocol.java:150-169), and cancelling a task
     * cancels the future it awaits, so the second drain ends with a CancelledError it never asked for.
     * asyncio had the same bug (bpo-29930) and gives each waiter its own future since 3.12.
     */

    @AsyncTest
    void cancellingOneDrainLeavesTheOtherDrainWaiting() throws Exception {
        Future<Void> letRead = new Future<>();
        Future<Integer> received = new Future<>();
        StreamsTest.serving((r, w) -> {
            letRead.await();
            received.setResult(r.read(-1).length);
        }, ServerOptions.builder().limit(1024).build(), server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                int total = 8 << 20;                       // more than the kernel buffers hold
                c.writer().write(new byte[total]);
                Task<Void> first = Asyncio.createTask(() -> c.writer().drain());
                Task<Void> second = Asyncio.createTask(() -> c.writer().drain());
                for (int i = 0; i < 10; i++) {
                    Asyncio.sleep(0.001);
                }
                assertFalse(first.done());
                assertFalse(second.done());
                first.cancel();
                assertThrows(CancelledError.class, first::await);
                Asyncio.sleep(0.001);
                boolean secondCancelledToo = second.cancelled();
                letRead.setResult(null);                   // let everything finish before asserting
                if (!secondCancelledToo) {
                    second.await();
                }
                c.writer().drain();
                c.writer().writeEof();
                assertEquals(total, received.await());
                assertFalse(secondCancelledToo, "the second drain() was cancelled along with the first");
            }
        });
    }
}
