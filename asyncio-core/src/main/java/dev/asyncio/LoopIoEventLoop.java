package dev.asyncio;

import dev.asyncio.internal.Engine;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoRegistration;
import io.netty.channel.ManualIoEventLoop;
import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loop a loop's channels are registered with. Netty decides whether a call may run inline by
 * asking the channel's event loop {@code inEventLoop()}; the {@link ManualIoEventLoop} underneath answers yes
 * for its one owning thread only. This view answers yes also for
 * <ul>
 *   <li>on the thread engine, every thread that runs for the loop while it holds control (the host, its
 *       tasks, the generators they step), exactly as the one loop thread of the continuation engine would, so
 *       that writes, closes and listeners run inline in both engines;</li>
 *   <li>a thread closing the loop while its owner is elsewhere ({@link ClosingIoHandler#asCloser}), so that
 *       the close can close the loop's channels; what they hand to the event loop meanwhile goes to that
 *       close.</li>
 * </ul>
 * Everything else is the manual loop's.
 */
final class LoopIoEventLoop extends AbstractEventExecutor implements IoEventLoop {
    private final AsyncLoop loop;
    private final ManualIoEventLoop io;
    private final ClosingIoHandler handler;

    LoopIoEventLoop(AsyncLoop loop, ManualIoEventLoop io, ClosingIoHandler handler) {
        this.loop = loop;
        this.io = io;
        this.handler = handler;
    }

    @Override
    public boolean inEventLoop(Thread thread) {
        return io.inEventLoop(thread) || handler.isCloser(thread)
                || (Engine.ON_THREADS && thread == Thread.currentThread() && ThreadState.current().runningLoop == loop);
    }

    @Override
    public IoEventLoop next() {
        return this;
    }

    @Override
    public IoEventLoopGroup parent() {
        return io.parent();
    }

    @Override
    public Future<IoRegistration> register(IoHandle handle) {
        return io.register(handle);
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return io.isCompatible(handleType);
    }

    @Override
    public boolean isIoType(Class<? extends IoHandler> handlerType) {
        return io.isIoType(handlerType);
    }

    @Override
    public ChannelFuture register(Channel channel) {
        return register(new DefaultChannelPromise(channel, this));
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        promise.channel().unsafe().register(this, promise);
        return promise;
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        channel.unsafe().register(this, promise);
        return promise;
    }

    @Override
    public void execute(Runnable task) {
        if (!handler.deferIfCloser(task)) {
            io.execute(task);
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return io.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return io.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return io.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return io.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return io.shutdownGracefully(quietPeriod, timeout, unit);
    }

    @Override
    public Future<?> terminationFuture() {
        return io.terminationFuture();
    }

    @Override
    @Deprecated
    public void shutdown() {
        io.shutdown();
    }

    @Override
    public boolean isShuttingDown() {
        return io.isShuttingDown();
    }

    @Override
    public boolean isShutdown() {
        return io.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return io.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return io.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "LoopIoEventLoop(" + io + ")";
    }
}
