package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.LoopGroup;
import dev.asyncio.net.channel.NetErrors;
import dev.asyncio.net.channel.RoundRobinLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.UnixChannelOption;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Servers that spread their connections over the loops of a {@link LoopGroup}. The returned {@link Server}
 * belongs to the calling loop and has one part per loop of the group; each part is a one-loop server that
 * serves the connections registered with its loop, so that a connection's channel, protocol and task all stay
 * on one loop (one thread) for the connection's life.
 *
 * <p>How connections reach the loops depends on the group's transport. On epoll and io_uring every part listens
 * on the same address with its own socket, bound with {@code SO_REUSEPORT}: the kernel spreads incoming
 * connections over the sockets by a hash of each connection's addresses and ports, and no thread hands
 * anything to another. NIO has no {@code SO_REUSEPORT} in the JDK, so the first loop listens and hands each
 * accepted channel to the next loop in turn (round robin), as Netty's boss and worker groups do.
 */
final class GroupServers {
    private GroupServers() {
    }

    static Server listen(LoopGroup group, Function<Server, Supplier<? extends BaseProtocol<Transport>>> factory,
                         List<SocketAddress> addresses, ServerOptions options) {
        AsyncLoop home = Asyncio.getRunningLoop();
        if (group.isClosed()) {
            throw new IllegalStateException(group + " is closed: a server cannot listen on it");
        }
        List<Server> parts = new ArrayList<>();
        Map<EventLoop, Server> partOfLoop = new IdentityHashMap<>();
        for (AsyncLoop loop : group.loops()) {
            Server part = new Server(loop);
            parts.add(part);
            partOfLoop.put(loop.ioEventLoop(), part);
        }
        Server server = new Server(home, parts);
        // Not modified from here on; each loop's thread reads it for every channel it is handed (Netty's task
        // queue between the threads orders the reads after these writes).
        Function<Channel, Server> partOf = ch -> {
            Server part = partOfLoop.get(ch.eventLoop());
            if (part == null) {
                throw new IllegalStateException("channel " + ch + " is registered with a loop outside " + group);
            }
            return part;
        };
        boolean reusePort = RoundRobinLoops.reusePort(group);
        int chosenPort = -1;
        try {
            for (SocketAddress address : addresses) {
                SocketAddress bindTo = address;
                if (chosenPort > 0 && address instanceof InetSocketAddress a && a.getPort() == 0) {
                    bindTo = new InetSocketAddress(a.getAddress(), chosenPort);
                }
                if (reusePort) {
                    for (Server part : parts) {
                        ServerBootstrap b = Net.serverBootstrap(part.loop(), part, part.loop().ioEventLoop(), partOf,
                                factory, options, false).option(UnixChannelOption.SO_REUSEPORT, true);
                        Channel listener = bind(b, bindTo);
                        part.addListener(listener);
                        server.addListener(listener);
                        if (chosenPort < 0 && listener.localAddress() instanceof InetSocketAddress local) {
                            chosenPort = local.getPort();
                            bindTo = new InetSocketAddress(((InetSocketAddress) bindTo).getAddress(), chosenPort);
                        }
                    }
                } else {
                    Server acceptor = parts.get(0);
                    ServerBootstrap b = Net.serverBootstrap(acceptor.loop(), acceptor, new RoundRobinLoops(group), partOf,
                            factory, options, false);
                    Channel listener = bind(b, bindTo);
                    acceptor.addListener(listener);
                    server.addListener(listener);
                    if (chosenPort < 0 && listener.localAddress() instanceof InetSocketAddress local) {
                        chosenPort = local.getPort();
                    }
                }
            }
        } catch (Throwable t) {
            server.close();
            throw t;
        }
        return server;
    }

    /**
     * Binds a listening socket from the calling task and suspends until it listens; the socket's own loop
     * completes the bind, so the result crosses over as a {@link CompletableFuture}.
     */
    private static Channel bind(ServerBootstrap b, SocketAddress to) {
        ChannelFuture bound = b.bind(to);
        CompletableFuture<Channel> done = new CompletableFuture<>();
        bound.addListener(f -> {
            if (f.isSuccess()) {
                done.complete(bound.channel());
            } else {
                done.completeExceptionally(NetErrors.toNetError(f.cause(), "cannot listen on " + to));
            }
        });
        try {
            return Asyncio.await(done);
        } catch (Throwable t) {
            Channel ch = bound.channel();
            if (ch.isRegistered()) {
                ch.close();             // from any thread: Netty closes it on its loop, after the bind
            } else {
                ch.unsafe().closeForcibly();
            }
            throw t;
        }
    }
}
