package dev.asyncio.bench.echo;

import dev.asyncio.net.Net;
import dev.asyncio.net.Protocol;
import dev.asyncio.net.Transport;

/**
 * The protocol-layer echo server under load: the EchoProtocol of the ProtocolEchoServer example, copied
 * (benchmarks does not depend on examples).
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
        EchoMain.serve(args, "protocol echo server", (host, port) -> Net.createServer(EchoProtocol::new, host, port));
    }
}
