package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * Writes a child's stdin from a {@link StreamWriter}; asyncio's {@code _UnixWritePipeTransport}. See
 * {@link PipeTransport} for why a thread writes the pipe.
 *
 * <p>{@code write} copies the bytes into a queue and returns; the thread writes the queue to the pipe, in
 * pieces of at most 64 KiB, and tells the loop after each piece, so that the write buffer size falls as the
 * child reads and {@link StreamWriter#drain()} wakes at the low-water mark. A child that stops reading leaves
 * the thread blocked in its write and the writer's {@code drain()} waiting, never the loop.
 */
final class PipeWriteTransport extends PipeTransport {
    private static final int PIECE = 64 * 1024;
    private static final byte[] EOF = new byte[0];

    private final OutputStream out;
    private final StreamReaderProtocol protocol;
    // Shared with the thread, under lock: the queue ends with EOF once writeEof/close was called.
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private boolean aborted;
    // The loop's:
    private long bufferSize;
    private int high = DEFAULT_HIGH_WATER;
    private int low = DEFAULT_HIGH_WATER / 4;
    private boolean writingPaused;
    private boolean closing;
    private boolean abortRequested;
    private ConnectionError lost;

    PipeWriteTransport(AsyncLoop loop, String name, OutputStream out) {
        super(loop, name);
        this.out = out;
        // The protocol under every StreamWriter: it tracks pause/resume for drain() and completes
        // waitClosed(). Its reader is never read: a broken pipe set on it is what drain() rethrows.
        this.protocol = new StreamReaderProtocol(loop, new StreamReader(), null, null);
        protocol.connectionMade(this);
    }

    StreamWriter writer() {
        return protocol.writer();
    }

    @Override
    void pump() {
        IOException error = null;
        try {
            byte[] data;
            while ((data = next()) != EOF) {
                for (int off = 0; off < data.length; off += PIECE) {
                    int n = Math.min(PIECE, data.length - off);
                    out.write(data, off, n);
                    out.flush();
                    if (!post(() -> written(n))) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            error = e;
        } finally {
            closeQuietly(out);
            IOException failure = error;
            post(() -> ended(failure));
        }
    }

    /** Thread side: the next array to write, or {@link #EOF} at the end of the queue or after abort. */
    private byte[] next() {
        lock.lock();
        try {
            while (queue.isEmpty() && !aborted) {
                changed.awaitUninterruptibly();
            }
            return aborted ? EOF : queue.poll();
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(byte[] data) {
        lock.lock();
        try {
            queue.add(data);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void written(int n) {
        bufferSize -= n;
        if (writingPaused && bufferSize <= low) {
            writingPaused = false;
            protocol.resumeWriting();
        }
    }

    private void ended(IOException error) {
        closing = true;
        bufferSize = 0;
        // A write cut short by abort() (the child killed under it) is the end asked for, not a failure.
        if (error != null && lost == null && !abortRequested) {
            lost = brokenPipe(error);
        }
        protocol.connectionLost(lost);
        finished();
    }

    private void checkWritable() {
        if (lost != null) {
            throw lost;
        }
        if (closing) {
            throw new IllegalStateException(name + " is closed (close() or writeEof() was called)");
        }
    }

    @Override
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        checkWritable();
        if (length == 0) {
            return;
        }
        enqueue(java.util.Arrays.copyOfRange(data, offset, offset + length));
        bufferSize += length;
        if (!writingPaused && bufferSize > high) {
            writingPaused = true;
            protocol.pauseWriting();
        }
    }

    @Override
    public void write(java.nio.ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        write(copy);
    }

    @Override
    public void write(ByteBuf data) {
        try {
            byte[] copy = new byte[data.readableBytes()];
            data.readBytes(copy);
            write(copy);
        } finally {
            data.release();
        }
    }

    /** Closes the child's stdin once the queued bytes are written: the child reads EOF. */
    @Override
    public void writeEof() {
        close();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    /** As {@link #writeEof()}: the pipe closes after the queued bytes; the protocol's connectionLost follows. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        enqueue(EOF);
    }

    /**
     * Drops the queued bytes and closes the pipe. A thread blocked in a write to a child that does not read
     * stays blocked until the child reads or exits (the JDK cannot interrupt a pipe write);
     * {@link Subprocess#close()} kills the child, which ends it.
     */
    @Override
    public void abort() {
        closing = true;
        abortRequested = true;
        lock.lock();
        try {
            aborted = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        throw new UnsupportedOperationException(name + " is a write pipe: it cannot be read");
    }

    @Override
    public void resumeReading() {
        throw new UnsupportedOperationException(name + " is a write pipe: it cannot be read");
    }

    @Override
    public boolean isReading() {
        return false;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        int h = high < 0 ? (low < 0 ? DEFAULT_HIGH_WATER : 4 * low) : high;
        int l = low < 0 ? h / 4 : low;
        if (h < l || l < 0) {
            throw new IllegalArgumentException("high (" + h + ") must be >= low (" + l + ") must be >= 0");
        }
        this.high = h;
        this.low = l;
    }

    @Override
    public int[] getWriteBufferLimits() {
        return new int[] {low, high};
    }

    @Override
    public long getWriteBufferSize() {
        return bufferSize;
    }
}
