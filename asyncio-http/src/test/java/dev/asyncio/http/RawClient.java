package dev.asyncio.http;

import dev.asyncio.net.Connection;
import dev.asyncio.net.Streams;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A client that writes bytes as given and reads what comes back, for requests no real client would send. */
final class RawClient implements AutoCloseable {
    private final Connection c;

    private RawClient(Connection c) {
        this.c = c;
    }

    /** Connects to 127.0.0.1:{@code port}. Suspends until connected. */
    static RawClient open(int port) {
        return new RawClient(Streams.openConnection("127.0.0.1", port));
    }

    /** Writes {@code text} (ISO-8859-1) and drains. */
    RawClient send(String text) {
        c.writer().write(text.getBytes(StandardCharsets.ISO_8859_1));
        c.writer().drain();
        return this;
    }

    /** Writes {@code data} and drains: suspends while the server does not read. */
    void sendBytes(byte[] data) {
        c.writer().write(data);
        c.writer().drain();
    }

    /** Whether writes wait: more than the high-water mark is queued (the peer does not read). */
    boolean writerPaused() {
        var t = c.writer().transport();
        return t.getWriteBufferSize() > t.getWriteBufferLimits()[0];
    }

    /** Reads until the server closes the connection; everything it sent. */
    String readAll() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            byte[] b;
            try {
                b = c.reader().read(65536);
            } catch (dev.asyncio.net.ConnectionResetError e) {
                break;
            }
            if (b.length == 0) {
                break;
            }
            out.writeBytes(b);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads one response: its head, then a Content-Length body or a chunked one (the head only for HEAD). */
    String readResponse(boolean headOnly) {
        StringBuilder sb = new StringBuilder();
        String head = readHead();
        sb.append(head);
        if (headOnly) {
            return sb.toString();
        }
        String lower = head.toLowerCase(java.util.Locale.ROOT);
        int cl = lower.indexOf("content-length:");
        if (cl >= 0) {
            int n = Integer.parseInt(lower.substring(cl + 15, lower.indexOf("\r\n", cl)).trim());
            sb.append(new String(c.reader().readExactly(n), StandardCharsets.ISO_8859_1));
        } else if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                String line = new String(c.reader().readLine(), StandardCharsets.ISO_8859_1);
                sb.append(line);
                int n = Integer.parseInt(line.trim(), 16);
                byte[] chunk = c.reader().readExactly(n + 2);
                sb.append(new String(chunk, StandardCharsets.ISO_8859_1));
                if (n == 0) {
                    break;
                }
            }
        }
        return sb.toString();
    }

    /** Reads a response head, up to and with its blank line. */
    String readHead() {
        return new String(c.reader().readUntil("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    /** Reads what has come, at most {@code max} bytes (waiting for some); how many, 0 once the server closed. */
    int readSome(int max) {
        try {
            return c.reader().read(Math.min(max, 65536)).length;
        } catch (dev.asyncio.net.ConnectionResetError e) {
            return 0;
        }
    }

    /** Whether the server closed its side (reads give nothing more). */
    boolean closedByServer() {
        return readAll().isEmpty();
    }

    @Override
    public void close() {
        c.close();
    }
}
