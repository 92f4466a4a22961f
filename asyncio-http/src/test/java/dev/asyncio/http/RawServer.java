package dev.asyncio.http;

import dev.asyncio.net.ConnectionHandler;
import dev.asyncio.net.Server;
import dev.asyncio.net.StreamReader;
import dev.asyncio.net.Streams;

import java.nio.charset.StandardCharsets;

/**
 * A server that speaks whatever bytes its handler writes, on asyncio-net's streams: for what a well-behaved
 * HTTP server never does (garbage, silence, closing at the wrong moment).
 */
final class RawServer {
    private RawServer() {
    }

    @FunctionalInterface
    interface Body {
        void run(Server server, String url) throws Exception;
    }

    /** Runs {@code body} with a server whose connections run {@code handler}; closes every connection afterwards. */
    static void serving(ConnectionHandler handler, Body body) throws Exception {
        Server server = Streams.startServer(handler, "127.0.0.1", 0);
        try {
            body.run(server, "http://127.0.0.1:" + server.port());
        } finally {
            server.close();
            server.abortClients();
            server.waitClosed();
        }
    }

    /** Reads one request head (through the blank line); {@code null} at EOF. */
    static String readHead(StreamReader reader) {
        byte[] head;
        try {
            head = reader.readUntil("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (dev.asyncio.net.IncompleteReadError eof) {
            return null;
        }
        return new String(head, StandardCharsets.US_ASCII);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A complete keep-alive response with {@code body}. */
    static byte[] ok(String body) {
        return ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    }
}
