package dev.asyncio.net.channel;

import dev.asyncio.AsyncLoop;
import dev.asyncio.IoTransport;
import dev.asyncio.LoopGroup;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The loops of a {@link LoopGroup} as the Netty event loop group a listening socket hands its accepted channels
 * to: {@link #next()} goes round the loops, so each accepted channel is registered with the next loop in turn.
 * Only what Netty's {@code ServerBootstrap} uses of a child group does anything; the loops' lifecycle is the
 * {@link LoopGroup}'s, so the shutdown methods here only report it.
 *
 * <p>Public (in the bridge package) for the servers of other modules that spread their connections over a
 * group with Netty's {@code ServerBootstrap} of their own, as asyncio-http's {@code HttpServer} does on NIO;
 * {@link #reusePort(LoopGroup)} says whether a group's loops should listen each on its own socket instead.
 */
public final class RoundRobinLoops extends AbstractEventExecutorGroup implements EventLoopGroup {
    private final LoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();
    /** Its own turn, not the group's: one server's connections go round the loops evenly, whatever else runs. */
    private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Whether the loops of {@code group} should each listen on a socket of their own bound with
     * {@code SO_REUSEPORT} (epoll, io_uring: the kernel spreads the connections, no thread hands anything to
     * another) rather than have one loop accept and hand channels round with a {@link RoundRobinLoops} (NIO,
     * whose JDK sockets have no {@code SO_REUSEPORT}).
     */
    public static boolean reusePort(LoopGroup group) {
        return group.loop(0).transport() != IoTransport.NIO;
    }

    /** The loops of {@code group}, taken in turn starting with its first. */
    public RoundRobinLoops(LoopGroup group) {
        this.group = group;
        for (AsyncLoop loop : group.loops()) {
            loops.add(loop.ioEventLoop());
        }
    }

    @Override
    public EventLoop next() {
        return loops.get(Math.floorMod(turn.getAndIncrement(), loops.size()));
    }

    @Override
    public Iterator<EventExecutor> iterator() {
        return new ArrayList<EventExecutor>(loops).iterator();
    }

    @Override
    public ChannelFuture register(Channel channel) {
        return next().register(channel);
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        return next().register(promise);
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        return next().register(channel, promise);
    }

    @Override
    public boolean isShuttingDown() {
        return group.isClosed();
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("the loops belong to " + group + ": close the group");
    }

    @Override
    public Future<?> terminationFuture() {
        throw new UnsupportedOperationException("the loops belong to " + group + ": close the group");
    }

    @Override
    @Deprecated
    public void shutdown() {
        throw new UnsupportedOperationException("the loops belong to " + group + ": close the group");
    }

    @Override
    public boolean isShutdown() {
        return group.isClosed();
    }

    @Override
    public boolean isTerminated() {
        return group.isClosed();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return group.isClosed();
    }
}
