package dev.asyncio.net;

/**
 * What a streams server runs for each connection, in a task of its own; the {@code client_connected_cb}
 * of {@code asyncio.start_server}.
 *
 * <pre>{@code
 * Server s = Streams.startServer((reader, writer) -> {
 *     for (byte[] line : reader) {
 *         writer.write(line);
 *         writer.drain();
 *     }
 * }, "127.0.0.1", 0);
 * }</pre>
 *
 * <p>When the handler returns or throws, the writer is closed (after what was written is sent). An exception
 * it throws goes to the loop's exception handler ("Unhandled exception in client_connected_cb").
 */
@FunctionalInterface
public interface ConnectionHandler {
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
