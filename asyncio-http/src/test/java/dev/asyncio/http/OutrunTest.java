package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;

import java.nio.charset.StandardCharsets;

import static dev.asyncio.http.TestServer.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits that data must not outrun: the total time limit and {@code maxBodySize} hold whatever the server does,
 * including a server that never pauses and a small gzip body that inflates to gigabytes; and a reader that keeps
 * finding bytes here still lets the loop's other tasks run.
 */
class OutrunTest {
    private static final ClientTimeout HALF_A_SECOND = ClientTimeout.DEFAULT.withTotal(0.5);

    /** Reads the body piece by piece until it fails; returns the failure, having counted the bytes it got. */
    private static RuntimeException readUntilItFails(HttpResponse r, long[] got) {
        return assertThrows(RuntimeException.class, () -> {
            for (byte[] chunk : r.chunks()) {
                got[0] += chunk.length;
            }
        });
    }

    /** Waits, without moving the loop's clock, until the whole (compressed) body has come off the wire. */
    private static void untilTheWholeBodyIsHere(HttpResponse r) {
        while (!r.exchange().complete()) {
            Asyncio.sleep(0);
        }
    }

    // ------------------------------------------------------------- the total limit, on real time

    @AsyncTest(realTime = true, timeout = 20)
    void anEndlessBodyWithNoPauseAtAllEndsAtTheDeadline() throws Exception {
        try (FloodServer server = FloodServer.chunked(new byte[16 << 10], 0);
             HttpClient client = HttpClient.builder().timeout(HALF_A_SECOND).build()) {
            HttpResponse r = client.get(server.url("/endless"));
            long[] got = {0};
            RuntimeException e = readUntilItFails(r, got);
            assertTrue(e instanceof TotalTimeoutError, e.toString());
            assertEquals("GET " + server.url("/endless") + ": the request took longer than its total time limit of 0.500 s",
                    e.getMessage());
            assertTrue(got[0] > 0, "bytes came before the deadline");
            assertEquals(0, client.openConnections(), "the connection was closed");
            r.close();
        }
    }

    @AsyncTest(realTime = true, timeout = 20)
    void anEndlessChunkedBodyWithTinyPausesEndsAtTheDeadline() throws Exception {
        try (FloodServer server = FloodServer.chunked("tick;".getBytes(StandardCharsets.US_ASCII), 1);
             HttpClient client = HttpClient.builder().timeout(HALF_A_SECOND).build();
             HttpResponse r = client.get(server.url("/drip"))) {
            RuntimeException e = readUntilItFails(r, new long[1]);
            assertTrue(e instanceof TotalTimeoutError, e.toString());
            assertEquals(0, client.openConnections());
        }
    }

    @AsyncTest(realTime = true, timeout = 20)
    void anEndlessBodyReadWithAPausePerChunkEndsAtTheDeadline() throws Exception {
        // The reader is slower than the server: every read finds bytes waiting, none ever has to wait for any.
        try (FloodServer server = FloodServer.chunked(new byte[1024], 0);
             HttpClient client = HttpClient.builder().timeout(HALF_A_SECOND).build();
             HttpResponse r = client.get(server.url("/endless"))) {
            TotalTimeoutError e = assertThrows(TotalTimeoutError.class, () -> {
                for (byte[] chunk : r.chunks()) {
                    Asyncio.sleep(0.001);
                }
            });
            assertTrue(e.getMessage().endsWith("total time limit of 0.500 s"), e.getMessage());
            assertEquals(0, client.openConnections());
        }
    }

    @AsyncTest(realTime = true, timeout = 20)
    void anEndlessGzipBombEndsAtTheDeadline() throws Exception {
        // 64 MiB of zeros in 64 KiB of gzip, sent again and again as fast as the socket takes it.
        try (FloodServer server = FloodServer.gzipBomb(64);
             HttpClient client = HttpClient.builder().timeout(HALF_A_SECOND).build();
             HttpResponse r = client.get(server.url("/bomb"))) {
            long[] got = {0};
            RuntimeException e = readUntilItFails(r, got);
            assertTrue(e instanceof TotalTimeoutError, e.toString());
            assertTrue(got[0] > 0, "bytes were inflated before the deadline");
            assertEquals(0, client.openConnections());
        }
    }

    @AsyncTest(realTime = true, timeout = 20)
    void aServerThatSendsEndlessInformationalResponsesEndsAtTheDeadline() throws Exception {
        byte[] hint = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (FloodServer server = FloodServer.raw("", out -> out.write(hint));
             HttpClient client = HttpClient.builder().timeout(HALF_A_SECOND).build()) {
            TotalTimeoutError e = assertThrows(TotalTimeoutError.class, () -> client.get(server.url("/hints")));
            assertTrue(e.getMessage().endsWith("total time limit of 0.500 s"), e.getMessage());
            assertEquals(0, client.openConnections());
        }
    }

    // ------------------------------------------------------------- the total limit, on virtual time

    @AsyncTest
    void bytesAlreadyHereAreNotHandedOutPastTheDeadline(AsyncLoop loop) throws Exception {
        byte[] bomb = FloodServer.gzipOfZeros(64);             // 64 KiB of gzip, 64 MiB inflated
        serving((req, reply) -> reply.header("Content-Encoding", "gzip").send(bomb), server -> {
            try (HttpClient client = HttpClient.builder().readBufferSize(1 << 20)
                    .timeout(ClientTimeout.DEFAULT.withTotal(2)).build()) {
                double start = loop.time();
                HttpResponse r = client.get(server.url("/bomb"));
                untilTheWholeBodyIsHere(r);
                int reads = 0;
                TotalTimeoutError e = null;
                while (reads < 1000) {
                    try {
                        r.read(64 << 10);
                    } catch (TotalTimeoutError timedOut) {
                        e = timedOut;
                        break;
                    }
                    reads++;
                    Asyncio.sleep(0.5);                         // the reader is slow; the bytes are all here
                }
                assertTrue(e != null, reads + " reads of 64 KiB, " + (loop.time() - start) + " s into a 2 s limit");
                assertEquals(4, reads, "at 0, 0.5, 1 and 1.5 s; the read at 2 s is too late");
                assertEquals(start + 2, loop.time());
                assertTrue(r.connection().closed(), "the connection was closed");
                assertThrows(TotalTimeoutError.class, () -> r.read(1), "and stays failed");
                r.close();
            }
        });
    }

    @AsyncTest
    void aSlowReaderOfAServerThatNeverPausesStopsAtTheDeadline(AsyncLoop loop) throws Exception {
        serving((req, reply) -> {
            reply.startChunked();
            byte[] piece = new byte[1024];
            while (true) {
                reply.chunk(piece);                             // suspends only while the socket is full
            }
        }, server -> {
            try (HttpClient client = HttpClient.builder().timeout(ClientTimeout.DEFAULT.withTotal(2)).build()) {
                double start = loop.time();
                HttpResponse r = client.get(server.url("/endless"));
                TotalTimeoutError e = null;
                long got = 0;
                while (loop.time() - start < 10) {
                    try {
                        got += r.read(1024).length;
                    } catch (TotalTimeoutError timedOut) {
                        e = timedOut;
                        break;
                    }
                    Asyncio.sleep(0.01);
                }
                assertTrue(e != null, got + " bytes read in " + (loop.time() - start) + " s with a 2 s limit");
                assertTrue(loop.time() >= start + 2, "not before the deadline");
                assertTrue(got > 0);
                r.close();
                assertEquals(0, client.openConnections());
            }
        });
    }

    // ------------------------------------------------------------- sharing the loop

    /**
     * Another task that is always ready to run, and counts the turns the loop gives it; {@link #count} measures
     * how much the test's task got done between two of them.
     */
    private static final class Ticker {
        int turns;
        /** The most counted between two turns of this task. */
        long mostInARow;
        private int seen;
        private long inARow;
        private boolean done;
        private final Task<Void> task;

        /** Starts it, and lets it take its first turn. Suspends the current task once. */
        Ticker() {
            task = Asyncio.createTask(() -> {
                while (!done) {
                    turns++;
                    Asyncio.sleep(0);
                }
            });
            Asyncio.sleep(0);
            seen = turns;
        }

        /** Counts {@code n} more units of work done by the caller since this task's last turn. */
        void count(long n) {
            inARow = turns == seen ? inARow + n : n;
            seen = turns;
            mostInARow = Math.max(mostInARow, inARow);
        }

        /** Stops it; suspends the current task until it has ended. */
        void stop() {
            done = true;
            task.await();
        }
    }

    @AsyncTest
    void aReaderThatNeverWaitsForBytesStillLetsOtherTasksRun() throws Exception {
        byte[] bomb = FloodServer.gzipOfZeros(16);
        serving((req, reply) -> reply.header("Content-Encoding", "gzip").send(bomb), server -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/bomb"))) {
                untilTheWholeBodyIsHere(r);
                Ticker ticker = new Ticker();
                long total = 0;
                for (byte[] chunk : r.chunks()) {
                    ticker.count(chunk.length);
                    total += chunk.length;
                }
                ticker.stop();
                long most = ticker.mostInARow;
                assertEquals(16 << 20, total);
                // It lets the others run before the read that would take it past SHARE_AFTER_BYTES: at most
                // that and one read buffer (64 KiB) in a row.
                assertTrue(most <= HttpExchange.SHARE_AFTER_BYTES + (64 << 10), "the reader got " + most
                        + " bytes in a row while another task was ready to run");
                assertTrue(ticker.turns >= 16, ticker.turns + " turns of the other task for 16 MiB read");
            }
        });
    }

    @AsyncTest
    void manySmallReadsOfBytesAlreadyHereStillLetOtherTasksRun() throws Exception {
        serving((req, reply) -> reply.send(new byte[32 << 10]), server -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/small"))) {
                untilTheWholeBodyIsHere(r);
                Ticker ticker = new Ticker();
                int reads = 0;
                while (r.read(16).length > 0) {
                    reads++;
                    ticker.count(1);
                }
                ticker.stop();
                assertTrue(reads >= 2048, reads + " reads");        // more where a piece that came ends mid-read
                assertEquals(HttpExchange.SHARE_AFTER_READS, ticker.mostInARow, "reads in a row while another task was ready");
            }
        });
    }

    // ------------------------------------------------------------- maxBodySize, read piece by piece

    @AsyncTest
    void maxBodySizeStopsABodyReadPieceByPiece() throws Exception {
        serving((req, reply) -> reply.send(new byte[1 << 20]), server -> {
            try (HttpClient client = HttpClient.builder().maxBodySize(100_000).build();
                 HttpResponse r = client.get(server.url("/big"))) {
                long[] got = {0};
                RuntimeException e = readUntilItFails(r, got);
                assertTrue(e instanceof BodyTooLargeError, e.toString());
                assertEquals("GET " + server.url("/big") + ": the body is longer than 100000 bytes, the client's "
                        + "maxBodySize", e.getMessage());
                assertTrue(got[0] <= 100_000, got[0] + " bytes handed out");
                assertTrue(r.isClosed());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void maxBodySizeCountsInflatedBytesWhenABodyIsReadPieceByPiece() throws Exception {
        // 128 MiB of zeros: about 128 KiB compressed, twice the read buffer, so that the body cannot have come
        // whole by the time the reader gives up (with 64 MiB, about 65 KiB, it could, and then the connection
        // went back to the pool: this test's closing check depended on how fast the socket was read).
        byte[] bomb = FloodServer.gzipOfZeros(128);
        serving((req, reply) -> reply.header("Content-Encoding", "gzip").send(bomb), server -> {
            try (HttpClient client = HttpClient.builder().maxBodySize(1 << 20).build();
                 HttpResponse r = client.get(server.url("/bomb"))) {
                long[] got = {0};
                RuntimeException e = readUntilItFails(r, got);
                assertTrue(e instanceof BodyTooLargeError, e.toString());
                assertTrue(e.getMessage().endsWith("the body is longer than 1048576 bytes, the client's maxBodySize "
                        + "(counted decompressed)"), e.getMessage());
                assertEquals(1 << 20, got[0], "up to the limit, read buffer by read buffer");
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void maxBodySizeDoesNotCountTheBodyOfARedirect() throws Exception {
        serving((req, reply) -> {
            if (req.uri().equals("/start")) {
                reply.status(302).header("Location", "/next").send("moved; ".repeat(100));
            } else {
                reply.send("here");
            }
        }, server -> {
            try (HttpClient client = HttpClient.builder().maxBodySize(10).build();
                 HttpResponse r = client.get(server.url("/start"))) {
                assertEquals("here", r.text(), "the 700 bytes of the 302 were drained, not read by the application");
                assertEquals(1, server.accepted(), "and the connection was kept for the next request");
            }
        });
    }

    @AsyncTest
    void withoutMaxBodySizeABodyReadPieceByPieceHasNoLimit() throws Exception {
        serving((req, reply) -> reply.send(new byte[3 << 20]), server -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/big"))) {
                long total = 0;
                for (byte[] chunk : r.chunks()) {
                    total += chunk.length;
                }
                assertEquals(3 << 20, total);
            }
        });
    }
}
