package dev.asyncio.net;

import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.util.List;

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
 *
 * <p>A host name with several addresses is connected to as asyncio does: one address after the other by
 * default, or in a staggered race with {@code happyEyeballsDelay} (RFC 8305; {@code interleave} then takes
 * the address families in turns), see {@link dev.asyncio.net.channel.HappyEyeballs}.
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
    private final double happyEyeballsDelay;
    private final int interleave;
    private final List<String> alpnProtocols;

    private StreamOptions(Builder b) {
        this.limit = b.limit;
        this.ssl = b.ssl;
        this.serverHostname = b.serverHostname;
        this.checkHostname = b.checkHostname;
        this.sslHandshakeTimeout = b.sslHandshakeTimeout;
        this.localAddress = b.localAddress;
        this.resolver = b.resolver;
        this.happyEyeballsDelay = b.happyEyeballsDelay;
        this.interleave = b.interleave >= 0 ? b.interleave : b.happyEyeballsDelay == Double.POSITIVE_INFINITY ? 0 : 1;
        this.alpnProtocols = b.alpnProtocols;
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

    /**
     * Seconds a connection attempt has before the next address is tried alongside it, or
     * {@code Double.POSITIVE_INFINITY} (the default) to try one address at a time.
     */
    public double happyEyeballsDelay() {
        return happyEyeballsDelay;
    }

    /**
     * How many addresses of the first family come before the families take turns; 0 keeps the resolver's
     * order. Unless set: 1 with a {@link #happyEyeballsDelay()}, 0 without, as asyncio.
     */
    public int interleave() {
        return interleave;
    }

    /** The protocols offered by ALPN over TLS, most preferred first; empty (the default) for no ALPN. */
    public List<String> alpnProtocols() {
        return alpnProtocols;
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
        private double happyEyeballsDelay = Double.POSITIVE_INFINITY;
        private int interleave = -1;
        private List<String> alpnProtocols = List.of();

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

        /**
         * Races connection attempts to a host's addresses (RFC 8305, "Happy Eyeballs"): the next address is
         * tried when an attempt has not connected within {@code seconds} (0.25 is RFC 8305's recommendation),
         * the first to connect wins. Mirrors {@code happy_eyeballs_delay}.
         */
        public Builder happyEyeballsDelay(double seconds) {
            if (!(seconds >= 0)) {
                throw new IllegalArgumentException("happyEyeballsDelay must be >= 0 seconds, got " + seconds);
            }
            this.happyEyeballsDelay = seconds;
            return this;
        }

        /** Reorders a host's addresses so that their families take turns; see {@link StreamOptions#interleave()}. */
        public Builder interleave(int firstFamilyCount) {
            if (firstFamilyCount < 0) {
                throw new IllegalArgumentException("interleave must be >= 0, got " + firstFamilyCount);
            }
            this.interleave = firstFamilyCount;
            return this;
        }

        /** The protocols to offer by ALPN over TLS, most preferred first ({@code "h2"}, {@code "http/1.1"}). */
        public Builder alpnProtocols(List<String> protocols) {
            this.alpnProtocols = List.copyOf(protocols);
            return this;
        }

        public StreamOptions build() {
            return new StreamOptions(this);
        }
    }
}
