/**
 * Networking on the loop's own Netty event loop: asyncio's streams, transports and protocols, servers,
 * TLS, UDP, Unix domain sockets and name resolution.
 *
 * <pre>{@code
 * Asyncio.run(() -> {
 *     Server server = Streams.startServer((reader, writer) -> {
 *         byte[] line = reader.readLine();          // suspends this connection's task only
 *         writer.write(line);
 *         writer.drain();
 *     }, "127.0.0.1", 0);
 *     try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
 *         c.writer().write("ping\n".getBytes());
 *         System.out.println(new String(c.reader().readLine()));
 *     }
 *     server.close();
 *     server.waitClosed();
 * });
 * }</pre>
 *
 * <p>Two layers, as in asyncio. {@link dev.asyncio.net.Streams} gives a {@link dev.asyncio.net.StreamReader}
 * and {@link dev.asyncio.net.StreamWriter} per connection, read and written from tasks with suspending calls;
 * a server runs each connection in a task of its own. Under them, {@link dev.asyncio.net.Net} connects
 * {@link dev.asyncio.net.Protocol}s (callbacks on the loop thread) to {@link dev.asyncio.net.Transport}s (a
 * Netty channel each). Every channel is registered on the running loop's Netty event loop, of the loop's
 * transport kind (NIO, epoll, io_uring), so Netty's handlers, protocol callbacks and tasks all run on the
 * loop's one thread and never need a lock.
 *
 * <p>Writes are queued and flushed once per loop step (or at the end of a read burst, from a protocol's
 * {@code dataReceived}); backpressure is {@link dev.asyncio.net.StreamWriter#drain()} over Netty's
 * write-buffer water marks, and a reader past its limit stops reading the socket. Failures are unchecked
 * exceptions named as in Python ({@link dev.asyncio.net.ConnectionRefusedError},
 * {@link dev.asyncio.net.ConnectionResetError}, {@link dev.asyncio.net.IncompleteReadError},
 * {@link dev.asyncio.net.LimitOverrunError}, {@link dev.asyncio.net.SslError}); cancelling a task at any of
 * these suspension points leaves no channel half-open and no buffer unreleased.
 */
package dev.asyncio.net;
