package dev.asyncio.http.websocket;

import io.netty.handler.ssl.SslContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a WebSocket connection, client or server side; immutable, made with {@link #builder()}.
 *
 * <pre>{@code
 * WebSocketOptions options = WebSocketOptions.builder()
 *         .maxMessageSize(64 * 1024)
 *         .subprotocols(List.of("chat"))
 *         .heartbeat(30)
 *         .build();
 * }</pre>
 */
public final class WebSocketOptions {
    /** The default largest message, frames joined: 1 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;

    private final int maxMessageSize;
    private final double closeTimeout;
    private final double handshakeTimeout;
    private final double heartbeat;
    private final double pongTimeout;
    private final boolean compression;
    private final List<String> subprotocols;
    private final Map<String, String> headers;
    private final SslContext sslContext;

    private WebSocketOptions(Builder b) {
        maxMessageSize = b.maxMessageSize;
        closeTimeout = b.closeTimeout;
        handshakeTimeout = b.handshakeTimeout;
        heartbeat = b.heartbeat;
        pongTimeout = b.pongTimeout;
        compression = b.compression;
        subprotocols = List.copyOf(b.subprotocols);
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        sslContext = b.sslContext;
    }

    /** The defaults: 1 MiB messages, 5 s to close, 10 s to connect, no heartbeat, no subprotocol. */
    public static WebSocketOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The largest message taken from the peer, in bytes, its frames joined; a larger one closes with 1009. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** Seconds {@link WebSocket#close} waits for the peer's close frame before it drops the connection. */
    public double closeTimeout() {
        return closeTimeout;
    }

    /** Seconds a client has to connect and finish the opening handshake. */
    public double handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Seconds between pings sent while the connection is open; 0 for none. See {@link Builder#heartbeat}. */
    public double heartbeat() {
        return heartbeat;
    }

    /**
     * Seconds the heartbeat waits for the pong to its ping before it closes the connection with 1011; the
     * {@linkplain #heartbeat() heartbeat interval} unless {@link Builder#pongTimeout} set it. The wait goes on
     * while reading is paused because a full {@linkplain #maxMessageSize() message size} waits unreceived (see
     * {@link Builder#heartbeat}): the application must receive within it for the pong to be read.
     */
    public double pongTimeout() {
        return Double.isNaN(pongTimeout) ? heartbeat : pongTimeout;
    }

    /**
     * Whether the permessage-deflate extension (RFC 7692) is offered (client) or accepted when offered
     * (server); off unless {@link Builder#compression} turned it on.
     */
    public boolean compression() {
        return compression;
    }

    /** Client: the subprotocols offered, in order of preference. Server: the ones accepted. */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** Client: extra headers of the opening handshake request (an {@code Origin}, a token, ...). */
    public Map<String, String> headers() {
        return headers;
    }

    /** Client: the TLS context for {@code wss://}, or {@code null} for the JDK's trust store with host name checks. */
    public SslContext sslContext() {
        return sslContext;
    }

    /** A builder of {@link WebSocketOptions}. */
    public static final class Builder {
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private double closeTimeout = 5;
        private double handshakeTimeout = 10;
        private double heartbeat;
        private double pongTimeout = Double.NaN;
        private boolean compression;
        private List<String> subprotocols = List.of();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private SslContext sslContext;

        private Builder() {
        }

        /** The largest message taken from the peer, in bytes (at least 1); a larger one closes with 1009. */
        public Builder maxMessageSize(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxMessageSize must be at least 1 byte, not " + bytes);
            }
            maxMessageSize = bytes;
            return this;
        }

        /** Seconds {@link WebSocket#close} waits for the peer's close frame (more than 0). */
        public Builder closeTimeout(double seconds) {
            closeTimeout = positive("closeTimeout", seconds);
            return this;
        }

        /** Seconds a client has to connect and finish the opening handshake (more than 0). */
        public Builder handshakeTimeout(double seconds) {
            handshakeTimeout = positive("handshakeTimeout", seconds);
            return this;
        }

        /**
         * Sends a ping every {@code seconds} (0: never) while the connection is open, and reads the socket for
         * the pong even when no task receives. A peer that has not answered within the {@linkplain #pongTimeout
         * pong timeout} is taken for gone: it is sent a close frame with 1011 ({@code keepalive ping timeout}) and
         * the connection is dropped; {@link WebSocket#receive} and the other waiting operations then fail with
         * {@link WebSocketClosedError} code 1011.
         *
         * <p>One limit: once a full {@linkplain #maxMessageSize message size} of received messages waits for the
         * application, reading stops (TCP then holds the peer back), and a pong behind the peer's data frames
         * cannot be read without reading them. So if the application does not {@code receive()} within the pong
         * timeout, a live peer is closed with 1011; and the peer's own pings are answered only while something
         * reads, so a peer with a heartbeat of its own may drop the connection likewise. With a heartbeat, keep
         * a task receiving (or make {@code maxMessageSize} and the pong timeout match how late it may be).
         */
        public Builder heartbeat(double seconds) {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("heartbeat must be 0 (off) or a number of seconds, not " + seconds);
            }
            heartbeat = seconds;
            return this;
        }

        /**
         * Seconds the heartbeat waits for the pong to each of its pings (more than 0) before it closes the
         * connection with 1011; by default the heartbeat interval. Without a {@link #heartbeat} it does nothing.
         */
        public Builder pongTimeout(double seconds) {
            if (Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("pongTimeout must be a number of seconds, not " + seconds);
            }
            pongTimeout = positive("pongTimeout", seconds);
            return this;
        }

        /**
         * Turns the permessage-deflate extension (RFC 7692, Netty's implementation) on: a client offers it, a
         * server accepts it when a client offers it; messages are then compressed both ways. The
         * {@linkplain #maxMessageSize message size limit} holds for the decompressed message: a small frame
         * that inflates past it (a deflate bomb) closes the connection with 1009 before more is inflated.
         */
        public Builder compression(boolean on) {
            compression = on;
            return this;
        }

        /** Client: the subprotocols offered, in order of preference. Server: the ones accepted. */
        public Builder subprotocols(List<String> names) {
            for (String n : names) {
                if (n.isEmpty() || n.chars().anyMatch(c -> c <= ' ' || c >= 127 || c == ',')) {
                    throw new IllegalArgumentException("not a subprotocol name: '" + n + "'");
                }
            }
            subprotocols = List.copyOf(names);
            return this;
        }

        /** Client: adds a header to the opening handshake request; CR and LF are refused. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || (name + value).indexOf('\r') >= 0 || (name + value).indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a header name must not be empty and neither may hold CR or LF: '"
                        + name + "'");
            }
            headers.put(name, value);
            return this;
        }

        /** Client: the TLS context for {@code wss://}; {@code null} for the default. */
        public Builder sslContext(SslContext context) {
            sslContext = context;
            return this;
        }

        public WebSocketOptions build() {
            return new WebSocketOptions(this);
        }

        private static double positive(String what, double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException(what + " must be more than 0 seconds, not " + seconds);
            }
            return seconds;
        }
    }
}
