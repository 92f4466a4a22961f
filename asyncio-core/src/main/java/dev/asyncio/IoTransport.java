package dev.asyncio;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;

/**
 * The Netty I/O backend under a loop. {@link #NIO} works everywhere and is the default; {@link #EPOLL}
 * and {@link #IO_URING} use Netty's native transports on Linux, when their jars are on the class path and
 * the kernel supports them. Behaviour is the same on all three.
 */
public enum IoTransport {
    NIO,
    EPOLL,
    IO_URING;

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
                case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
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
