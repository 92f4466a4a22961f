package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.internal.Cleaners;

import java.lang.ref.Cleaner;
import java.net.URI;

/**
 * What happens to an {@link HttpResponse} that becomes unreachable before it was closed or read to its end:
 * its connection, which nobody can use or give back any more, is closed and leaves the pool, and a warning
 * names the response, as aiohttp's "Unclosed response" {@code ResourceWarning} does.
 *
 * <pre>{@code
 * client.get(url).status();        // never closed, body never read: the connection waits for the GC, then this
 * }</pre>
 *
 * <p>The connection is closed, not reused: what is left of the body on it is unknown. The check runs when the
 * garbage collector notices, which may be much later or never: it is a safety net for a bug, not a way to
 * manage connections. It holds the connection, never the response itself, so that the response can become
 * unreachable; it runs on a cleaner thread and hands the work to the loop's thread.
 */
final class UnclosedResponse implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.asyncio.http");

    private final AsyncLoop loop;
    /** The response's exchange: a later one on the same connection is never touched. */
    private final HttpExchange exchange;
    private final int status;
    private final URI url;
    private final Cleaner.Cleanable cleanable;
    /** Set once the response is released, or once this ran; written by the loop thread or the cleaner thread. */
    private volatile boolean settled;

    UnclosedResponse(HttpResponse response, HttpExchange exchange, int status, URI url) {
        this.loop = exchange.loop();
        this.exchange = exchange;
        this.status = status;
        this.url = url;
        this.cleanable = Cleaners.CLEANER.register(response, this);
    }

    /** The response was closed or read to its end: nothing to do. Loop thread. */
    void settle() {
        settled = true;
        cleanable.clean();
    }

    /** The cleaner's action: the response became unreachable. Runs on the cleaner thread (or in settle()). */
    @Override
    public void run() {
        if (settled) {
            return;
        }
        settled = true;
        try {
            loop.callSoonThreadsafe(this::release);
        } catch (IllegalStateException loopClosed) {
            // The loop closed its channels with it: nothing holds a connection any more.
        }
    }

    private void release() {
        String response = "the response " + status + " from " + url;
        if (exchange.abandon(response + " was never closed")) {
            LOG.log(System.Logger.Level.WARNING, "Unclosed response: " + response + " became unreachable before it "
                    + "was closed or read to its end; its connection was closed. Close every response "
                    + "(try-with-resources) or read its body.");
        }
    }
}
