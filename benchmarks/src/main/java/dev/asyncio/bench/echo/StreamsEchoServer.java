package dev.asyncio.bench.echo;

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
        EchoMain.serve(args, "streams echo server", (host, port) -> Streams.startServer(StreamsEchoServer::echo, host, port));
    }
}
