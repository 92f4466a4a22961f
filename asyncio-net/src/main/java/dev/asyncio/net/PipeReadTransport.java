package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Feeds a child's stdout or stderr into a {@link StreamReader}; asyncio's {@code _UnixReadPipeTransport}.
 * See {@link PipeTransport} for why a thread reads the pipe.
 *
 * <p>Backpressure: the thread reads one chunk, hands it to the loop, and reads the next only once the loop has
 * fed it to the reader and the reader has not paused this transport ({@link StreamReader} pauses past twice
 * its limit). So at most one chunk is between the pipe and the reader, the reader holds at most about twice
 * its limit, and a child that writes faster than the application reads fills the pipe and blocks.
 */
final class PipeReadTransport extends PipeTransport {
    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final StreamReader reader;
    // Shared with the thread, under lock:
    private boolean paused;
    private boolean inFlight;
    private boolean stopped;
    // The loop's:
    private boolean closing;

    PipeReadTransport(AsyncLoop loop, String name, InputStream in, StreamReader reader) {
        super(loop, name);
        this.in = in;
        this.reader = reader;
        reader.setTransport(this);
    }

    @Override
    void pump() {
        IOException error = null;
        try {
            byte[] chunk = new byte[CHUNK];
            while (awaitTurn()) {
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                byte[] data = Arrays.copyOf(chunk, n);
                if (!post(() -> deliver(data))) {
                    return;
                }
            }
        } catch (IOException e) {
            error = e;
        } finally {
            closeQuietly(in);
            IOException failure = error;
            post(() -> ended(failure));
        }
    }

    /** Thread side: waits until the last chunk was delivered and reading is not paused; false once stopped. */
    private boolean awaitTurn() {
        lock.lock();
        try {
            while ((inFlight || paused) && !stopped) {
                changed.awaitUninterruptibly();
            }
            inFlight = !stopped;
            return !stopped;
        } finally {
            lock.unlock();
        }
    }

    private void deliver(byte[] data) {
        try {
            if (!closing) {
                // May call pauseReading() when the reader is over its limit; throws if the application fed
                // the reader EOF itself (reported by the loop), which must not leave the thread waiting.
                reader.feedData(Unpooled.wrappedBuffer(data));
            }
        } finally {
            lock.lock();
            try {
                inFlight = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void ended(IOException error) {
        if (!closing) {
            closing = true;
            if (error != null) {
                reader.setException(brokenPipe(error));
            } else {
                reader.feedEof();
            }
        }
        finished();
    }

    @Override
    public void pauseReading() {
        setPaused(true);
    }

    @Override
    public void resumeReading() {
        setPaused(false);
    }

    private void setPaused(boolean on) {
        lock.lock();
        try {
            paused = on;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isReading() {
        lock.lock();
        try {
            return !paused && !closing;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops reading: the reader gets EOF now and whatever the thread reads later is dropped. The thread ends
     * at its next chunk, or at once if it was waiting for its turn; one blocked in a read of a pipe that
     * nobody writes to ends when the writing side closes (the child, and any grandchild holding the pipe,
     * exits): the JDK gives no way to interrupt a blocking pipe read.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        reader.feedEof();
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    private UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException(name + " is a read pipe: it cannot be written to");
    }

    @Override
    public void write(byte[] data) {
        throw readOnly();
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        throw readOnly();
    }

    @Override
    public void write(java.nio.ByteBuffer data) {
        throw readOnly();
    }

    @Override
    public void write(ByteBuf data) {
        data.release();
        throw readOnly();
    }

    @Override
    public void writeEof() {
        throw readOnly();
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        throw readOnly();
    }

    @Override
    public int[] getWriteBufferLimits() {
        return new int[] {0, 0};
    }

    @Override
    public long getWriteBufferSize() {
        return 0;
    }
}
