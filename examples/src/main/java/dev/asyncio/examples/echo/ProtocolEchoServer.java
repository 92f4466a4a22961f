package dev.asyncio.examples.echo;

import dev.asyncio.CancelledError;
import dev.asyncio.net.Net;
import dev.asyncio.net.Protocol;
import dev.asyncio.net.Server;
import dev.asyncio.net.ServerOptions;
import dev.asyncio.net.Transport;

import java.io.PrintStream;

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
        EchoOptions.runMain("ProtocolEchoServer", true, EchoOptions.SERVER_USAGE, args,
                options -> () -> serve(start(options.host(), options.port(), options.backlog()), System.out));
    }

    // snippet:serve
    /**
     * Starts listening on {@code host:port} (port 0: any free port); the kernel queues up to {@code backlog}
     * connections until they are accepted (capped at the system's maximum).
     */
    static Server start(String host, int port, int backlog) {
        return Net.createServer(EchoProtocol::new, host, port, ServerOptions.builder().backlog(backlog).build());
    }

    /** Serves until the calling task is cancelled (Ctrl-C), then ends every connection and closes. */
    static void serve(Server server, PrintStream out) {
        try (server) {
            out.println("serving on " + server.sockets() + "; Ctrl-C stops");
            server.serveForever();             // suspends; cancellation ends every connection first
        } catch (CancelledError e) {
            out.println("stopped");
            throw e;
        }
    }
    // end-snippet
}
