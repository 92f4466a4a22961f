package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.internal.Sneaky;
import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.SslContext;

/**
 * The writing end of a connection; mirrors {@code asyncio.StreamWriter}.
 *
 * <pre>{@code
 * writer.write(request);
 * writer.drain();              // suspends while more than 64 KiB wait to be sent
 * writer.close();
 * writer.waitClosed();         // suspends until the connection is closed
 * }</pre>
 *
 * <p>{@link #write} never suspends: bytes are queued and flushed, coalesced, at the end of the loop step.
 * Call {@link #drain()} after writing to wait while the queue is over its high-water mark (Netty's channel
 * write-buffer water marks, 64 KiB / 16 KiB by default as asyncio's); a producer that drains after each
 * write keeps its memory bounded whatever the peer's speed. A connection lost while writes are queued
 * raises at the next {@code drain}; writing after {@link #close()}, {@link #writeEof()} or the loss of the
 * connection throws at once (asyncio drops such writes silently; here they are an error).
 */
public final class StreamWriter {
    private final Transport transport;
    private final StreamReaderProtocol protocol;
    private final StreamReader reader;

    StreamWriter(Transport transport, StreamReaderProtocol protocol, StreamReader reader) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
    }

    /** The transport under this writer; mirrors the {@code transport} attribute. */
    public Transport transport() {
        return transport;
    }

    /**
     * Queues {@code data}; see {@link Transport#write(byte[])}.
     *
     * @throws IllegalStateException after {@link #close()} or {@link #writeEof()}
     * @throws ConnectionError       after the connection was lost
     */
    public void write(byte[] data) {
        transport.write(data);
    }

    /**
     * Queues a Netty buffer without copying it, and takes ownership of it: it is released once written, or
     * at once if the write fails (also when this method throws). The zero-copy {@link #write(byte[])}, for
     * a buffer from {@link StreamReader#readBuf} or one the caller allocated; see {@link Transport#write(ByteBuf)}.
     *
     * @throws IllegalStateException after {@link #close()} or {@link #writeEof()}
     * @throws ConnectionError       after the connection was lost
     */
    public void write(ByteBuf data) {
        transport.write(data);
    }

    /** Queues each line in turn; mirrors {@code writelines}. */
    public void writeLines(Iterable<byte[]> lines) {
        transport.writeLines(lines);
    }

    /**
     * Suspends the current task until the write buffer is at or below its low-water mark; returns at once
     * when it is not over its high-water mark. Woken when Netty reports the channel writable again, or when
     * the connection is lost. Mirrors {@code drain}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here; queued bytes stay queued and
     * will still be sent.
     *
     * @throws ConnectionResetError if the connection was lost (or the error that broke it)
     */
    public void drain() {
        if (reader != null) {
            Throwable exc = reader.exception();
            if (exc != null) {
                throw Sneaky.rethrow(exc);
            }
        }
        if (transport.isClosing()) {
            // Give connectionLost a chance to run, so that a lost connection raises below; as asyncio.
            Asyncio.sleep(0);
        }
        protocol.drainHelper();
    }

    /** Closes the sending side after queued bytes are sent; see {@link Transport#writeEof()}. */
    public void writeEof() {
        transport.writeEof();
    }

    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Closes the connection once the queued bytes are sent; idempotent. Mirrors {@code close}. */
    public void close() {
        transport.close();
    }

    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Suspends the current task until the connection is closed. Mirrors {@code wait_closed}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here; the connection is left as it is.
     *
     * @throws ConnectionError if the connection was broken by an error rather than closed
     */
    public void waitClosed() {
        protocol.closedFuture().await();
    }

    /** See {@link BaseTransport#getExtraInfo(String)}: {@code "peername"}, {@code "sockname"}, {@code "peercert"}, ... */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name);
    }

    public Object getExtraInfo(String name, Object defaultValue) {
        return transport.getExtraInfo(name, defaultValue);
    }

    /**
     * Upgrades the connection to TLS (STARTTLS), on the side this writer is on: a writer of
     * {@link Streams#openConnection} does a client handshake and checks the server's certificate against the
     * host connected to; a server's connection does a server handshake. Bytes already written are sent in
     * clear first; the reader keeps what it buffered. Suspends the current task until the handshake is done.
     * Mirrors {@code start_tls}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here and the connection is aborted.
     *
     * @throws SslError if the handshake fails
     */
    public void startTls(SslContext context) {
        startTls(context, (String) null);
    }

    /** {@link #startTls(SslContext)} checking the certificate against {@code serverHostname}. */
    public void startTls(SslContext context, String serverHostname) {
        startTls(context, serverHostname, true, 60.0);
    }

    /**
     * {@link #startTls(SslContext)} with the TLS settings of {@code options}: its server host name, whether
     * the host name is checked, and the handshake timeout (its {@code ssl} context is not used: {@code context}
     * is). Mirrors {@code start_tls(..., server_hostname=, ssl_handshake_timeout=)}. Suspends likewise.
     */
    public void startTls(SslContext context, StreamOptions options) {
        startTls(context, options.serverHostname(), options.checkHostname(), options.sslHandshakeTimeout());
    }

    private void startTls(SslContext context, String serverHostname, boolean checkHostname, double handshakeTimeout) {
        drain();
        boolean serverSide = protocol.isServerSide();
        String host = serverHostname;
        if (host == null && !serverSide && transport.getExtraInfo("peername") instanceof java.net.InetSocketAddress a) {
            host = a.getHostString();
        }
        Net.startTls(transport, context, serverSide, host, checkHostname, handshakeTimeout);
        protocol.setOverSsl();
    }

    @Override
    public String toString() {
        return "<StreamWriter transport=" + transport + (reader != null ? " reader=" + reader : "") + ">";
    }
}
