package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.test.AsyncTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

import static dev.asyncio.net.StreamsTest.b;
import static dev.asyncio.net.StreamsTest.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * StreamReader fed with pooled Netty buffers, as the transport feeds it: the reader owns each chunk it is
 * given and releases it once read, on {@code setException}, and when its connection is lost. The leak
 * detector (PARANOID in tests) fails any test that drops one unreleased.
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
}
