package dev.asyncio.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

import java.nio.ByteBuffer;

/**
 * The read allocator of a {@link BufferedProtocol}'s channel: where Netty asks for a buffer to read the
 * socket into, it gets the protocol's own buffer (wrapped, not copied), so the kernel writes straight into
 * it. Sizing and "read again?" decisions stay those of the channel's usual allocator.
 *
 * <p>Only for transports that read synchronously into the buffer they were given (NIO, epoll) and only
 * while no TLS handler is in the pipeline: io_uring keeps a read pending in the buffer, and TLS reads
 * ciphertext that the protocol must not see; both fall back to one copy in {@link SocketTransport}.
 */
final class DirectReads implements RecvByteBufAllocator {
    private final RecvByteBufAllocator sizing;
    private final SocketTransport transport;

    DirectReads(RecvByteBufAllocator sizing, SocketTransport transport) {
        this.sizing = sizing;
        this.transport = transport;
    }

    @Override
    public Handle newHandle() {
        return new DirectHandle((ExtendedHandle) sizing.newHandle());
    }

    final class DirectHandle implements ExtendedHandle {
        private final ExtendedHandle delegate;
        DirectHandle(ExtendedHandle delegate) {
            this.delegate = delegate;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            ByteBuffer into = transport.directReadBuffer(delegate.guess());
            if (into == null) {
                return delegate.allocate(alloc);
            }
            ByteBuf wrapper = Unpooled.wrappedBuffer(into.duplicate()).clear();
            transport.issuedDirectBuffer = wrapper;
            return wrapper;
        }

        @Override
        public int guess() {
            return delegate.guess();
        }

        @Override
        public void reset(ChannelConfig config) {
            delegate.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            delegate.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            delegate.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return delegate.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            delegate.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return delegate.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return delegate.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return delegate.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            delegate.readComplete();
        }
    }
}
