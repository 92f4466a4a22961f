package dev.asyncio.net;

/**
 * A stream protocol: callbacks called by a {@link Transport} as bytes arrive; mirrors {@code asyncio.Protocol}.
 *
 * <pre>{@code
 * final class Echo implements Protocol {
 *     private Transport transport;
 *     public void connectionMade(Transport t) { transport = t; }
 *     public void dataReceived(byte[] data) { transport.write(data); }
 * }
 * Server server = Net.createServer(Echo::new, "127.0.0.1", 0);
 * }</pre>
 *
 * <p>The callbacks run in this order: {@code connectionMade}, then {@code dataReceived} any number of times,
 * then at most one {@code eofReceived}, then {@code connectionLost}. See {@link BaseProtocol} for where they
 * run and what an exception in one does. For reads without a {@code byte[]} per chunk, see
 * {@link BufferedProtocol}.
 */
public interface Protocol extends BaseProtocol<Transport> {
    /**
     * Bytes arrived; {@code data} is never empty and belongs to the protocol (nobody else keeps a reference).
     * Mirrors {@code data_received}.
     */
    default void dataReceived(byte[] data) {
    }

    /**
     * The peer closed its writing side (sent a FIN). Return {@code false} (the default) to close the
     * transport, or {@code true} to keep it open and write to it still; mirrors {@code eof_received}.
     */
    default boolean eofReceived() {
        return false;
    }
}
