package dev.asyncio.bench.echo;

import dev.asyncio.net.StreamReader;
import dev.asyncio.net.StreamWriter;
import dev.asyncio.net.Streams;
import io.netty.buffer.ByteBuf;

/**
 * The streams echo server on the zero-copy pair: {@code reader.readBuf} hands over the Netty buffer the
 * bytes were received in and {@code writer.write(ByteBuf)} sends that same buffer back, so no byte is
 * copied. Otherwise as {@link StreamsEchoServer}. Arguments: {@code PORT [NIO|EPOLL|IO_URING]}.
 */
public final class StreamsBufEchoServer {
    private StreamsBufEchoServer() {
    }

    // snippet:zeroCopyEcho
    static void echo(StreamReader reader, StreamWriter writer) {
        ByteBuf data;
        while ((data = reader.readBuf(64 * 1024)).isReadable()) {   // the received buffer itself: ours now
            writer.write(data);                                      // the writer's now: it releases it
            writer.drain();
        }
    }
    // end-snippet

    public static void main(String[] args) {
        EchoMain.serve(args, "zero-copy streams echo server",
                (host, port) -> Streams.startServer(StreamsBufEchoServer::echo, host, port));
    }
}
