package dev.asyncio.bench.echo;

import dev.asyncio.AsyncLoop;
import dev.asyncio.IoTransport;
import dev.asyncio.net.ConnectionHandler;
import dev.asyncio.net.Server;
import dev.asyncio.net.StreamReader;
import dev.asyncio.net.StreamWriter;
import dev.asyncio.net.Streams;

/**
 * The streams echo server under load: the same handler as the EchoServer example (read, write, drain),
 * one task per connection. Arguments: {@code PORT [NIO|EPOLL|IO_URING]}.
 */
public final class StreamsEchoServer {
    private StreamsEchoServer() {
    }

    static void echo(StreamReader reader, StreamWriter writer) {
        byte[] data;
        while ((data = reader.read(64 * 1024)).length > 0) {
            writer.write(data);
            writer.drain();
        }
    }

    public static void main(String[] args) {
        serve(args, StreamsEchoServer::echo, "streams echo server");
    }

    /** Serves {@code handler} on 127.0.0.1, port and transport from {@code args}, until the process is killed. */
    static void serve(String[] args, ConnectionHandler handler, String what) {
        int port = Integer.parseInt(args[0]);
        IoTransport transport = args.length > 1 ? IoTransport.valueOf(args[1]) : IoTransport.NIO;
        try (AsyncLoop loop = AsyncLoop.builder().transport(transport).build()) {
            loop.runUntilComplete(() -> {
                Server server = Streams.startServer(handler, "127.0.0.1", port);
                System.out.println(what + " on " + server.sockets() + " (" + transport + ")");
                server.serveForever();
            });
        }
    }
}
