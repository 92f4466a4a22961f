package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.test.AsyncTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;

import java.util.List;

import static dev.asyncio.net.StreamsTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a transport does with data that Netty hands it after {@code pauseReading()} (the rest of a read
 * burst, several records decoded at once): it holds it, in order with EOF, delivers it after
 * {@code resumeReading()}, and releases it if the connection ends first. Driven through an
 * {@link EmbeddedChannel}, where the test decides exactly what arrives when.
 */
class HeldDataTest {
    private static EmbeddedChannel channelWith(AsyncLoop loop, ProtocolsTest.Recorder protocol) {
        return new EmbeddedChannel(new SocketTransport(loop, () -> protocol, null, null, null));
    }

    @AsyncTest
    void dataAndEofArrivingWhilePausedAreDeliveredInOrderAfterResume(AsyncLoop loop) {
        ProtocolsTest.Recorder protocol = new ProtocolsTest.Recorder();
        protocol.keepOpenOnEof = true;
        EmbeddedChannel ch = channelWith(loop, protocol);
        protocol.transport.pauseReading();
        ch.writeInbound(Unpooled.wrappedBuffer(b("one")), Unpooled.wrappedBuffer(b("two")));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        ch.writeInbound(Unpooled.wrappedBuffer(b("late")));    // nothing is read after EOF in reality; held anyway
        Asyncio.sleep(0);
        assertEquals(List.of("made"), protocol.events, "nothing is delivered while paused");
        protocol.transport.resumeReading();
        Asyncio.sleep(0);
        assertEquals(List.of("made", "data:one", "data:two", "eof", "data:late"), protocol.events);
        protocol.transport.abort();
        ch.runPendingTasks();
        assertEquals("lost:null", protocol.events.get(protocol.events.size() - 1));
    }

    @AsyncTest
    void pausingAgainWhileDeliveringHeldDataStopsAtOnce(AsyncLoop loop) {
        ProtocolsTest.Recorder protocol = new ProtocolsTest.Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                transport.pauseReading();          // one chunk per resume
            }
        };
        EmbeddedChannel ch = channelWith(loop, protocol);
        protocol.transport.pauseReading();
        ch.writeInbound(Unpooled.wrappedBuffer(b("a")), Unpooled.wrappedBuffer(b("b")));
        protocol.transport.resumeReading();
        Asyncio.sleep(0);
        assertEquals(List.of("made", "data:a"), protocol.events);
        protocol.transport.resumeReading();
        Asyncio.sleep(0);
        assertEquals(List.of("made", "data:a", "data:b"), protocol.events);
        protocol.transport.abort();
        ch.runPendingTasks();
    }

    @AsyncTest
    void heldDataIsReleasedWhenTheConnectionIsAborted(AsyncLoop loop) {
        ProtocolsTest.Recorder protocol = new ProtocolsTest.Recorder();
        EmbeddedChannel ch = channelWith(loop, protocol);
        protocol.transport.pauseReading();
        ByteBuf one = Unpooled.directBuffer().writeBytes(b("one"));
        ByteBuf two = Unpooled.directBuffer().writeBytes(b("two"));
        ch.writeInbound(one, two);
        assertEquals(1, one.refCnt(), "held, not released yet");
        protocol.transport.abort();
        ch.runPendingTasks();
        assertEquals(0, one.refCnt());
        assertEquals(0, two.refCnt());
        assertEquals(List.of("made", "lost:null"), protocol.events);
    }

    @AsyncTest
    void heldDataIsReleasedWhenThePeerResetsTheConnection(AsyncLoop loop) {
        ProtocolsTest.Recorder protocol = new ProtocolsTest.Recorder();
        EmbeddedChannel ch = channelWith(loop, protocol);
        protocol.transport.pauseReading();
        ByteBuf held = Unpooled.directBuffer().writeBytes(b("held"));
        ch.writeInbound(held);
        ch.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
        ch.runPendingTasks();
        assertEquals(0, held.refCnt());
        assertEquals(List.of("made", "lost:ConnectionResetError"), protocol.events);
    }
}
