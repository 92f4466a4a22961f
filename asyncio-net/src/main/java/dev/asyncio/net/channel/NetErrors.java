package dev.asyncio.net.channel;

import dev.asyncio.net.ConnectionError;
import dev.asyncio.net.ConnectionRefusedError;
import dev.asyncio.net.ConnectionResetError;
import dev.asyncio.net.NameResolutionError;
import dev.asyncio.net.SslError;
import io.netty.channel.ChannelException;
import io.netty.handler.codec.DecoderException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/** Turns what Netty and the JDK throw (checked {@link IOException}s) into this API's unchecked errors. */
public final class NetErrors {
    private NetErrors() {
    }

    /**
     * The unchecked error for {@code cause}: {@link ConnectionError} and its subclasses for I/O and TLS
     * failures; runtime exceptions and errors are returned as they are.
     */
    public static RuntimeException toNetError(Throwable cause, String context) {
        if (cause instanceof ConnectionError e) {
            return e;
        }
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException ssl) {
            cause = ssl;
        }
        if (cause instanceof ChannelException && cause.getCause() instanceof IOException io) {
            cause = io;     // the socket could not be opened, as when the process is out of descriptors (EMFILE)
        }
        String detail = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        String message = context == null ? detail : context + ": " + detail;
        if (cause instanceof SSLException) {
            return new SslError(message, cause);
        }
        if (cause instanceof UnknownHostException) {
            return new NameResolutionError(message, cause);
        }
        if (cause instanceof java.net.PortUnreachableException) {
            return new ConnectionRefusedError(message, cause);      // ICMP port unreachable, as Linux reports it
        }
        if (cause instanceof ConnectException) {
            String m = String.valueOf(cause.getMessage());
            if (m.contains("refused")) {
                return new ConnectionRefusedError(message, cause);
            }
            return new ConnectionError(message, cause);
        }
        if (cause instanceof ClosedChannelException) {
            return new ConnectionResetError(context == null ? "Connection lost" : context + ": connection lost", cause);
        }
        if (cause instanceof IOException) {
            String m = String.valueOf(cause.getMessage());
            if (m.contains("reset") || m.contains("Broken pipe")) {
                return new ConnectionResetError(message, cause);
            }
            return new ConnectionError(message, cause);
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new ConnectionError(message, cause);
    }

    /** Whether {@code t} is a network failure (reported to the protocol only) rather than a bug to report loudly. */
    public static boolean isNetworkFailure(Throwable t) {
        return t instanceof IOException || t instanceof ConnectionError
                || (t instanceof DecoderException && t.getCause() instanceof SSLException);
    }
}
