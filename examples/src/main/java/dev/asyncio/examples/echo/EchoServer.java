package dev.asyncio.examples.echo;

import dev.asyncio.CancelledError;
import dev.asyncio.LoopGroup;
import dev.asyncio.net.Server;
import dev.asyncio.net.ServerOptions;
import dev.asyncio.net.StreamReader;
import dev.asyncio.net.StreamWriter;
import dev.asyncio.net.Streams;

import java.io.PrintStream;
import java.util.LinkedHashSet;

/**
 * An echo server on streams: every connection gets back what it sends, until it closes. Each connection
 * runs in its own task. Ctrl-C stops it cleanly: the main task is cancelled, the server stops listening and
 * ends every connection before the program exits.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am compile exec:exec -Dexample=EchoServer -Dargs="--port 8888"
 * }</pre>
 */
public final class EchoServer {
    private EchoServer() {
    }

    public static void main(String[] args) {
        EchoOptions.runServer("EchoServer", args, (options, group) ->
                serve(start(group, options.host(), options.port(), options.backlog()), options.grace(), System.out));
    }

    // snippet:handler
    /** One connection: read what arrived, write it back, wait until it is sent; until EOF. */
    static void echo(StreamReader reader, StreamWriter writer) {
        byte[] data;
        while ((data = reader.read(64 * 1024)).length > 0) {   // suspends until bytes arrive
            writer.write(data);
            writer.drain();                                   // suspends while the peer is slow
        }
    }
    // end-snippet

    // snippet:serve
    /**
     * Starts listening on {@code host:port} (port 0: any free port); the kernel queues up to {@code backlog}
     * connections until they are accepted (capped at the system's maximum).
     */
    static Server start(String host, int port, int backlog) {
        return Streams.startServer(EchoServer::echo, host, port, ServerOptions.builder().backlog(backlog).build());
    }

    /** As {@link #start(String, int, int)}, the connections spread over the loops of {@code group}. */
    static Server start(LoopGroup group, String host, int port, int backlog) {
        return Streams.startServer(group, EchoServer::echo, host, port, ServerOptions.builder().backlog(backlog).build());
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
