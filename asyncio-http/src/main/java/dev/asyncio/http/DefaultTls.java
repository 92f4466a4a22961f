package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.net.SslError;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/**
 * The TLS context of clients that were given none: the JDK's trusted authorities. Made once per JVM, off the
 * loop's thread, since it reads the trust store from disk.
 */
final class DefaultTls {
    private static volatile SslContext context;

    private DefaultTls() {
    }

    /**
     * The default client context. The first call suspends the current task while the context is made on a
     * virtual thread; later calls return at once.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here; the context may still be made
     * and kept for the next call.
     *
     * @throws SslError if the JDK cannot set up TLS
     */
    static SslContext context() {
        SslContext c = context;
        if (c == null) {
            try {
                c = Asyncio.toThread(() -> SslContextBuilder.forClient().build());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {          // the SSLException of the builder, rethrown as it was by toThread
                throw new SslError("cannot set up TLS with the JDK's trusted authorities: " + e.getMessage(), e);
            }
            context = c;
        }
        return c;
    }
}
