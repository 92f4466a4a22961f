package dev.asyncio.http;

import dev.asyncio.Asyncio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A listening socket on {@code host} whose accept queue is full, so that the kernel drops further SYNs: a
 * connection to it neither succeeds nor fails, as with a host that does not answer.
 */
record BlackHole(ServerSocket listener, List<Socket> filling) implements AutoCloseable {
    static BlackHole at(String host, int port) throws Exception {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(host, port), 1);
        List<Socket> filling = Asyncio.toThread(() -> {
            List<Socket> in = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket();
                try {
                    s.connect(listener.getLocalSocketAddress(), 300);
                    in.add(s);
                } catch (SocketTimeoutException full) {
                    s.close();
                    return in;
                }
            }
            throw new IllegalStateException("the accept queue of " + listener + " never filled up");
        });
        return new BlackHole(listener, filling);
    }

    InetAddress address() {
        return listener.getInetAddress();
    }

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        for (Socket s : filling) {
            s.close();
        }
        listener.close();
    }
}
