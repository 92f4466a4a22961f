package dev.asyncio.net;

import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;

/**
 * How to open a client connection: the keyword arguments of {@code asyncio.open_connection} and
 * {@code loop.create_connection}.
 *
 * <pre>{@code
 * SslContext tls = SslContextBuilder.forClient().build();
 * Connection c = Streams.openConnection("example.org", 443, StreamOptions.builder().ssl(tls).build());
 * }</pre>
 *
 * <p>With {@code ssl}, the server's certificate must match the host name ({@code serverHostname}, by
 * default the host connected to), as with Python's default context; {@code checkHostname(false)} turns that
 * off. {@code limit} is the stream reader's limit and does not matter to {@link Net#createConnection}.
 */
public final class StreamOptions {
    private static final StreamOptions DEFAULTS = builder().build();

    private final int limit;
    private final SslContext ssl;
    private final String serverHostname;
    private final boolean checkHostname;
    private final double sslHandshakeTimeout;
    private final InetSocketAddress localAddress;
    private final Resolver resolver;

    private StreamOptions(Builder b) {
        this.limit = b.limit;
        this.ssl = b.ssl;
        this.serverHostname = b.serverHostname;
        this.checkHostname = b.checkHostname;
        this.sslHandshakeTimeout = b.sslHandshakeTimeout;
        this.localAddress = b.localAddress;
        this.resolver = b.resolver;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No TLS, 64 KiB reader limit, the system resolver. */
    public static StreamOptions defaults() {
        return DEFAULTS;
    }

    public int limit() {
        return limit;
    }

    /** The TLS context, or {@code null} for a plain connection. */
    public SslContext ssl() {
        return ssl;
    }

    /** The name the server's certificate must match, or {@code null} for the host connected to. */
    public String serverHostname() {
        return serverHostname;
    }

    public boolean checkHostname() {
        return checkHostname;
    }

    /** Seconds the TLS handshake may take (60 by default, as asyncio). */
    public double sslHandshakeTimeout() {
        return sslHandshakeTimeout;
    }

    /** The local address to bind before connecting, or {@code null}. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public Resolver resolver() {
        return resolver;
    }

    /** Builds {@link StreamOptions}; every setting is optional. */
    public static final class Builder {
        private int limit = StreamReader.DEFAULT_LIMIT;
        private SslContext ssl;
        private String serverHostname;
        private boolean checkHostname = true;
        private double sslHandshakeTimeout = 60.0;
        private InetSocketAddress localAddress;
        private Resolver resolver = Resolver.system();

        private Builder() {
        }

        /** The stream reader's limit in bytes; see {@link StreamReader}. */
        public Builder limit(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("Limit cannot be <= 0, got " + bytes);
            }
            this.limit = bytes;
            return this;
        }

        /** Connect with TLS using {@code context}, which must be a client context. */
        public Builder ssl(SslContext context) {
            if (context != null && context.isServer()) {
                throw new IllegalArgumentException("a client connection needs a client SslContext, got a server one");
            }
            this.ssl = context;
            return this;
        }

        public Builder serverHostname(String name) {
            this.serverHostname = name;
            return this;
        }

        /**
         * Whether the server certificate must match the host name (true by default, whatever the context
         * says). {@code false} stops this check; a Netty 4.2 client context also checks names unless it was
         * built with {@code SslContextBuilder.endpointIdentificationAlgorithm(null)}: both must be off, as
         * Python's {@code check_hostname} must be off on the context.
         */
        public Builder checkHostname(boolean on) {
            this.checkHostname = on;
            return this;
        }

        public Builder sslHandshakeTimeout(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("sslHandshakeTimeout must be > 0, got " + seconds);
            }
            this.sslHandshakeTimeout = seconds;
            return this;
        }

        public Builder localAddress(InetSocketAddress address) {
            this.localAddress = address;
            return this;
        }

        /** How host names are resolved: {@link Resolver#system()} (default) or a {@link DnsResolver}. */
        public Builder resolver(Resolver resolver) {
            this.resolver = java.util.Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        public StreamOptions build() {
            return new StreamOptions(this);
        }
    }
}
