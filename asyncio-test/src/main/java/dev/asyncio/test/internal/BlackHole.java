package dev.asyncio.test.internal;

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
 * connection to it neither succeeds nor fails, as with a host that does not answer (Linux drops a SYN when
 * the listener's queue is full). Bind it to a loopback address other than the server's ({@code 127.0.0.2})
 * on the server's port to make a host's first address one that never answers.
 */
public record BlackHole(ServerSocket listener, List<Socket> filling) implements AutoCloseable {
    /**
     * A black hole on {@code host:port} ({@code port} 0: any free one). Suspends the current task while the
     * accept queue is filled (on a virtual thread: it takes one connect timeout of 300 ms of real time).
     */
    public static BlackHole at(String host, int port) throws Exception {
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

    /** The address it listens on. */
    public InetAddress address() {
        return listener.getInetAddress();
    }

    /** The port it listens on. */
    public int port() {
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
