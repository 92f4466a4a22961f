package dev.asyncio.net;

/**
 * The callbacks every protocol has, whatever its transport; mirrors {@code asyncio.BaseProtocol}.
 *
 * <pre>{@code
 * class Counter implements Protocol {
 *     long bytes;
 *     public void dataReceived(byte[] data) { bytes += data.length; }
 *     public void connectionLost(Throwable exc) { System.out.println(bytes + " bytes"); }
 * }
 * }</pre>
 *
 * <p>Callbacks run on the loop's thread, inside the loop's I/O poll and outside any task: they must not
 * suspend (no {@code await}, no {@code sleep}); start a task with {@code Asyncio.createTask} for work that
 * waits. {@link #connectionMade} is called exactly once before anything else, {@link #connectionLost}
 * exactly once at the end (and only if {@code connectionMade} was called). An exception thrown by a
 * callback is a fatal error of the connection: it is reported to the loop's exception handler and the
 * transport is aborted.
 *
 * @param <T> the transport type handed to {@link #connectionMade}
 */
public interface BaseProtocol<T extends BaseTransport> {
    /** The connection is established; {@code transport} is how to write to it and close it. */
    default void connectionMade(T transport) {
    }

    /**
     * The connection is closed: {@code exc} is {@code null} after a regular close or EOF, or the error that
     * broke the connection (a {@link ConnectionResetError}, an {@link SslError}, ...).
     */
    default void connectionLost(Throwable exc) {
    }

    /**
     * The transport's write buffer went over its high-water mark: stop writing until {@link #resumeWriting()}.
     * Mirrors {@code pause_writing}.
     */
    default void pauseWriting() {
    }

    /** The transport's write buffer drained to its low-water mark; mirrors {@code resume_writing}. */
    default void resumeWriting() {
    }
}
