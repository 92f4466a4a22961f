package dev.asyncio.examples.echo;

import dev.asyncio.CancelledError;
import dev.asyncio.LoopGroup;
import dev.asyncio.net.Net;
import dev.asyncio.net.Protocol;
import dev.asyncio.net.Server;
import dev.asyncio.net.ServerOptions;
import dev.asyncio.net.Transport;

import java.io.PrintStream;
import java.util.LinkedHashSet;

/**
 * The echo server on the protocol layer that streams are built on: callbacks on the loop thread, no task per
 * connection. Same options and Ctrl-C behaviour as {@link EchoServer}.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am compile exec:exec -Dexample=ProtocolEchoServer -Dargs="--port 8888"
 * }</pre>
 */
public final class ProtocolEchoServer {
    private ProtocolEchoServer() {
    }

    // snippet:protocol
    /** One instance per connection; its callbacks run on the loop thread as bytes arrive. */
    static final class EchoProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(byte[] data) {
            transport.write(data);              // queued, flushed when this read burst ends
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading();           // the peer does not read its echoes: stop reading
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }
    }
    // end-snippet

    public static void main(String[] args) {
        EchoOptions.runServer("ProtocolEchoServer", args, (options, group) ->
                serve(start(group, options.host(), options.port(), options.backlog()), options.grace(), System.out));
    }

    // snippet:serve
    /**
     * Starts listening on {@code host:port} (port 0: any free port); the kernel queues up to {@code backlog}
     * connections until they are accepted (capped at the system's maximum).
     */
    static Server start(String host, int port, int backlog) {
        return Net.createServer(EchoProtocol::new, host, port, ServerOptions.builder().backlog(backlog).build());
    }

    /** As {@link #start(String, int, int)}, the connections spread over the loops of {@code group}. */
    static Server start(LoopGroup group, String host, int port, int backlog) {
        return Net.createServer(group, EchoProtocol::new, host, port, ServerOptions.builder().backlog(backlog).build());
    }

    /**
     * Serves until the calling task is cancelled (SIGTERM, Ctrl-C), then drains: stops listening, lets the
     * connections in flight finish for up to {@code graceSeconds}, ends the rest and closes.
     */
    static void serve(Server server, double graceSeconds, PrintStream out) {
        try (server) {
            out.println("serving on " + new LinkedHashSet<>(server.sockets()) + "; SIGTERM or Ctrl-C stops");
            try {
                server.waitClosed();           // suspends until cancelled: nothing else closes this server
            } catch (CancelledError e) {
                out.println("draining");
                server.shutdown(graceSeconds); // suspends until the connections are done, at most graceSeconds
                throw e;
            }
        } catch (CancelledError e) {
            out.println("stopped");
            throw e;
        }
    }
    // end-snippet
}
