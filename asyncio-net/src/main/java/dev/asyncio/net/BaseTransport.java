package dev.asyncio.net;

/**
 * What every transport can do: close and describe itself; mirrors {@code asyncio.BaseTransport}.
 *
 * <p>Transports are owned by their loop: use them from the loop's thread only (tasks and protocol
 * callbacks of that loop).
 */
public interface BaseTransport {
    /**
     * Closes the transport: data already written is still sent, then the connection is closed and the
     * protocol's {@code connectionLost(null)} is called. Idempotent. Mirrors {@code close}.
     */
    void close();

    /** Whether {@link #close()} was called or the connection was lost; mirrors {@code is_closing}. */
    boolean isClosing();

    /**
     * Information about the connection, or {@code null} if this transport has none by that name; mirrors
     * {@code get_extra_info}. Names: {@code "peername"} and {@code "sockname"} ({@link java.net.SocketAddress}),
     * {@code "channel"} (the Netty {@link io.netty.channel.Channel}), and with TLS {@code "sslcontext"},
     * {@code "ssl_object"} (the {@link javax.net.ssl.SSLEngine}), {@code "peercert"} (the peer's
     * {@link java.security.cert.Certificate} chain), {@code "cipher"} and {@code "protocol"}.
     */
    Object getExtraInfo(String name);

    /** {@link #getExtraInfo(String)}, or {@code defaultValue} when there is no such information. */
    default Object getExtraInfo(String name, Object defaultValue) {
        Object v = getExtraInfo(name);
        return v != null ? v : defaultValue;
    }
}
