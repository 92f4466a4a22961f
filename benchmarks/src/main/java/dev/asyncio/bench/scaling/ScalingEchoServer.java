package dev.asyncio.bench.scaling;

import dev.asyncio.Asyncio;
import dev.asyncio.IoTransport;
import dev.asyncio.LoopGroup;
import dev.asyncio.net.Server;
import dev.asyncio.net.Streams;

/**
 * The streams echo server of the scaling benchmark on a {@link LoopGroup}: each read is hashed
 * ({@link CpuWork}) before it is echoed, so that a request costs the server about 20 us of CPU.
 * Arguments: {@code PORT TRANSPORT LOOPS HASH_ROUNDS}.
 */
public final class ScalingEchoServer {
    private ScalingEchoServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        IoTransport transport = IoTransport.valueOf(args[1]);
        int loops = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Asyncio.runMain(() -> {
            try (LoopGroup group = LoopGroup.builder().size(loops).transport(transport).name("scaling").build()) {
                Server server = Streams.startServer(group, (reader, writer) -> {
                    byte[] data;
                    while ((data = reader.read(64 * 1024)).length > 0) {
                        CpuWork.hash(data, 0, data.length, rounds);
                        writer.write(data);
                        writer.drain();
                    }
                }, "127.0.0.1", port);
                System.out.println("asyncio scaling echo server on " + server.sockets().get(0) + ", " + loops
                        + " loops (" + transport + ")");
                server.serveForever();
            }
        });
    }
}
