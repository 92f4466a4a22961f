package dev.asyncio.net;

import io.netty.handler.ssl.SslContext;

/**
 * How to run a server: the keyword arguments of {@code asyncio.start_server} and {@code loop.create_server}.
 *
 * <pre>{@code
 * ServerOptions tls = ServerOptions.builder().ssl(SslContextBuilder.forServer(key, chain).build()).build();
 * Server s = Streams.startServer(handler, "0.0.0.0", 8443, tls);
 * }</pre>
 */
public final class ServerOptions {
    /**
     * The default listen backlog: the system's maximum, as Netty ({@code NetUtil.SOMAXCONN}) and Go read it
     * ({@code /proc/sys/net/core/somaxconn} on Linux, {@code kern.ipc.somaxconn} on BSD and macOS; 200 on
     * Windows; where it cannot be read, Netty's guess: 128 on macOS, 4096 elsewhere).
     * asyncio's 100 makes a burst of connects, or a moment without free descriptors, overflow the kernel's
     * accept queue: the client's SYN is dropped (a retry a second later) or, with
     * {@code net.ipv4.tcp_abort_on_overflow}, the connection reset. A backlog above the system's maximum is
     * cut to it by the kernel.
     */
    public static final int DEFAULT_BACKLOG = io.netty.util.NetUtil.SOMAXCONN;

    private static final ServerOptions DEFAULTS = builder().build();

    private final int limit;
    private final SslContext ssl;
    private final int backlog;
    private final boolean reuseAddress;
    private final double sslHandshakeTimeout;
    private final Resolver resolver;

    private ServerOptions(Builder b) {
        this.limit = b.limit;
        this.ssl = b.ssl;
        this.backlog = b.backlog;
        this.reuseAddress = b.reuseAddress;
        this.sslHandshakeTimeout = b.sslHandshakeTimeout;
        this.resolver = b.resolver;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * No TLS, 64 KiB reader limit, address reuse on (asyncio's defaults on Unix), and the system's maximum
     * listen backlog ({@link #DEFAULT_BACKLOG}) where asyncio has 100.
     */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    public int limit() {
        return limit;
    }

    public SslContext ssl() {
        return ssl;
    }

    public int backlog() {
        return backlog;
    }

    public boolean reuseAddress() {
        return reuseAddress;
    }

    public double sslHandshakeTimeout() {
        return sslHandshakeTimeout;
    }

    public Resolver resolver() {
        return resolver;
    }

    /** Builds {@link ServerOptions}; every setting is optional. */
    public static final class Builder {
        private int limit = StreamReader.DEFAULT_LIMIT;
        private SslContext ssl;
        private int backlog = DEFAULT_BACKLOG;
        private boolean reuseAddress = true;
        private double sslHandshakeTimeout = 60.0;
        private Resolver resolver = Resolver.system();

        private Builder() {
        }

        /** Each connection's stream reader limit in bytes. */
        public Builder limit(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("Limit cannot be <= 0, got " + bytes);
            }
            this.limit = bytes;
            return this;
        }

        /** Serve TLS with {@code context}, which must be a server context. */
        public Builder ssl(SslContext context) {
            if (context != null && !context.isServer()) {
                throw new IllegalArgumentException("a server needs a server SslContext, got a client one");
            }
            this.ssl = context;
            return this;
        }

        /**
         * How many connections the kernel queues until the server accepts them; {@link #DEFAULT_BACKLOG}
         * (the system's maximum) by default. Mirrors {@code create_server(backlog=...)}.
         */
        public Builder backlog(int backlog) {
            if (backlog <= 0) {
                throw new IllegalArgumentException("backlog must be > 0, got " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        public Builder reuseAddress(boolean on) {
            this.reuseAddress = on;
            return this;
        }

        public Builder sslHandshakeTimeout(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("sslHandshakeTimeout must be > 0, got " + seconds);
            }
            this.sslHandshakeTimeout = seconds;
            return this;
        }

        public Builder resolver(Resolver resolver) {
            this.resolver = java.util.Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        public ServerOptions build() {
            return new ServerOptions(this);
        }
    }
}
