package dev.asyncio.net;

import java.nio.ByteBuffer;

/**
 * A stream protocol that gives the transport its own buffer to read into, so that no {@code byte[]} is
 * allocated per chunk; mirrors {@code asyncio.BufferedProtocol}.
 *
 * <pre>{@code
 * final class Sink implements BufferedProtocol {
 *     private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
 *     long total;
 *     public ByteBuffer getBuffer(int sizeHint) { return buffer.clear(); }
 *     public void bufferUpdated(int nbytes) { total += nbytes; }   // bytes at buffer[0, nbytes)
 * }
 * }</pre>
 *
 * <p>The transport writes received bytes into the buffer returned by {@link #getBuffer}, from its position
 * up to its limit, without moving the position, then calls {@link #bufferUpdated} with how many it wrote.
 * On the NIO transport (any buffer) and the epoll transport (a direct buffer), without TLS, the socket is
 * read straight into that buffer: the one copy the kernel makes. Otherwise (TLS, io_uring, a heap buffer on
 * epoll) Netty reads into its own buffer and the bytes are copied into the protocol's once. The
 * buffer must stay untouched between the two calls; it is not kept after {@code bufferUpdated} returns.
 */
public interface BufferedProtocol extends BaseProtocol<Transport> {
    /**
     * A buffer with at least one byte between position and limit, into which the transport writes what
     * arrived; mirrors {@code get_buffer}. {@code sizeHint} is how many bytes the transport has or expects
     * (a hint only: it may be more or less than the buffer holds).
     */
    ByteBuffer getBuffer(int sizeHint);

    /** {@code nbytes} bytes were written into the last buffer, starting at its position; mirrors {@code buffer_updated}. */
    void bufferUpdated(int nbytes);

    /** As {@link Protocol#eofReceived()}: return {@code true} to keep the transport open. */
    default boolean eofReceived() {
        return false;
    }
}
