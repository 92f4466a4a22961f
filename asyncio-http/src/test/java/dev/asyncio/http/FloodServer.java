package dev.asyncio.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A server that never pauses, on platform threads of its own (not on the test's loop, which it would have to
 * share): for each connection it reads the request head, writes a response head, then writes its body as fast
 * as the socket takes it until the client goes away. Only the kernel's socket buffers slow it down.
 */
final class FloodServer implements AutoCloseable {
    /** What follows the response head; called again and again until the client is gone. */
    @FunctionalInterface
    interface Body {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket listener;
    private final String head;
    private final Body body;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private FloodServer(String head, Body body) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.head = head;
        this.body = body;
        Thread acceptor = Thread.ofPlatform().daemon().name("flood-accept").start(this::accept);
        synchronized (threads) {
            threads.add(acceptor);
        }
    }

    /** Writes {@code head}, then calls {@code body} again and again. */
    static FloodServer raw(String head, Body body) throws IOException {
        return new FloodServer(head, body);
    }

    /** An endless chunked body of {@code piece}, with {@code pauseMillis} between pieces (0: none). */
    static FloodServer chunked(byte[] piece, long pauseMillis) throws IOException {
        byte[] chunk = chunk(piece);
        return new FloodServer("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", out -> {
            out.write(chunk);
            if (pauseMillis > 0) {
                out.flush();
                Thread.sleep(pauseMillis);
            }
        });
    }

    /**
     * An endless gzip body: the same gzip member over and over (members one after another are one gzip body),
     * each {@code inflatedMiB} MiB of zeros in about a thousandth of that; a chunked response.
     */
    static FloodServer gzipBomb(int inflatedMiB) throws IOException {
        byte[] chunk = chunk(gzipOfZeros(inflatedMiB));
        return new FloodServer("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
                out -> out.write(chunk));
    }

    /** A gzip member holding {@code mib} MiB of zeros. */
    static byte[] gzipOfZeros(int mib) {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < mib; i++) {
                gz.write(zeros);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zipped.toByteArray();
    }

    private static byte[] chunk(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 16);
        out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    String url(String path) {
        return "http://127.0.0.1:" + listener.getLocalPort() + path;
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException closed) {
                return;
            }
            synchronized (threads) {
                if (listener.isClosed()) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing: nothing to serve
                    }
                    return;
                }
                sockets.add(s);
                threads.add(Thread.ofPlatform().daemon().name("flood-serve").start(() -> serve(s)));
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int matched = 0;
            while (matched < 4) {                 // the request head, through its blank line
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            while (true) {
                body.write(out);
            }
        } catch (IOException | InterruptedException clientGone) {
            // the client closed the connection: that is how every exchange with this server ends
        }
    }

    /** Stops listening, closes every connection and waits for the threads to end. */
    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        List<Thread> all;
        synchronized (threads) {
            for (Socket s : sockets) {
                s.close();
            }
            all = new ArrayList<>(threads);
        }
        for (Thread t : all) {
            t.interrupt();
            t.join(5_000);
        }
    }
}
