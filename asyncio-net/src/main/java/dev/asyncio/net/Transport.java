package dev.asyncio.net;

import io.netty.buffer.ByteBuf;

/**
 * A bidirectional byte stream (TCP, Unix socket, TLS over either) as a protocol sees it; mirrors
 * {@code asyncio.Transport}.
 *
 * <pre>{@code
 * public void dataReceived(byte[] data) {
 *     transport.write(data);                  // queued; flushed at the end of this loop step
 *     if (transport.getWriteBufferSize() > limit) transport.pauseReading();
 * }
 * }</pre>
 *
 * <p>{@code write} never blocks and never suspends: bytes are queued in the Netty channel and flushed once,
 * coalesced, at the end of the current loop step (or when the current read burst ends). When the queued
 * bytes go over the high-water mark the protocol's {@code pauseWriting()} is called, and
 * {@code resumeWriting()} once they are back at the low-water mark ({@link #setWriteBufferLimits}).
 *
 * <p>Writing after {@link #close()}, {@link #abort()} or {@link #writeEof()} throws
 * {@link IllegalStateException}; writing after the connection was lost throws the {@link ConnectionError}
 * that broke it, or a {@link ConnectionResetError}. asyncio drops such writes silently.
 */
public interface Transport extends BaseTransport {
    /** The default high-water mark of the write buffer, as asyncio's: 64 KiB. */
    int DEFAULT_HIGH_WATER = 64 * 1024;

    /**
     * Queues {@code data} for sending; the array is copied, so the caller may reuse it. An empty array
     * does nothing. Mirrors {@code write}.
     *
     * @throws IllegalStateException after {@code close}, {@code abort} or {@code writeEof}
     * @throws ConnectionError       after the connection was lost
     */
    void write(byte[] data);

    /** Queues {@code length} bytes of {@code data} from {@code offset}; see {@link #write(byte[])}. */
    void write(byte[] data, int offset, int length);

    /**
     * Queues the bytes between {@code data}'s position and limit (copied) and moves its position to the
     * limit, as a {@link java.nio.channels.WritableByteChannel} would; the way to write from a
     * {@link BufferedProtocol}'s buffer, as asyncio's {@code write(memoryview)}.
     */
    void write(java.nio.ByteBuffer data);

    /**
     * Queues a Netty buffer without copying it: the transport takes ownership and releases it once sent
     * (or when the write fails). The zero-copy path for code that already holds {@code ByteBuf}s.
     */
    void write(ByteBuf data);

    /** Writes each array in turn; mirrors {@code writelines}. */
    default void writeLines(Iterable<byte[]> lines) {
        for (byte[] line : lines) {
            write(line);
        }
    }

    /**
     * Closes the writing side once the queued bytes are sent (a TCP FIN); the protocol may still receive.
     * Mirrors {@code write_eof}.
     *
     * @throws UnsupportedOperationException if {@link #canWriteEof()} is false (TLS)
     */
    void writeEof();

    /** Whether {@link #writeEof()} is supported: true for TCP and Unix sockets, false over TLS. */
    boolean canWriteEof();

    /** Closes at once, dropping queued bytes; the protocol's {@code connectionLost(null)} follows. Mirrors {@code abort}. */
    void abort();

    /** Stops delivering received data until {@link #resumeReading()}; idempotent. Mirrors {@code pause_reading}. */
    void pauseReading();

    /** Delivers received data again; idempotent. Mirrors {@code resume_reading}. */
    void resumeReading();

    /** Whether data is delivered (not paused, not closing); mirrors {@code is_reading}. */
    boolean isReading();

    /**
     * Sets the write buffer's water marks in bytes; mirrors {@code set_write_buffer_limits}. A negative
     * value means "default": {@code high} defaults to 64 KiB, or to 4 x {@code low} when only {@code low} is
     * given; {@code low} defaults to {@code high / 4}.
     *
     * @throws IllegalArgumentException unless {@code high >= low >= 0} after defaults
     */
    void setWriteBufferLimits(int high, int low);

    /** The low and high water marks, in that order; mirrors {@code get_write_buffer_limits}. */
    int[] getWriteBufferLimits();

    /** Bytes queued and not yet handed to the kernel; mirrors {@code get_write_buffer_size}. */
    long getWriteBufferSize();
}
