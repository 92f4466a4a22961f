package dev.asyncio.bench.echo;

import dev.asyncio.net.BufferedProtocol;
import dev.asyncio.net.Net;
import dev.asyncio.net.Transport;

import java.nio.ByteBuffer;

/**
 * The protocol-layer echo server with a {@link BufferedProtocol}: the socket is read straight into the
 * protocol's direct buffer (no {@code byte[]} per read), and written back from it (one copy into Netty's
 * pooled buffer). All connections share the one buffer (see {@link BufferedEcho#BufferedEcho}). Arguments: {@code PORT [NIO|EPOLL|IO_URING]}.
 */
public final class BufferedEchoServer {
    private BufferedEchoServer() {
    }

    static final class BufferedEcho implements BufferedProtocol {
        private final ByteBuffer buffer;
        private Transport transport;

        /**
         * {@code shared}: one buffer for every connection of the loop. A BufferedProtocol's buffer is only in
         * use between getBuffer and bufferUpdated, which run back to back on the loop's one thread, and this
         * protocol copies the bytes out (write) before returning; so one hot buffer does for all connections.
         */
        BufferedEcho(ByteBuffer shared) {
            this.buffer = shared;
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            return buffer.clear();
        }

        @Override
        public void bufferUpdated(int nbytes) {
            transport.write(buffer.limit(nbytes));
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
        EchoMain.serve(args, "buffered protocol echo server", (host, port) -> {
            ByteBuffer shared = ByteBuffer.allocateDirect(64 * 1024);
            return Net.createServer(() -> new BufferedEcho(shared), host, port);
        });
    }
}
