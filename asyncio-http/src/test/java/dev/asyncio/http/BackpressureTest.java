package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.test.AsyncTest;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static dev.asyncio.http.TestServer.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A response nobody reads stops the client reading the socket, so the server has to wait, compressed or not. */
class BackpressureTest {
    private static final int TOTAL = 64 << 20;
    private static final int PIECE = 64 << 10;

    @AsyncTest(realTime = true)
    void aSlowConsumerHoldsTheServerBackAndStillGetsEveryByte() throws Exception {
        long[] sent = {0};
        serving((req, reply) -> {
            reply.startWithLength(TOTAL);
            byte[] piece = new byte[PIECE];
            for (int i = 0; i < TOTAL / PIECE; i++) {
                piece[0] = (byte) i;
                reply.chunk(piece);             // suspends until the socket took it
                sent[0] += PIECE;
            }
        }, server -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/big"))) {
                long got = r.read(1000).length;
                Asyncio.sleep(0.5);
                long stalled = sent[0];
                assertTrue(stalled < TOTAL / 4, "the server got only as far as the socket buffers and the client's "
                        + "64 KiB let it, not " + stalled + " of " + TOTAL + " bytes");
                byte[] chunk;
                int pieces = 0;
                while ((chunk = r.read(PIECE)).length > 0) {
                    assertTrue(chunk.length <= PIECE);
                    got += chunk.length;
                    pieces++;
                }
                assertEquals(TOTAL, got);
                assertEquals(TOTAL, sent[0]);
                assertTrue(pieces >= TOTAL / PIECE, String.valueOf(pieces));
                assertTrue(r.isClosed());
                assertEquals(1, client.idleConnections(), "read to the end: back in the pool");
            }
        });
    }

    @AsyncTest(realTime = true)
    void aSlowConsumerOfACompressedBodyHoldsTheServerBackToo() throws Exception {
        // Stored deflate blocks: as many compressed bytes as plain ones, so that only the accounting of the
        // compressed bytes waiting to be inflated can stop the socket reads.
        ByteArrayOutputStream out = new ByteArrayOutputStream(TOTAL + (1 << 20));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, PIECE) {{ def.setLevel(Deflater.NO_COMPRESSION); }}) {
            gz.write(new byte[TOTAL]);
        }
        byte[] zipped = out.toByteArray();
        long[] sent = {0};
        serving((req, reply) -> {
            reply.header("Content-Encoding", "gzip").startWithLength(zipped.length);
            for (int at = 0; at < zipped.length; at += PIECE) {
                reply.chunk(Arrays.copyOfRange(zipped, at, Math.min(zipped.length, at + PIECE)));
                sent[0] = Math.min(zipped.length, at + PIECE);
            }
        }, server -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/big.gz"))) {
                long got = r.read(1000).length;
                Asyncio.sleep(0.5);
                long stalled = sent[0];
                assertTrue(stalled < zipped.length / 4, "the server got only as far as the socket buffers and the "
                        + "client's 64 KiB let it, not " + stalled + " of " + zipped.length + " compressed bytes");
                byte[] chunk;
                while ((chunk = r.read(PIECE)).length > 0) {
                    got += chunk.length;
                }
                assertEquals(TOTAL, got);
                assertEquals(zipped.length, sent[0]);
                assertEquals(1, client.idleConnections(), "read to the end: back in the pool");
            }
        });
    }
}
