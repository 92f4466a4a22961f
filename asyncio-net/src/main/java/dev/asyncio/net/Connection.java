package dev.asyncio.net;

/**
 * The two ends of a stream connection, as {@code asyncio.open_connection} returns them.
 *
 * <pre>{@code
 * try (Connection c = Streams.openConnection("127.0.0.1", port)) {
 *     c.writer().write("hello\n".getBytes());
 *     byte[] reply = c.reader().readLine();
 * }                                             // closes the connection
 * }</pre>
 */
public record Connection(StreamReader reader, StreamWriter writer) implements AutoCloseable {
    /** Closes the writer, and so the connection (bytes already written are still sent). */
    @Override
    public void close() {
        writer.close();
    }
}
