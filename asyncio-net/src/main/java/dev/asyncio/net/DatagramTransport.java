package dev.asyncio.net;

import java.net.SocketAddress;

/**
 * A UDP endpoint as its protocol sees it; mirrors {@code asyncio.DatagramTransport}.
 *
 * <pre>{@code
 * transport.sendTo("ping".getBytes(), new InetSocketAddress("127.0.0.1", 9999));
 * }</pre>
 *
 * <p>{@code sendTo} queues the datagram and flushes at the end of the loop step, like stream writes.
 */
public interface DatagramTransport extends BaseTransport {
    /**
     * Sends {@code data} as one datagram to {@code addr}, or to the connected peer when {@code addr} is
     * {@code null}; mirrors {@code sendto}. The array is copied.
     *
     * @throws IllegalArgumentException if {@code addr} is null on an unconnected endpoint, or differs from
     *                                  the peer of a connected one
     * @throws IllegalStateException    after {@link #close()} or {@link #abort()}
     */
    void sendTo(byte[] data, SocketAddress addr);

    /** {@link #sendTo(byte[], SocketAddress)} to the connected peer. */
    default void sendTo(byte[] data) {
        sendTo(data, null);
    }

    /** Closes at once, dropping queued datagrams; mirrors {@code abort}. */
    void abort();

    /** Bytes queued and not yet sent; mirrors {@code get_write_buffer_size}. */
    long getWriteBufferSize();
}
