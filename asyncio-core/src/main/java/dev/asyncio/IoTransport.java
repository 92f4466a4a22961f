package dev.asyncio;

import dev.asyncio.internal.Engine;
import dev.asyncio.internal.FiberSupport;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;

/**
 * The Netty I/O backend under a loop. {@link #NIO} works everywhere and is the default; {@link #EPOLL}
 * and {@link #IO_URING} use Netty's native transports on Linux, when their jars are on the class path and
 * the kernel supports them. Behaviour is the same on all three. {@link #IO_URING} needs the continuation
 * engine ({@link AsyncLoop#engine()}); on the thread engine it is unavailable and says why.
 */
public enum IoTransport {
    NIO,
    EPOLL,
    IO_URING;

    /**
     * Why {@link #IO_URING} is unavailable on the thread engine: Netty's ring is entered by the thread that runs
     * the loop, and there that is a virtual thread moving between carrier threads, with tasks submitting from
     * threads of their own; the kernel refuses such a ring's {@code io_uring_enter} ({@code EINVAL}), also
     * with Netty's single-issuer setting off (tried).
     */
    private static final String THREAD_ENGINE_IO_URING = "io_uring needs the continuation engine (JVM option "
            + FiberSupport.JVM_FLAG + "): on the thread engine the loop runs on a virtual thread, and the kernel "
            + "refuses a ring entered from the changing threads under it; use EPOLL or NIO there";

    /** Whether this backend can be used in this JVM and on this kernel. */
    public boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    /** Why this backend cannot be used, or {@code null} if it can. */
    public Throwable unavailabilityCause() {
        try {
            return switch (this) {
                case NIO -> null;
                case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
                case IO_URING -> Engine.ON_THREADS ? new UnsupportedOperationException(THREAD_ENGINE_IO_URING)
                        : IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
            };
        } catch (LinkageError e) {
            return e;
        }
    }

    IoHandlerFactory handlerFactory() {
        Throwable cause = unavailabilityCause();
        if (cause != null) {
            throw new IllegalStateException("The " + this + " transport is not available here: " + cause, cause);
        }
        return switch (this) {
            case NIO -> NioIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
        };
    }
}
