package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

import static dev.asyncio.net.StreamsTest.b;
import static dev.asyncio.net.StreamsTest.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * StreamReader fed with pooled Netty buffers, as the transport feeds it: the reader owns each chunk it is
 * given and releases it once read, on {@code setException}, and when its connection is lost; the zero-copy
 * pair {@code readBuf}/{@code readExactlyBuf} and {@code StreamWriter.write(ByteBuf)} hand ownership over.
 * The leak detector (PARANOID in tests) fails any test that drops a buffer unreleased.
 */
class StreamReaderBuffersTest {
    private final List<ByteBuf> fed = new ArrayList<>();

    /** A pooled direct chunk holding {@code text}, with room left after it, as a socket read leaves one. */
    private ByteBuf chunk(String text) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(text.length() + 16);
        buf.writeBytes(b(text));
        fed.add(buf);
        return buf;
    }

    private void assertAllReleased() {
        for (ByteBuf buf : fed) {
            assertEquals(0, buf.refCnt(), "a fed chunk is still held: " + buf);
        }
    }

    @AsyncTest
    void readsSpanningChunksReturnTheBytesInOrderAndReleaseEveryChunk() {
        StreamReader r = new StreamReader();
        r.feedData(chunk("abc"));
        r.feedData(chunk("defgh"));
        r.feedData(b("ij"));
        r.feedData(chunk("klmnopqrstuvwxyz0123456789"));
        assertEquals(36, r.buffered());
        assertEquals("abcdefg", s(r.readExactly(7)));
        assertEquals("hijklmnop", s(r.read(9)));
        assertEquals("qrstuvwxyz0123456789", s(r.read(100)));
        assertEquals(0, r.buffered());
        assertAllReleased();
    }

    @AsyncTest
    void readUntilFindsASeparatorSplitAcrossChunks() {
        StreamReader r = new StreamReader();
        r.feedData(chunk("one\r"));
        r.feedData(chunk("\ntwo\r"));
        r.feedData(chunk("\r\n"));
        assertEquals("one\r\n", s(r.readUntil(b("\r\n"))));
        assertEquals("two\r\r\n", s(r.readUntil(b("\r\n"))));
        assertAllReleased();
    }

    @AsyncTest
    void limitOverrunLeavesThePooledDataReadable() {
        StreamReader r = new StreamReader(4);
        r.feedData(chunk("0123"));
        r.feedData(chunk("456789\n"));
        LimitOverrunError e = assertThrows(LimitOverrunError.class, () -> r.readUntil(b("\n")));
        assertTrue(e.consumed() > 4, "consumed " + e.consumed());
        assertEquals(11, r.buffered());
        assertEquals("0123456789\n", s(r.read(100)));
        assertAllReleased();
    }

    @AsyncTest
    void readLinePastTheLimitDropsThePooledBytesThroughTheSeparator() {
        StreamReader r = new StreamReader(4);
        r.feedData(chunk("0123456789\nnext"));
        assertThrows(LimitOverrunError.class, r::readLine);
        assertEquals("next", s(r.read(100)));
        assertAllReleased();
    }

    @AsyncTest
    void incompleteReadAtEofHandsOverThePooledRest() {
        StreamReader r = new StreamReader();
        r.feedData(chunk("abc"));
        r.feedData(chunk("de"));
        r.feedEof();
        IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> r.readExactly(10));
        assertArrayEquals(b("abcde"), e.partial());
        assertTrue(r.atEof());
        assertAllReleased();
    }

    @AsyncTest
    void aReaderWaitingWithAFewBytesLetsGoOfTheBigBufferTheyCameIn(OrderedSteps steps) {
        StreamReader r = new StreamReader();
        ByteBuf big = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024).writeBytes(b("partial"));
        fed.add(big);
        r.feedData(big);
        Task<byte[]> line = Asyncio.createTask(() -> {
            steps.expect(1);
            return r.readLine();
        });
        Asyncio.sleep(0);
        steps.expect(2);
        assertEquals(0, big.refCnt(), "the 7 bytes still pin a 64 KiB pooled buffer");
        assertEquals(7, r.buffered());
        r.feedData(chunk(" line\n"));
        assertEquals("partial line\n", s(line.await()));
        assertAllReleased();
        steps.finish(3);
    }

    @AsyncTest
    void setExceptionReleasesWhatIsBuffered() {
        StreamReader r = new StreamReader();
        r.feedData(chunk("never read"));
        IllegalStateException boom = new IllegalStateException("boom");
        r.setException(boom);
        assertAllReleased();
        assertEquals(0, r.buffered());
        assertThrows(IllegalStateException.class, () -> r.read(1));
    }

    @AsyncTest
    void aChunkFedAfterEofIsReleasedAndRejected() {
        StreamReader r = new StreamReader();
        r.feedEof();
        assertThrows(IllegalStateException.class, () -> r.feedData(chunk("late")));
        assertAllReleased();
    }

    @AsyncTest
    void unpoolKeepsTheUnreadBytesAndReleasesThePooledChunk() {
        StreamReader r = new StreamReader();
        r.feedData(chunk("hello world"));
        assertEquals("hello ", s(r.readExactly(6)));
        r.feedEof();
        r.unpool();
        assertAllReleased();
        assertEquals("world", s(r.read(-1)));
        assertTrue(r.atEof());
    }

    @AsyncTest
    void unpoolReleasesAPooledHeapChunkToo() {
        // A heap buffer has an array, but a pooled one must still go back to its pool (JDK SSL engines and
        // -Dio.netty.noPreferDirect=true hand out heap buffers).
        StreamReader r = new StreamReader();
        ByteBuf heap = PooledByteBufAllocator.DEFAULT.heapBuffer(32).writeBytes(b("heap bytes"));
        fed.add(heap);
        r.feedData(heap);
        r.feedEof();
        r.unpool();
        assertAllReleased();
        assertEquals("heap bytes", s(r.read(-1)));
    }

    @AsyncTest
    void chunksFedAfterSetExceptionAreReleasedNotKept() {
        StreamReader r = new StreamReader();
        r.setException(new IllegalStateException("boom"));
        r.feedData(chunk("late"));
        r.feedData(b("late too"));
        assertEquals(0, r.buffered());
        assertAllReleased();
        assertThrows(IllegalStateException.class, () -> r.read(1));
    }

    @AsyncTest
    void aLongReadExactlyGrowsItsBufferByDoublingNotInSmallSteps() {
        StreamReader r = new StreamReader();
        int piece = 64 << 10;
        int total = 32 << 20;
        byte[] data = new byte[piece];
        int grown = 0;
        int capacity = 0;
        for (int at = 0; at < total; at += piece) {
            data[0] = (byte) (at / piece);
            r.feedData(data);
            int now = r.capacityForTests();
            if (now != capacity) {
                grown++;
                capacity = now;
            }
        }
        // Doubling from 64 KiB to 32 MiB grows about 10 times; Netty's 4 MiB steps past 4 MiB would take 16+.
        assertTrue(grown <= 12, "the buffer grew " + grown + " times for " + total + " bytes");
        byte[] all = r.readExactly(total);
        assertEquals(total, all.length);
        assertEquals((byte) (total / piece - 1), all[total - piece]);
    }

    @AsyncTest
    void readBufOfTheRestAfterASliceWasHandedOutIsASliceTooSoWritingIntoItCannotReachTheFirst() {
        StreamReader r = new StreamReader();
        r.feedData(chunk("head:rest"));
        ByteBuf head = r.readBuf(5);
        ByteBuf rest = r.readBuf(100);
        assertEquals("rest", text(rest));
        rest.clear().writeBytes(b("XXXX"));                // the caller reuses what it owns
        assertEquals("head:", text(head));
        rest.release();
        head.release();
        assertAllReleased();
    }

    @AsyncTest
    void cancelWhileWaitingInReadBufOwnsNothingAndLeavesTheReaderUsable(OrderedSteps steps) {
        StreamReader r = new StreamReader();
        Task<ByteBuf> reading = Asyncio.createTask(() -> {
            steps.expect(1);
            return r.readBuf(10);
        });
        Asyncio.sleep(0);
        steps.expect(2);
        reading.cancel();
        assertThrows(CancelledError.class, reading::await);
        r.feedData(chunk("after"));
        ByteBuf got = r.readBuf(10);
        assertEquals("after", text(got));
        got.release();
        assertAllReleased();
        steps.finish(3);
    }

    @AsyncTest
    void bytesLeftUnreadWhenTheConnectionIsLostCanStillBeReadAndAreNotLeaked() throws Exception {
        StreamsTest.serving((reader, writer) -> {
            writer.write(b("hello\nworld"));
            writer.drain();
            reader.read(-1);
        }, server -> {
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            assertEquals("hello\n", s(c.reader().readLine()));
            while (c.reader().buffered() < 5) {
                Asyncio.sleep(0.001);
            }
            c.writer().close();
            c.writer().waitClosed();
            assertEquals("world", s(c.reader().read(-1)));
        });
    }

    @AsyncTest
    void bytesNobodyReadsAfterTheConnectionIsLostAreNotLeaked() throws Exception {
        StreamsTest.serving((reader, writer) -> {
            writer.write(b("unread"));
            writer.drain();
            reader.read(-1);
        }, server -> {
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            while (c.reader().buffered() < 6) {
                Asyncio.sleep(0.001);
            }
            c.writer().close();
            c.writer().waitClosed();
            assertEquals(6, c.reader().buffered());
            // Dropped unread: the leak detector fails the test if the pooled chunk was not released.
        });
    }

    private static String text(ByteBuf buf) {
        return buf.toString(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @AsyncTest
    void readBufOfEverythingBufferedHandsOverTheReceivedChunkItself() {
        StreamReader r = new StreamReader();
        ByteBuf received = chunk("whole chunk");
        r.feedData(received);
        ByteBuf out = r.readBuf(1024);
        assertSame(received, out);
        assertEquals("whole chunk", text(out));
        assertEquals(0, r.buffered());
        assertEquals(1, out.refCnt());
        out.release();
        assertAllReleased();
    }

    @AsyncTest
    void readBufOfPartIsASliceThatLaterFeedsAndReadsLeaveIntact() {
        StreamReader r = new StreamReader();
        r.feedData(chunk("abcdef"));
        ByteBuf head = r.readBuf(3);
        r.feedData(chunk("XYZ"));
        assertEquals("defXYZ", s(r.read(100)));
        r.feedData(chunk("more"));
        assertEquals("abc", text(head));
        assertEquals("more", s(r.readExactly(4)));
        head.release();
        assertAllReleased();
    }

    @AsyncTest
    void aSliceHandedOutIsNeverCompactedOver() {
        StreamReader r = new StreamReader();
        ByteBuf full = PooledByteBufAllocator.DEFAULT.directBuffer(8, 8).writeBytes(b("abcdefgh"));
        fed.add(full);
        r.feedData(full);
        ByteBuf head = r.readBuf(5);
        // No room left at the end and most of the chunk read: a reader alone would move "fgh" to the front.
        r.feedData(chunk("XY"));
        assertEquals("abcde", text(head));
        assertEquals("fghXY", s(r.read(100)));
        head.release();
        assertAllReleased();
    }

    @AsyncTest
    void byteArrayAndBufferReadsInterleave() {
        StreamReader r = new StreamReader();
        r.feedData(chunk("GET /\r\nlen"));
        r.feedData(b("gth: 5\r\n\r\nhel"));
        r.feedData(chunk("lo!rest"));
        assertEquals("GET /\r\n", s(r.readUntil(b("\r\n"))));
        assertEquals("length: 5\r\n", s(r.readLine()));
        assertEquals("\r\n", s(r.readExactly(2)));
        ByteBuf body = r.readExactlyBuf(5);
        assertEquals("hello", text(body));
        ByteBuf bang = r.readBuf(1);
        assertEquals("!", text(bang));
        assertEquals("rest", s(r.read(100)));
        body.release();
        bang.release();
        assertAllReleased();
    }

    @AsyncTest
    void readBufSuspendsUntilDataComesAndReturnsAnEmptyBufferAtEof(OrderedSteps steps) {
        StreamReader r = new StreamReader();
        Task<ByteBuf> reading = Asyncio.createTask(() -> {
            steps.expect(1);
            ByteBuf got = r.readBuf(100);
            steps.expect(3);
            return got;
        });
        Asyncio.sleep(0);
        steps.expect(2);
        r.feedData(chunk("late"));
        ByteBuf got = reading.await();
        steps.finish(4);
        assertEquals("late", text(got));
        got.release();
        r.feedEof();
        assertEquals(0, r.readBuf(100).readableBytes());
        assertEquals(0, r.readBuf(0).readableBytes());
        assertThrows(IllegalArgumentException.class, () -> r.readBuf(-1));
        assertThrows(IllegalArgumentException.class, () -> r.readExactlyBuf(-1));
        assertAllReleased();
    }

    @AsyncTest
    void cancelWhileWaitingInReadBufLeavesTheBufferAndOwnsNothing(OrderedSteps steps) {
        StreamReader r = new StreamReader();
        r.feedData(chunk("12"));
        Task<ByteBuf> reading = Asyncio.createTask(() -> {
            steps.expect(1);
            return r.readExactlyBuf(4);
        });
        Asyncio.sleep(0);
        steps.expect(2);
        reading.cancel();
        assertThrows(CancelledError.class, reading::await);
        assertEquals(2, r.buffered());
        r.feedData(chunk("34"));
        ByteBuf all = r.readExactlyBuf(4);
        assertEquals("1234", text(all));
        all.release();
        assertAllReleased();
        steps.finish(3);
    }

    @AsyncTest
    void readExactlyBufAtEofRaisesIncompleteReadAndReleasesTheRest() {
        StreamReader r = new StreamReader();
        r.feedData(chunk("abc"));
        r.feedEof();
        IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> r.readExactlyBuf(4));
        assertArrayEquals(b("abc"), e.partial());
        assertEquals(4, e.expected());
        assertTrue(r.atEof());
        assertAllReleased();
    }

    @AsyncTest
    void aSliceHandedOutOutlivesSetException() {
        StreamReader r = new StreamReader();
        r.feedData(chunk("keep this"));
        ByteBuf kept = r.readBuf(4);
        r.setException(new IllegalStateException("broken"));
        assertEquals("keep", text(kept));
        assertThrows(IllegalStateException.class, () -> r.readBuf(1));
        kept.release();
        assertAllReleased();
    }

    /** Echoes with the zero-copy pair: every received buffer goes straight back out. */
    static void echoBuffers(StreamReader reader, StreamWriter writer) {
        ByteBuf chunk;
        while ((chunk = reader.readBuf(65536)).isReadable()) {
            writer.write(chunk);
            writer.drain();
        }
    }

    @AsyncTest
    void zeroCopyEchoOverLoopbackReturnsEveryByteInOrder() throws Exception {
        byte[] payload = new byte[300 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + (i >> 8));
        }
        StreamsTest.serving(StreamReaderBuffersTest::echoBuffers, server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                Task<byte[]> receiving = Asyncio.createTask(() -> c.reader().readExactly(payload.length));
                for (int at = 0; at < payload.length; at += 7000) {
                    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer();
                    out.writeBytes(payload, at, Math.min(7000, payload.length - at));
                    c.writer().write(out);
                    c.writer().drain();
                }
                assertArrayEquals(payload, receiving.await());
                c.writer().writeEof();
                assertEquals(0, c.reader().readBuf(10).readableBytes());
            }
        });
    }

    @AsyncTest
    void writingABufferAfterCloseThrowsAndReleasesIt() throws Exception {
        StreamsTest.serving(StreamsTest::echoChunks, server -> {
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().close();
            ByteBuf late = chunk("late");
            assertThrows(IllegalStateException.class, () -> c.writer().write(late));
            assertAllReleased();
            c.writer().waitClosed();
        });
    }

    @AsyncTest
    void aBufferReadBeforeTheConnectionIsLostStaysValid() throws Exception {
        StreamsTest.serving((reader, writer) -> {
            writer.write(b("payload"));
            writer.close();
        }, server -> {
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            ByteBuf first = c.reader().readExactlyBuf(3);
            c.writer().close();
            c.writer().waitClosed();
            assertEquals("pay", text(first));
            first.release();
            assertEquals("load", s(c.reader().read(-1)));
        });
    }
}
