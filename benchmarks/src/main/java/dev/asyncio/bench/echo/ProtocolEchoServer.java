package dev.asyncio.bench.echo;

import dev.asyncio.AsyncLoop;
import dev.asyncio.IoTransport;
import dev.asyncio.net.Net;
import dev.asyncio.net.Protocol;
import dev.asyncio.net.Server;
import dev.asyncio.net.Transport;

/**
 * The protocol-layer echo server under load: the EchoProtocol of the ProtocolEchoServer example.
 * Arguments: {@code PORT [NIO|EPOLL|IO_URING]}.
 */
public final class ProtocolEchoServer {
    private ProtocolEchoServer() {
    }

    static final class EchoProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            transport.write(data);
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading();
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        IoTransport transport = args.length > 1 ? IoTransport.valueOf(args[1]) : IoTransport.NIO;
        try (AsyncLoop loop = AsyncLoop.builder().transport(transport).build()) {
            loop.runUntilComplete(() -> {
                Server server = Net.createServer(EchoProtocol::new, "127.0.0.1", port);
                System.out.println("protocol echo server on " + server.sockets() + " (" + transport + ")");
                server.serveForever();
            });
        }
    }
}
