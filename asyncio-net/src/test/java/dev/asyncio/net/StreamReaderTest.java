package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** StreamReader fed by hand: CPython's test_streams StreamReader cases. */
class StreamReaderTest {
    private static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    private static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    @Test
    void worksWithNoLoopWhileDataIsBuffered() {
        StreamReader r = new StreamReader();
        r.feedData(b("line1\nrest"));
        r.feedEof();
        assertEquals("line1\n", s(r.readLine()));
        assertEquals("rest", s(r.read(-1)));
        assertTrue(r.atEof());
    }

    @Test
    void waitingWithNoLoopExplainsWhy() {
        StreamReader r = new StreamReader();
        IllegalStateException e = assertThrows(IllegalStateException.class, r::readLine);
        assertTrue(e.getMessage().contains("no running event loop"), e.getMessage());
    }

    @Test
    void limitMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new StreamReader(0));
        assertThrows(IllegalArgumentException.class, () -> new StreamReader(-1));
    }

    @AsyncTest
    void readWaitsForDataAndReturnsWhatIsThere(OrderedSteps steps) {
        StreamReader r = new StreamReader();
        Task<byte[]> reading = Asyncio.createTask(() -> {
            steps.expect(2);
            return r.read(30);
        });
        steps.expect(1);
        Asyncio.sleep(0);
        steps.expect(3);
        r.feedData(b("chunk1\n"));
        r.feedData(b("chunk2"));
        assertEquals("chunk1\nchunk2", s(reading.await()));
        steps.finish(4);
    }

    @AsyncTest
    void readReturnsAtMostNAndEmptyAtEof() {
        StreamReader r = new StreamReader();
        r.feedData(b("abcdef"));
        assertEquals("abc", s(r.read(3)));
        assertEquals(0, r.read(0).length);
        r.feedEof();
        assertEquals("def", s(r.read(10)));
        assertEquals(0, r.read(10).length);
        assertTrue(r.atEof());
    }

    @AsyncTest
    void readMinusOneReadsUntilEof() {
        StreamReader r = new StreamReader(3);
        Task<byte[]> all = Asyncio.createTask(() -> r.read(-1));
        Asyncio.sleep(0);
        r.feedData(b("chunk1\n"));
        Asyncio.sleep(0);
        r.feedData(b("chunk2"));
        r.feedEof();
        assertEquals("chunk1\nchunk2", s(all.await()));
    }

    @AsyncTest
    void readRejectsSizesBelowMinusOne() {
        assertThrows(IllegalArgumentException.class, () -> new StreamReader().read(-2));
    }

    @AsyncTest
    void readLineJoinsChunksUntilNewline() {
        StreamReader r = new StreamReader();
        r.feedData(b("chunk1 "));
        Task<byte[]> line = Asyncio.createTask(r::readLine);
        Asyncio.sleep(0);
        r.feedData(b("chunk2 "));
        Asyncio.sleep(0);
        r.feedData(b("chunk3\n ext"));
        assertEquals("chunk1 chunk2 chunk3\n", s(line.await()));
        assertEquals(" ext", s(r.read(4)));
    }

    @AsyncTest
    void readLineAtEofReturnsThePartialLineThenEmpty() {
        StreamReader r = new StreamReader();
        r.feedData(b("some data"));
        r.feedEof();
        assertEquals("some data", s(r.readLine()));
        assertEquals(0, r.readLine().length);
    }

    @AsyncTest
    void readLinePastTheLimitDropsThroughTheSeparator() {
        StreamReader r = new StreamReader(3);
        r.feedData(b("li"));
        r.feedData(b("ne1\nline2\n"));
        assertThrows(LimitOverrunError.class, r::readLine);
        assertEquals("line2\n", s(r.read(100)), "the data after the separator stays");
    }

    @AsyncTest
    void readLinePastTheLimitWithoutSeparatorDropsTheBuffer() {
        StreamReader r = new StreamReader(3);
        r.feedData(b("li"));
        r.feedData(b("ne1"));
        r.feedData(b("li"));
        r.feedEof();
        assertThrows(LimitOverrunError.class, r::readLine);
        assertTrue(r.atEof());
    }

    @AsyncTest
    void readLineOverTheLimitWhileWaitingRaisesOnceTheBufferGrows() {
        StreamReader r = new StreamReader(7);
        Task<byte[]> line = Asyncio.createTask(r::readLine);
        Asyncio.sleep(0);
        r.feedData(b("chunk1"));
        Asyncio.sleep(0);
        r.feedData(b("chunk2\n"));
        assertThrows(LimitOverrunError.class, line::await);
    }

    @AsyncTest
    void readUntilLeavesDataInTheBufferOnLimitOverrun() {
        StreamReader r = new StreamReader(3);
        r.feedData(b("some dataAA"));
        LimitOverrunError notFound = assertThrows(LimitOverrunError.class, () -> r.readUntil(b("AAA")));
        assertTrue(notFound.getMessage().contains("not found"), notFound.getMessage());
        assertEquals(9, notFound.consumed());
        assertEquals(11, r.buffered());
        r.feedData(b("A"));
        LimitOverrunError found = assertThrows(LimitOverrunError.class, () -> r.readUntil(b("AAA")));
        assertTrue(found.getMessage().contains("is found"), found.getMessage());
        assertEquals(12, r.buffered(), "readUntil leaves the buffer intact");
    }

    @AsyncTest
    void readUntilWithSeveralSeparatorsTakesTheOneThatEndsFirst() {
        StreamReader r = new StreamReader();
        r.feedData(b("line 1\nline 2\r"));
        assertEquals("line 1\n", s(r.readUntil(b("\r"), b("\n"))));
        assertEquals("line 2\r", s(r.readUntil(b("\r"), b("\n"))));
        r.feedData(b("line 3\r\nline 4\n"));
        assertEquals("line 3\r\n", s(r.readUntil(b("\n"), b("\r\n"))));
        assertEquals("line 4\n", s(r.readUntil(b("\r\n"), b("\n"))));
    }

    @AsyncTest
    void readUntilRejectsEmptySeparators() {
        StreamReader r = new StreamReader();
        assertThrows(IllegalArgumentException.class, () -> r.readUntil(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> r.readUntil(new byte[0][]));
    }

    @AsyncTest
    void readUntilAtEofRaisesIncompleteReadWithTheRest() {
        StreamReader r = new StreamReader();
        r.feedData(b("some dataA"));
        r.feedEof();
        IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> r.readUntil(b("AA")));
        assertEquals("some dataA", s(e.partial()));
        assertEquals(null, e.expected());
        assertTrue(r.atEof());
    }

    @AsyncTest
    void readExactlyWaitsForAllBytes() {
        StreamReader r = new StreamReader();
        Task<byte[]> exact = Asyncio.createTask(() -> r.readExactly(10));
        Asyncio.sleep(0);
        r.feedData(b("12345"));
        Asyncio.sleep(0);
        assertFalse(exact.done());
        r.feedData(b("6789012"));
        assertEquals("1234567890", s(exact.await()));
        assertEquals("12", s(r.read(5)));
    }

    @AsyncTest
    void readExactlyAtEofRaisesIncompleteReadWithThePartialBytes() {
        StreamReader r = new StreamReader();
        Task<byte[]> exact = Asyncio.createTask(() -> r.readExactly(10));
        Asyncio.sleep(0);
        r.feedData(b("12345"));
        r.feedEof();
        IncompleteReadError e = assertThrows(IncompleteReadError.class, exact::await);
        assertEquals("12345", s(e.partial()));
        assertEquals(10, e.expected());
        assertEquals("5 bytes read on a total of 10 expected bytes", e.getMessage());
        assertTrue(r.atEof());
    }

    @AsyncTest
    void readExactlyRejectsNegativeSizes() {
        assertThrows(IllegalArgumentException.class, () -> new StreamReader().readExactly(-1));
        assertEquals(0, new StreamReader().readExactly(0).length);
    }

    @AsyncTest
    void setExceptionWakesTheWaiterAndEveryLaterReadWithTheSameInstance() {
        StreamReader r = new StreamReader();
        Task<byte[]> line = Asyncio.createTask(r::readLine);
        Asyncio.sleep(0);
        IllegalStateException boom = new IllegalStateException("boom");
        r.setException(boom);
        assertSame(boom, assertThrows(IllegalStateException.class, line::await));
        assertSame(boom, assertThrows(IllegalStateException.class, () -> r.read(1)));
        assertSame(boom, r.exception());
    }

    @AsyncTest
    void secondConcurrentReaderIsRejected() {
        StreamReader r = new StreamReader();
        Task<byte[]> first = Asyncio.createTask(r::readLine);
        Asyncio.sleep(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.read(1));
        assertTrue(e.getMessage().contains("already waiting"), e.getMessage());
        r.feedData(b("x\n"));
        assertEquals("x\n", s(first.await()));
    }

    @AsyncTest
    void cancelWhileWaitingOnReadLineLeavesTheBufferIntact(OrderedSteps steps) {
        StreamReader r = new StreamReader();
        r.feedData(b("partial"));
        Task<byte[]> line = Asyncio.createTask(() -> {
            steps.expect(2);
            try {
                return r.readLine();
            } catch (CancelledError e) {
                steps.expect(4);
                throw e;
            }
        });
        steps.expect(1);
        Asyncio.sleep(0);
        steps.expect(3);
        line.cancel();
        assertThrows(CancelledError.class, line::await);
        r.feedData(b(" line\n"));
        assertEquals("partial line\n", s(r.readLine()), "a new reader finds the data and may wait again");
        steps.finish(5);
    }

    @AsyncTest
    void iteratingYieldsEveryLineUntilEof() {
        StreamReader r = new StreamReader();
        r.feedData(b("line1\nline2\n"));
        Task<List<String>> collect = Asyncio.createTask(() -> {
            List<String> lines = new ArrayList<>();
            for (byte[] line : r) {
                lines.add(s(line));
            }
            return lines;
        });
        Asyncio.sleep(0);
        r.feedData(b("line3"));
        r.feedEof();
        assertEquals(List.of("line1\n", "line2\n", "line3"), collect.await());
    }

    @AsyncTest
    void feedDataAfterFeedEofIsRejected() {
        StreamReader r = new StreamReader();
        r.feedEof();
        assertThrows(IllegalStateException.class, () -> r.feedData(b("late")));
        assertArrayEquals(new byte[0], r.read(1));
    }
}
