package dev.asyncio;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;

import java.util.ArrayList;
import java.util.List;

/**
 * The loop's Netty {@link IoHandler}, remembering what is registered on it so that {@link AsyncLoop#close()} can
 * close every channel and keep the handler running until those closes have completed, before Netty destroys it.
 *
 * <p>Why by hand: Netty's io_uring transport closes a socket asynchronously. A channel with a read in flight
 * first cancels the read, and only when the cancellation's completion comes back does it queue the
 * {@code IORING_OP_CLOSE} that closes the descriptor. When that completion arrives during
 * {@code IoUringIoHandler.destroy()} (its final drain of the completion queue), the close is queued on a ring
 * that is torn down right after, never submitted: the socket stays open and its peer never sees EOF. Netty's
 * {@code ManualIoEventLoop} runs {@code prepareToDestroy()} and {@code destroy()} back to back in one call,
 * leaving no ring iteration between them, so the loop has to finish the closes before it shuts Netty down. A
 * registration stops being valid once its channel is fully closed (on io_uring, when the close's completion
 * was processed; on NIO and epoll, at once), which is what {@link #anyRegistered()} tells.
 *
 * <p>Used on the loop's thread only (Netty calls {@link #register} there).
 */
final class ClosingIoHandler implements IoHandler {

    private record Entry(IoHandle handle, IoRegistration registration) { }

    private final IoHandler delegate;
    private final List<Entry> registered = new ArrayList<>();
    /** Sweep the registrations no longer valid when the list reaches this size (amortized: double the live ones). */
    private int sweepAt = 64;

    ClosingIoHandler(IoHandler delegate) {
        this.delegate = delegate;
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        IoRegistration registration = delegate.register(handle);
        if (registered.size() >= sweepAt) {
            registered.removeIf(e -> !e.registration.isValid());
            sweepAt = Math.max(64, registered.size() * 2);
        }
        registered.add(new Entry(handle, registration));
        return registration;
    }

    /** Starts closing every handle still registered (what Netty's {@code prepareToDestroy} would do later). */
    void closeAll(AsyncLoop loop) {
        for (Entry e : new ArrayList<>(registered)) {
            if (!e.registration.isValid()) {
                continue;
            }
            try {
                e.handle.close();
            } catch (Exception failure) {
                loop.reportCloseFailure(e.handle, failure);
            }
        }
    }

    /** Whether a handle registered on this handler has not finished closing. */
    boolean anyRegistered() {
        registered.removeIf(e -> !e.registration.isValid());
        return !registered.isEmpty();
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        return delegate.run(context);
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }
}
