package dev.asyncio.net.channel;

import dev.asyncio.Asyncio;
import dev.asyncio.net.SslError;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS set-up for client and server channels, with one set of defaults for every module: the client checks
 * the server's certificate against the host name whatever the context says (as Python's
 * {@code check_hostname}, off only when asked), sends SNI, and offers the ALPN protocols it is given; the
 * handshake has {@link #DEFAULT_HANDSHAKE_TIMEOUT} seconds unless told otherwise (0: no limit of its own, for
 * callers whose own deadline covers the handshake).
 *
 * <pre>{@code
 * SslHandler tls = Tls.clientHandler(ch, Tls.defaultClientContext(), "example.org", 443, true,
 *         Tls.DEFAULT_HANDSHAKE_TIMEOUT, List.of("http/1.1"));
 * ch.pipeline().addFirst(tls);
 * }</pre>
 *
 * <p>ALPN: the protocols given are set on the engine's {@link SSLParameters} (the JDK provider's way, which
 * needs nothing in the context); a context built with Netty's {@code ApplicationProtocolConfig} negotiates
 * its own list, and an empty list here leaves it alone. {@link #applicationProtocol(Channel)} tells what was
 * agreed once the handshake is done.
 */
public final class Tls {
    /** Seconds a handshake may take by default: asyncio's {@code ssl_handshake_timeout}. */
    public static final double DEFAULT_HANDSHAKE_TIMEOUT = 60.0;

    private static volatile SslContext defaultClient;

    private Tls() {
    }

    /**
     * A client-side handler for {@code ch}.
     *
     * @param serverHostname   the name for SNI and the certificate check, or {@code null} for neither (then
     *                         {@code checkHostname} must be off)
     * @param port             the server's port, a hint for session reuse; negative when there is none (Unix sockets)
     * @param checkHostname    whether the certificate must match {@code serverHostname}
     * @param handshakeTimeout seconds; 0 for no limit of the handler's own
     * @param alpnProtocols    the protocols to offer, most preferred first; empty for no ALPN
     */
    public static SslHandler clientHandler(Channel ch, SslContext context, String serverHostname, int port,
                                           boolean checkHostname, double handshakeTimeout, List<String> alpnProtocols) {
        if (context.isServer()) {
            throw new IllegalArgumentException("a client connection needs a client SslContext, got a server one");
        }
        SslHandler ssl = serverHostname != null
                ? context.newHandler(ch.alloc(), serverHostname, Math.max(port, 0))
                : context.newHandler(ch.alloc());
        SSLEngine engine = ssl.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm(checkHostname ? "HTTPS" : null);
        if (!alpnProtocols.isEmpty()) {
            params.setApplicationProtocols(alpnProtocols.toArray(String[]::new));
        }
        engine.setSSLParameters(params);
        setHandshakeTimeout(ssl, handshakeTimeout);
        return ssl;
    }

    /**
     * A server-side handler for {@code ch}; with {@code alpnProtocols}, the first of them (in this order) that
     * the client offers is chosen.
     *
     * @param handshakeTimeout seconds; 0 for no limit of the handler's own
     */
    public static SslHandler serverHandler(Channel ch, SslContext context, double handshakeTimeout,
                                           List<String> alpnProtocols) {
        if (!context.isServer()) {
            throw new IllegalArgumentException("a server needs a server SslContext, got a client one");
        }
        SslHandler ssl = context.newHandler(ch.alloc());
        if (!alpnProtocols.isEmpty()) {
            SSLEngine engine = ssl.engine();
            SSLParameters params = engine.getSSLParameters();
            params.setApplicationProtocols(alpnProtocols.toArray(String[]::new));
            engine.setSSLParameters(params);
        }
        setHandshakeTimeout(ssl, handshakeTimeout);
        return ssl;
    }

    private static void setHandshakeTimeout(SslHandler ssl, double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("handshakeTimeout must be >= 0 seconds, got " + seconds);
        }
        ssl.setHandshakeTimeout((long) (seconds * 1000), TimeUnit.MILLISECONDS);
    }

    /**
     * The protocol ALPN agreed on for {@code ch}, or {@code null} if none was (no TLS, no ALPN, or the
     * handshake is not done).
     */
    public static String applicationProtocol(Channel ch) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        String p = ssl.applicationProtocol();
        return p == null || p.isEmpty() ? null : p;
    }

    /**
     * The client context of connections that were given none: the JDK's trusted authorities. Made once per
     * JVM, off the loop's thread, since it reads the trust store from disk: the first call suspends the
     * current task while the context is made on a virtual thread; later calls return at once.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here; the context may still be made
     * and kept for the next call.
     *
     * @throws SslError if the JDK cannot set up TLS
     */
    public static SslContext defaultClientContext() {
        SslContext c = defaultClient;
        if (c == null) {
            try {
                c = Asyncio.toThread(() -> SslContextBuilder.forClient().build());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {          // the SSLException of the builder, rethrown as it was by toThread
                throw new SslError("cannot set up TLS with the JDK's trusted authorities: " + e.getMessage(), e);
            }
            defaultClient = c;
        }
        return c;
    }
}
