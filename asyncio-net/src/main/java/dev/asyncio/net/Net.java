package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.net.channel.ChannelBridge;
import dev.asyncio.net.channel.Channels;
import dev.asyncio.net.channel.HappyEyeballs;
import dev.asyncio.net.channel.LoopThreads;
import dev.asyncio.net.channel.NetErrors;
import dev.asyncio.net.channel.Tls;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The event loop's networking methods, on the running loop: {@code loop.create_connection},
 * {@code loop.create_server}, {@code loop.create_datagram_endpoint}, {@code loop.create_unix_connection},
 * {@code loop.create_unix_server}, {@code loop.start_tls} and {@code loop.getaddrinfo}, spelled
 * {@code Net.createConnection(...)} and so on. They live here, not on {@link AsyncLoop}, so that the core
 * module does not depend on the network one.
 *
 * <pre>{@code
 * Server server = Net.createServer(EchoProtocol::new, "127.0.0.1", 0);
 * TransportAndProtocol<Transport, Client> c = Net.createConnection(Client::new, "127.0.0.1", server.port());
 * }</pre>
 *
 * <p>Every channel is registered on the running loop's Netty event loop, of the loop's transport kind
 * (NIO, epoll or io_uring), so protocol callbacks and tasks share the loop's one thread. Host names are
 * resolved with the options' {@link Resolver} (the system's, off the loop, by default).
 */
public final class Net {
    private Net() {
    }

    // ---------------------------------------------------------------- TCP clients

    /** {@link #createConnection(Supplier, String, int, StreamOptions)} with default options. */
    public static <P extends BaseProtocol<Transport>> TransportAndProtocol<Transport, P> createConnection(
            Supplier<P> protocolFactory, String host, int port) {
        return createConnection(protocolFactory, host, port, StreamOptions.defaults());
    }

    /**
     * Opens a TCP connection (with TLS if {@code options.ssl()} is set) and connects a new protocol to it.
     * Suspends the current task until the name is resolved, the connection is made, the TLS handshake is
     * done and the protocol's {@code connectionMade} was called. The resolved addresses are tried in turn,
     * or raced with {@link StreamOptions#happyEyeballsDelay()} (RFC 8305), reordered by
     * {@link StreamOptions#interleave()}. Mirrors {@code loop.create_connection}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and the half-made connection is closed; the
     * protocol factory is not called, or if it was, the protocol's {@code connectionLost} follows.
     *
     * @throws ConnectionRefusedError if nobody listens there
     * @throws NameResolutionError    if the host name is unknown
     * @throws SslError               if the TLS handshake fails (certificate, host name, timeout)
     * @throws ConnectionError        for any other network failure
     */
    public static <P extends BaseProtocol<Transport>> TransportAndProtocol<Transport, P> createConnection(
            Supplier<P> protocolFactory, String host, int port, StreamOptions options) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host must be given to connect");
        }
        checkPort(port);
        AsyncLoop loop = Asyncio.getRunningLoop();
        List<InetAddress> addresses = options.resolver().resolve(host);
        if (addresses.isEmpty()) {
            throw new NameResolutionError("getaddrinfo() returned empty list for '" + host + "'", null);
        }
        String sniHost = options.serverHostname() != null ? options.serverHostname() : host;
        HappyEyeballs race = race(loop, options, false).localAddress(options.localAddress());
        if (options.happyEyeballsDelay() != Double.POSITIVE_INFINITY) {
            race.delay(options.happyEyeballsDelay());
        }
        Channel ch = race.connect(HappyEyeballs.interleave(addresses, options.interleave()), port);
        SocketTransport t = attach(loop, ch, protocolFactory, options, sniHost, port);
        @SuppressWarnings("unchecked")
        P protocol = (P) t.protocol();
        return new TransportAndProtocol<>(t, protocol);
    }

    /**
     * Connects to the Unix domain socket at {@code path}; otherwise as
     * {@link #createConnection(Supplier, String, int, StreamOptions)}. Mirrors {@code loop.create_unix_connection}.
     *
     * <p>Cancellation: as {@code createConnection}.
     *
     * @throws UnsupportedOperationException where the platform has no Unix domain sockets
     */
    public static <P extends BaseProtocol<Transport>> TransportAndProtocol<Transport, P> createUnixConnection(
            Supplier<P> protocolFactory, Path path, StreamOptions options) {
        Objects.requireNonNull(path, "path");
        AsyncLoop loop = Asyncio.getRunningLoop();
        String sniHost = options.serverHostname();
        if (options.ssl() != null && sniHost == null && options.checkHostname()) {
            throw new IllegalArgumentException("TLS over a Unix socket needs serverHostname (or checkHostname(false))");
        }
        Channel ch = race(loop, options, true).connect(List.of(Channels.domainAddress(loop.transport(), path)));
        SocketTransport t = attach(loop, ch, protocolFactory, options, sniHost, -1);
        @SuppressWarnings("unchecked")
        P protocol = (P) t.protocol();
        return new TransportAndProtocol<>(t, protocol);
    }

    /** The connect of a client channel, with the channel options of every stream connection. */
    private static HappyEyeballs race(AsyncLoop loop, StreamOptions options, boolean unix) {
        boolean halfClosure = supportsHalfClosure(loop, unix);
        return new HappyEyeballs(loop).options(b -> {
            b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, SocketTransport.defaultWaterMark());
            if (halfClosure) {
                b.option(ChannelOption.ALLOW_HALF_CLOSURE, true);
            }
        });
    }

    /**
     * Sets up the connected channel {@code ch} (TLS, then the transport) and suspends the current task until
     * the handshake is done and the protocol's {@code connectionMade} was called.
     *
     * <p>Cancellation: the channel is closed.
     */
    private static SocketTransport attach(AsyncLoop loop, Channel ch, Supplier<? extends BaseProtocol<Transport>> factory,
                                          StreamOptions options, String sniHost, int port) {
        Future<SocketTransport> ready = loop.createFuture();
        // On a virtual-time loop the clock must not jump past a timeout while the handshake is under way.
        loop.markExternal(ready);
        try {
            if (options.ssl() != null) {
                ch.pipeline().addLast(Tls.clientHandler(ch, options.ssl(), sniHost, port, options.checkHostname(),
                        options.sslHandshakeTimeout(), options.alpnProtocols()));
            }
            ch.pipeline().addLast(new SocketTransport(loop, factory, ready, null, options.ssl()));
            return ready.await();
        } catch (Throwable t) {
            if (!ready.done()) {
                ready.cancel();           // a pending external future would slow a virtual clock for good
            }
            ChannelBridge.closeNow(ch);
            throw t;
        }
    }

    static SslHandler serverSslHandler(Channel ch, SslContext context, double handshakeTimeout) {
        return Tls.serverHandler(ch, context, handshakeTimeout, List.of());
    }

    // ---------------------------------------------------------------- TCP servers

    /** {@link #createServer(Supplier, String, int, ServerOptions)} with default options. */
    public static Server createServer(Supplier<? extends BaseProtocol<Transport>> protocolFactory, String host, int port) {
        return createServer(protocolFactory, host, port, ServerOptions.defaults());
    }

    /**
     * Listens on {@code host:port} and connects a new protocol, made by {@code protocolFactory}, to each
     * accepted connection. {@code host} null or empty listens on every interface; a name listens on every
     * address it resolves to (with {@code port} 0, all on the port the first one got). Suspends the current
     * task until the host name is resolved and every address is bound. Mirrors {@code loop.create_server}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and nothing is left listening.
     *
     * @throws ConnectionError if an address cannot be bound (in use, not local)
     */
    public static Server createServer(Supplier<? extends BaseProtocol<Transport>> protocolFactory, String host,
                                      int port, ServerOptions options) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        return createServer(server -> protocolFactory, host, port, options);
    }

    /** As {@link #createServer(Supplier, String, int, ServerOptions)}, the factory made knowing its server. */
    static Server createServer(java.util.function.Function<Server, Supplier<? extends BaseProtocol<Transport>>> factory,
                               String host, int port, ServerOptions options) {
        Objects.requireNonNull(options, "options");
        checkPort(port);
        AsyncLoop loop = Asyncio.getRunningLoop();
        List<SocketAddress> addresses = new ArrayList<>();
        if (host == null || host.isEmpty()) {
            addresses.add(new InetSocketAddress(port));
        } else {
            for (InetAddress a : options.resolver().resolve(host)) {
                addresses.add(new InetSocketAddress(a, port));
            }
        }
        return listen(loop, factory, addresses, options, false);
    }

    /**
     * Listens on the Unix domain socket at {@code path}; otherwise as
     * {@link #createServer(Supplier, String, int, ServerOptions)}. The socket file is not removed on close.
     * Suspends the current task until the socket is bound. Mirrors {@code loop.create_unix_server}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and nothing is left listening.
     *
     * @throws ConnectionError if the path cannot be bound (it exists, or its directory does not)
     */
    public static Server createUnixServer(Supplier<? extends BaseProtocol<Transport>> protocolFactory, Path path,
                                          ServerOptions options) {
        Objects.requireNonNull(path, "path");
        AsyncLoop loop = Asyncio.getRunningLoop();
        return listen(loop, server -> protocolFactory, List.of(Channels.domainAddress(loop.transport(), path)), options, true);
    }

    static Server createUnixServer(java.util.function.Function<Server, Supplier<? extends BaseProtocol<Transport>>> factory,
                                   Path path, ServerOptions options) {
        Objects.requireNonNull(path, "path");
        AsyncLoop loop = Asyncio.getRunningLoop();
        return listen(loop, factory, List.of(Channels.domainAddress(loop.transport(), path)), options, true);
    }

    static Server listen(AsyncLoop loop, java.util.function.Function<Server, Supplier<? extends BaseProtocol<Transport>>> factory,
                         List<SocketAddress> addresses, ServerOptions options, boolean unix) {
        Server server = new Server(loop);
        Supplier<? extends BaseProtocol<Transport>> protocolFactory = factory.apply(server);
        AcceptBackoff.prepareReporting();
        ServerBootstrap b = new ServerBootstrap()
                .group(loop.ioEventLoop(), loop.ioEventLoop())
                .channelFactory(unix ? Channels.serverDomainSocket(loop.transport()) : Channels.serverSocket(loop.transport()))
                .option(ChannelOption.SO_BACKLOG, options.backlog())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel listener) {
                        listener.pipeline().addLast(new AcceptBackoff(loop::callExceptionHandler, System::nanoTime, server, server::isServing));
                    }
                })
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, SocketTransport.defaultWaterMark())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (options.ssl() != null) {
                            ch.pipeline().addLast(serverSslHandler(ch, options.ssl(), options.sslHandshakeTimeout()));
                        }
                        ch.pipeline().addLast(new SocketTransport(loop, protocolFactory, null, server, options.ssl()));
                    }
                });
        if (!unix) {
            b.option(ChannelOption.SO_REUSEADDR, options.reuseAddress()).childOption(ChannelOption.TCP_NODELAY, true);
        }
        if (supportsHalfClosure(loop, unix)) {
            b.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
        int chosenPort = -1;
        try {
            for (SocketAddress address : addresses) {
                SocketAddress bindTo = address;
                if (chosenPort > 0 && address instanceof InetSocketAddress a && a.getPort() == 0) {
                    bindTo = new InetSocketAddress(a.getAddress(), chosenPort);
                }
                ChannelFuture bound = b.bind(bindTo);
                Future<Channel> done = loop.createFuture();
                onLoop(loop, bound, done, f -> {
                    if (done.done()) {
                        return;
                    }
                    if (f.isSuccess()) {
                        done.setResult(bound.channel());
                    } else {
                        done.setException(NetErrors.toNetError(f.cause(), "cannot listen on " + address));
                    }
                });
                Channel listener;
                try {
                    listener = done.await();
                } catch (Throwable t) {
                    closeNow(bound.channel());
                    throw t;
                }
                server.addListener(listener);
                if (chosenPort < 0 && listener.localAddress() instanceof InetSocketAddress local) {
                    chosenPort = local.getPort();
                }
            }
        } catch (Throwable t) {
            server.close();
            throw t;
        }
        return server;
    }

    // ---------------------------------------------------------------- UDP

    /**
     * Opens a UDP endpoint bound to {@code localAddr} (any port of every interface if {@code null}) and, if
     * {@code remoteAddr} is given, connected to it: then it only exchanges datagrams with that peer, and
     * {@link DatagramTransport#sendTo(byte[])} needs no address. Unresolved addresses are resolved first.
     * Suspends the current task until the socket is bound (and connected) and the protocol's
     * {@code connectionMade} was called. Mirrors {@code loop.create_datagram_endpoint}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and the socket is closed.
     *
     * @throws ConnectionError if the address cannot be bound or connected to
     */
    public static <P extends DatagramProtocol> TransportAndProtocol<DatagramTransport, P> createDatagramEndpoint(
            Supplier<P> protocolFactory, InetSocketAddress localAddr, InetSocketAddress remoteAddr) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (localAddr == null && remoteAddr == null) {
            localAddr = new InetSocketAddress(0);
        }
        AsyncLoop loop = Asyncio.getRunningLoop();
        InetSocketAddress local = localAddr == null ? null : resolved(localAddr);
        InetSocketAddress remote = remoteAddr == null ? null : resolved(remoteAddr);
        P protocol = Objects.requireNonNull(protocolFactory.get(), "the protocol factory returned null");
        UdpTransport transport = new UdpTransport(loop, protocol);
        Bootstrap b = new Bootstrap()
                .group(loop.ioEventLoop())
                .channelFactory(Channels.datagram(loop.transport()))
                .option(ChannelOption.AUTO_READ, false)
                .disableResolver()
                .handler(transport);
        ChannelFuture opening = remote == null ? b.bind(local)
                : local == null ? b.connect(remote) : b.connect(remote, local);
        Future<Void> done = loop.createFuture();
        onLoop(loop, opening, done, f -> {
            if (done.done()) {
                return;
            }
            if (f.isSuccess()) {
                done.setResult(null);
            } else {
                done.setException(NetErrors.toNetError(f.cause(),
                        "cannot open a UDP endpoint" + (local != null ? " on " + local : "")
                                + (remote != null ? " to " + remote : "")));
            }
        });
        try {
            done.await();
        } catch (Throwable t) {
            closeNow(opening.channel());
            throw t;
        }
        transport.established(remote);
        return new TransportAndProtocol<>(transport, protocol);
    }

    private static InetSocketAddress resolved(InetSocketAddress a) {
        if (!a.isUnresolved()) {
            return a;
        }
        return new InetSocketAddress(Resolver.system().resolve(a.getHostString()).get(0), a.getPort());
    }

    // ---------------------------------------------------------------- TLS upgrade

    /**
     * Puts TLS under an open transport (STARTTLS) and keeps the same transport and protocol. Suspends the
     * current task until the handshake is done. {@code serverSide} says which end of the handshake this is;
     * a client checks the server's certificate against {@code serverHostname} (unless
     * {@code checkHostname} is off). Mirrors {@code loop.start_tls}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and the transport is aborted, since the
     * stream is in an unknown state.
     *
     * @throws SslError              if the handshake fails (the transport is then closed)
     * @throws IllegalStateException if the transport already uses TLS or is closed
     */
    public static void startTls(Transport transport, SslContext context, boolean serverSide, String serverHostname,
                                boolean checkHostname, double handshakeTimeout) {
        if (!(transport instanceof SocketTransport t)) {
            throw new IllegalArgumentException("startTls needs a transport made by Net or Streams, got " + transport);
        }
        Objects.requireNonNull(context, "context");
        if (context.isServer() != serverSide) {
            throw new IllegalArgumentException("serverSide=" + serverSide + " needs a " + (serverSide ? "server" : "client")
                    + " SslContext");
        }
        AsyncLoop loop = Asyncio.getRunningLoop();
        Channel ch = t.channel();
        SslHandler handler;
        if (serverSide) {
            handler = serverSslHandler(ch, context, handshakeTimeout);
        } else {
            int port = ch.remoteAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
            handler = Tls.clientHandler(ch, context, serverHostname, port, checkHostname, handshakeTimeout, List.of());
        }
        Future<Void> done = loop.createFuture();
        loop.markExternal(done);
        t.startTls(context, handler).addListener(f -> {
            if (done.done()) {
                return;
            }
            if (f.isSuccess()) {
                done.setResult(null);
            } else {
                done.setException(NetErrors.toNetError(f.cause(), "TLS handshake failed"));
            }
        });
        try {
            done.await();
        } catch (CancelledError e) {
            t.abort();
            throw e;
        }
    }

    // ---------------------------------------------------------------- resolution

    /**
     * The socket addresses for {@code host:port}, resolved with the system resolver. Suspends the current
     * task unless {@code host} is numeric. Mirrors {@code loop.getaddrinfo}.
     *
     * <p>Cancellation: see {@link Resolver#resolve}.
     *
     * @throws NameResolutionError if the name is unknown
     */
    public static List<InetSocketAddress> getAddrInfo(String host, int port) {
        checkPort(port);
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : Resolver.system().resolve(host)) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    /** See {@link LoopThreads#onLoop}. */
    private static void onLoop(AsyncLoop loop, ChannelFuture f, Future<?> waiter,
                               java.util.function.Consumer<ChannelFuture> listener) {
        LoopThreads.onLoop(loop, f, waiter, listener);
    }

    private static void closeNow(Channel ch) {
        ChannelBridge.closeNow(ch);
    }

    /**
     * Whether the channels have the ALLOW_HALF_CLOSURE option: NIO's Unix domain channels do not, and Netty
     * logs a warning for every channel an unknown option is set on (one per connection).
     */
    private static boolean supportsHalfClosure(AsyncLoop loop, boolean unix) {
        return !(unix && loop.transport() == dev.asyncio.IoTransport.NIO);
    }

    static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
    }
}
