package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.test.AsyncTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.asyncio.net.StreamsTest.b;
import static dev.asyncio.net.StreamsTest.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protocol layer: Net.createServer/createConnection with Protocol, BufferedProtocol and Transport. */
class ProtocolsTest {
    /** Records every callback, and completes {@link #lost} at the end. */
    static class Recorder implements Protocol {
        final List<String> events = new ArrayList<>();
        final Future<Throwable> lost = new Future<>();
        Transport transport;
        boolean keepOpenOnEof;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            events.add("made");
        }

        @Override
        public void dataReceived(byte[] data) {
            events.add("data:" + s(data));
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return keepOpenOnEof;
        }

        @Override
        public void pauseWriting() {
            events.add("pause-writing");
        }

        @Override
        public void resumeWriting() {
            events.add("resume-writing");
        }

        @Override
        public void connectionLost(Throwable exc) {
            events.add("lost:" + (exc == null ? "null" : exc.getClass().getSimpleName()));
            lost.setResult(exc);
        }
    }

    /** Echoes what it gets, and answers EOF by closing. */
    static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            transport.write(data);
        }
    }

    @AsyncTest
    void callbacksComeInAsyncioOrderAndCreateConnectionReturnsAfterConnectionMade() {
        List<Recorder> accepted = new ArrayList<>();
        try (Server server = Net.createServer(() -> {
            Recorder r = new Recorder();
            accepted.add(r);
            return r;
        }, "127.0.0.1", 0)) {
            TransportAndProtocol<Transport, Recorder> c = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
            assertEquals(List.of("made"), c.protocol().events);
            assertSame(c.transport(), c.protocol().transport);
            c.transport().write(b("one"));
            c.transport().writeEof();
            Recorder srv = accepted.get(0);
            assertEquals(null, srv.lost.await());
            assertEquals(List.of("made", "data:one", "eof", "lost:null"), srv.events);
            assertEquals(null, c.protocol().lost.await(), "the server closed on EOF, so the client sees EOF too");
            assertEquals(List.of("made", "eof", "lost:null"), c.protocol().events);
        }
    }

    @AsyncTest
    void eofReceivedReturningTrueKeepsTheTransportOpenForWriting() {
        try (Server server = Net.createServer(() -> new Recorder() {
            @Override
            public boolean eofReceived() {
                transport.write(b("bye"));
                transport.close();
                return true;
            }
        }, "127.0.0.1", 0)) {
            TransportAndProtocol<Transport, Recorder> c = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
            c.protocol().keepOpenOnEof = true;
            c.transport().writeEof();
            while (!c.protocol().events.contains("eof")) {
                Asyncio.sleep(0.001);
            }
            assertFalse(c.transport().isClosing(), "eofReceived returned true: the transport stays open");
            c.transport().close();
            c.protocol().lost.await();
            assertEquals(List.of("made", "data:bye", "eof", "lost:null"), c.protocol().events);
        }
    }

    @AsyncTest
    void pausedReadingHoldsDataUntilResumed() {
        Future<Recorder> accepted = new Future<>();
        try (Server server = Net.createServer(() -> new Recorder() {
            @Override
            public void connectionMade(Transport t) {
                super.connectionMade(t);
                t.pauseReading();
                assertFalse(t.isReading());
                accepted.setResult(this);
            }
        }, "127.0.0.1", 0)) {
            TransportAndProtocol<Transport, Recorder> c = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
            Recorder srv = accepted.await();
            c.transport().write(b("held"));
            c.transport().writeEof();
            for (int i = 0; i < 20; i++) {
                Asyncio.sleep(0.001);
            }
            assertEquals(List.of("made"), srv.events, "nothing is delivered while reading is paused");
            srv.transport.resumeReading();
            assertTrue(srv.transport.isReading());
            srv.lost.await();
            assertEquals(List.of("made", "data:held", "eof", "lost:null"), srv.events);
        }
    }

    @AsyncTest
    void writeBufferOverTheHighWaterMarkPausesAndResumesTheProtocol() {
        Future<Recorder> accepted = new Future<>();
        try (Server server = Net.createServer(() -> new Recorder() {
            @Override
            public void connectionMade(Transport t) {
                super.connectionMade(t);
                t.pauseReading();                 // a peer that does not read: the writer's buffer fills
                accepted.setResult(this);
            }

            @Override
            public void dataReceived(byte[] data) {
                // count silently
            }
        }, "127.0.0.1", 0)) {
            TransportAndProtocol<Transport, Recorder> c = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
            Transport t = c.transport();
            t.setWriteBufferLimits(8192, 1024);
            assertArrayEquals(new int[] {1024, 8192}, t.getWriteBufferLimits());
            Recorder srv = accepted.await();
            byte[] chunk = new byte[4096];
            int written = 0;
            while (!c.protocol().events.contains("pause-writing")) {
                t.write(chunk);
                written += chunk.length;
                Asyncio.sleep(0);                 // let the flush happen: the kernel takes what it can
                assertTrue(written < 64 << 20, "the writer was never paused");
            }
            assertTrue(t.getWriteBufferSize() > 8192, "paused only above the high-water mark: " + t.getWriteBufferSize());
            srv.transport.resumeReading();
            while (!c.protocol().events.contains("resume-writing")) {
                Asyncio.sleep(0.001);
            }
            assertTrue(t.getWriteBufferSize() <= 1024, "resumed at the low-water mark: " + t.getWriteBufferSize());
            assertEquals(List.of("made", "pause-writing", "resume-writing"), c.protocol().events);
            t.close();
            srv.lost.await();
        }
    }

    @AsyncTest
    void writeBufferLimitsFollowAsyncioDefaultsAndRejectBadValues() {
        try (Server server = Net.createServer(Echo::new, "127.0.0.1", 0)) {
            Transport t = Net.createConnection(Recorder::new, "127.0.0.1", server.port()).transport();
            assertArrayEquals(new int[] {16384, 65536}, t.getWriteBufferLimits());
            t.setWriteBufferLimits(-1, 1000);
            assertArrayEquals(new int[] {1000, 4000}, t.getWriteBufferLimits());
            t.setWriteBufferLimits(4000, -1);
            assertArrayEquals(new int[] {1000, 4000}, t.getWriteBufferLimits());
            t.setWriteBufferLimits(0, 0);
            assertArrayEquals(new int[] {0, 0}, t.getWriteBufferLimits());
            assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, 20));
            t.close();
        }
    }

    @AsyncTest
    void bufferedProtocolGetsBytesWrittenIntoItsOwnBuffer() {
        final class Sink implements BufferedProtocol {
            final ByteBuffer buffer = ByteBuffer.allocate(7);     // small: a chunk needs several buffers
            final StringBuilder got = new StringBuilder();
            final Future<Void> eof = new Future<>();

            @Override
            public ByteBuffer getBuffer(int sizeHint) {
                assertTrue(sizeHint > 0);
                return buffer.clear().position(2);            // bytes go from the position on
            }

            @Override
            public void bufferUpdated(int nbytes) {
                got.append(new String(buffer.array(), 2, nbytes, java.nio.charset.StandardCharsets.US_ASCII));
                assertEquals(2, buffer.position(), "the transport does not move the position");
            }

            @Override
            public boolean eofReceived() {
                eof.setResult(null);
                return false;
            }
        }
        List<Sink> sinks = new ArrayList<>();
        try (Server server = Net.createServer(() -> {
            Sink sink = new Sink();
            sinks.add(sink);
            return sink;
        }, "127.0.0.1", 0)) {
            Transport t = Net.createConnection(Recorder::new, "127.0.0.1", server.port()).transport();
            t.write(b("a buffered protocol reads into its own buffer"));
            t.writeEof();
            while (sinks.isEmpty()) {
                Asyncio.sleep(0.001);
            }
            sinks.get(0).eof.await();
            assertEquals("a buffered protocol reads into its own buffer", sinks.get(0).got.toString());
            t.close();
        }
    }

    /** Echoes from its own direct buffer, and records the size hints the transport gave. */
    static final class BufferedEcho implements BufferedProtocol {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        final List<Integer> hints = new ArrayList<>();
        Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            hints.add(sizeHint);
            return buffer.clear();
        }

        @Override
        public void bufferUpdated(int nbytes) {
            transport.write(buffer.limit(nbytes));
            assertEquals(nbytes, buffer.position(), "write(ByteBuffer) consumes what it writes");
        }
    }

    @AsyncTest
    void bufferedProtocolOnNioGetsTheSocketReadStraightIntoItsBufferAndEchoesFromIt() {
        List<BufferedEcho> echoes = new ArrayList<>();
        try (Server server = Net.createServer(() -> {
            BufferedEcho e = new BufferedEcho();
            echoes.add(e);
            return e;
        }, "127.0.0.1", 0)) {
            TransportAndProtocol<Transport, Recorder> c = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
            c.transport().write(b("12345"));
            while (c.protocol().events.size() < 2) {
                Asyncio.sleep(0.001);
            }
            assertEquals(List.of("made", "data:12345"), c.protocol().events);
            int firstHint = echoes.get(0).hints.get(0);
            assertTrue(firstHint > 5, "the buffer was asked for before the 5 bytes were read (a socket read size, "
                    + "not the bytes available): the socket was read straight into it; hint " + firstHint);
            c.transport().close();
            c.protocol().lost.await();
        }
    }

    @AsyncTest
    void bufferedProtocolOverTlsGetsTheDecryptedBytesCopiedIn() {
        List<BufferedEcho> echoes = new ArrayList<>();
        ServerOptions tls = ServerOptions.builder().ssl(TestCertificates.server(TestCertificates.LOCALHOST)).build();
        try (Server server = Net.createServer(() -> {
            BufferedEcho e = new BufferedEcho();
            echoes.add(e);
            return e;
        }, "127.0.0.1", 0, tls)) {
            StreamOptions client = StreamOptions.builder().ssl(TestCertificates.client()).build();
            TransportAndProtocol<Transport, Recorder> c = Net.createConnection(Recorder::new, "localhost", server.port(), client);
            c.transport().write(b("12345"));
            while (c.protocol().events.size() < 2) {
                Asyncio.sleep(0.001);
            }
            assertEquals(List.of("made", "data:12345"), c.protocol().events);
            assertEquals(List.of(5), echoes.get(0).hints, "over TLS the hint is the decrypted bytes available");
            c.transport().close();
            c.protocol().lost.await();
        }
    }

    @AsyncTest
    void bufferedProtocolReturningNoRoomIsAFatalErrorOfTheConnection(AsyncLoop loop) {
        List<Map<String, Object>> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        try (Server server = Net.createServer(() -> new BufferedProtocol() {
            @Override
            public ByteBuffer getBuffer(int sizeHint) {
                return ByteBuffer.allocate(0);
            }

            @Override
            public void bufferUpdated(int nbytes) {
            }
        }, "127.0.0.1", 0)) {
            TransportAndProtocol<Transport, Recorder> c = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
            c.transport().write(b("x"));
            c.protocol().lost.await();
        }
        assertEquals(1, reported.size());
        assertEquals("Fatal error: protocol.getBuffer() call failed", reported.get(0).get("message"));
        Throwable e = (Throwable) reported.get(0).get("exception");
        assertTrue(e.getMessage().contains("no room"), e.getMessage());
    }

    @AsyncTest
    void exceptionInDataReceivedAbortsTheConnectionAndReachesConnectionLost(AsyncLoop loop) {
        List<Map<String, Object>> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        IllegalArgumentException boom = new IllegalArgumentException("bad frame");
        Future<Throwable> serverLost = new Future<>();
        try (Server server = Net.createServer(() -> new Protocol() {
            @Override
            public void dataReceived(byte[] data) {
                throw boom;
            }

            @Override
            public void connectionLost(Throwable exc) {
                serverLost.setResult(exc);
            }
        }, "127.0.0.1", 0)) {
            TransportAndProtocol<Transport, Recorder> c = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
            c.transport().write(b("garbage"));
            assertSame(boom, serverLost.await());
            c.protocol().lost.await();
        }
        assertEquals(1, reported.size());
        assertSame(boom, reported.get(0).get("exception"));
    }

    @AsyncTest
    void aClientProtocolFailingInConnectionMadeFailsCreateConnectionAndClosesTheSocket() {
        Future<Throwable> serverLost = new Future<>();
        IllegalStateException boom = new IllegalStateException("cannot start");
        try (Server server = Net.createServer(() -> new Recorder() {
            @Override
            public void connectionLost(Throwable exc) {
                super.connectionLost(exc);
                serverLost.setResult(exc);
            }
        }, "127.0.0.1", 0)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Net.createConnection(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    throw boom;
                }
            }, "127.0.0.1", server.port()));
            assertSame(boom, e);
            serverLost.await();          // the client's socket was closed: the server saw the connection end
        }
    }

    @AsyncTest
    void aProtocolFactoryFailingOnTheServerIsReportedAndTheConnectionClosed(AsyncLoop loop) {
        List<Map<String, Object>> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        IllegalStateException boom = new IllegalStateException("no protocol today");
        try (Server server = Net.createServer(() -> {
            throw boom;
        }, "127.0.0.1", 0)) {
            TransportAndProtocol<Transport, Recorder> c = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
            c.protocol().lost.await();
        }
        assertEquals(1, reported.size());
        assertSame(boom, reported.get(0).get("exception"));
    }

    @AsyncTest
    void writingANettyBufferHandsItOverWithoutCopying() {
        try (Server server = Net.createServer(Echo::new, "127.0.0.1", 0)) {
            TransportAndProtocol<Transport, Recorder> c = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
            ByteBuf buf = Unpooled.directBuffer().writeBytes(b("zero-copy"));
            c.transport().write(buf);
            while (c.protocol().events.size() < 2) {
                Asyncio.sleep(0.001);
            }
            assertEquals(List.of("made", "data:zero-copy"), c.protocol().events);
            assertEquals(0, buf.refCnt(), "released once sent");
            c.transport().close();
            ByteBuf late = Unpooled.buffer().writeBytes(b("late"));
            assertThrows(IllegalStateException.class, () -> c.transport().write(late));
            assertEquals(0, late.refCnt(), "a refused buffer is released too");
        }
    }

    @AsyncTest
    void abortDropsQueuedBytesAndTheProtocolSeesConnectionLost() {
        try (Server server = Net.createServer(Echo::new, "127.0.0.1", 0)) {
            TransportAndProtocol<Transport, Recorder> c = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
            c.transport().write(b("never flushed"));
            c.transport().abort();
            assertTrue(c.transport().isClosing());
            assertEquals(null, c.protocol().lost.await());
            assertEquals(List.of("made", "lost:null"), c.protocol().events);
        }
    }

    @AsyncTest
    void transportsRefuseCallsFromOtherThreads() throws Exception {
        try (Server server = Net.createServer(Echo::new, "127.0.0.1", 0)) {
            Transport t = Net.createConnection(Recorder::new, "127.0.0.1", server.port()).transport();
            Throwable e = Asyncio.toThread(() -> {
                try {
                    t.write(b("from elsewhere"));
                    return null;
                } catch (Throwable x) {
                    return x;
                }
            });
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
            t.close();
        }
    }
}
