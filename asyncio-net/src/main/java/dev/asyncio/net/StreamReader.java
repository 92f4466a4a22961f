package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import io.netty.buffer.ByteBuf;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The reading end of a connection: a buffer of received bytes with suspending reads; mirrors
 * {@code asyncio.StreamReader}.
 *
 * <pre>{@code
 * Connection c = Streams.openConnection("127.0.0.1", port);
 * byte[] status = c.reader().readLine();          // suspends until a '\n' (or EOF) arrives
 * byte[] body = c.reader().readExactly(length);   // IncompleteReadError if EOF comes first
 * for (byte[] line : c.reader()) { ... }          // every remaining line, until EOF
 * }</pre>
 *
 * <p>A reader holds at most about twice its limit (default 64 KiB): past that it pauses the transport's
 * reading, and the kernel's buffers and TCP flow control push back on the peer; it resumes once the
 * buffer is back under the limit. The limit also bounds how far {@link #readUntil} and {@link #readLine}
 * search for a separator ({@link LimitOverrunError}).
 *
 * <p>Only one task may wait for data at a time: a second one gets an {@link IllegalStateException}, as in
 * asyncio. Every suspending read is a cancellation point that leaves the buffer exactly as it was. A reader
 * made with {@code new StreamReader()} is fed by hand ({@link #feedData}, {@link #feedEof}) and works with no
 * loop running until a read has to wait.
 */
public final class StreamReader implements Iterable<byte[]> {
    /** The default limit, as asyncio's: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final int limit;
    private byte[] buf = EMPTY;
    private int start;
    private int end;
    private boolean eof;
    private Future<Void> waiter;
    private Throwable exception;
    private Transport transport;
    private boolean paused;

    /** A reader with the default 64 KiB limit. */
    public StreamReader() {
        this(DEFAULT_LIMIT);
    }

    /**
     * A reader with the given limit in bytes.
     *
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public StreamReader(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0, got " + limit);
        }
        this.limit = limit;
    }

    /** The limit given at creation. */
    public int limit() {
        return limit;
    }

    /** How many bytes are buffered and not yet read. */
    public int buffered() {
        return end - start;
    }

    /** The exception set by {@link #setException}, or {@code null}. */
    public Throwable exception() {
        return exception;
    }

    /**
     * Makes every later read throw {@code t} (the same instance), and wakes a waiting reader with it; the
     * transport does this when the connection breaks. Mirrors {@code set_exception}.
     */
    public void setException(Throwable t) {
        exception = t;
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.cancelled()) {
                w.setException(t);
            }
        }
    }

    void setTransport(Transport t) {
        if (transport != null) {
            throw new IllegalStateException("Transport already set");
        }
        transport = t;
    }

    /** Marks the end of the stream: reads return what is left, then empty arrays. Mirrors {@code feed_eof}. */
    public void feedEof() {
        eof = true;
        wakeUpWaiter();
    }

    /** Whether EOF was fed and the buffer is empty; mirrors {@code at_eof}. */
    public boolean atEof() {
        return eof && start == end;
    }

    /**
     * Appends {@code data} to the buffer and wakes a waiting reader; mirrors {@code feed_data}.
     *
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(byte[] data) {
        checkNotEof();
        if (data.length == 0) {
            return;
        }
        ensureRoom(data.length);
        System.arraycopy(data, 0, buf, end, data.length);
        end += data.length;
        afterFeed();
    }

    /** The transport's path: copies straight from Netty's buffer, without a {@code byte[]} in between. */
    void feedData(ByteBuf data) {
        checkNotEof();
        int n = data.readableBytes();
        if (n == 0) {
            return;
        }
        if (start == end) {
            // An exact-size array that a read of everything can hand out as it is (see take): the common
            // echo/relay case then costs one copy, not two.
            buf = new byte[n];
            start = 0;
            end = 0;
        } else {
            ensureRoom(n);
        }
        data.readBytes(buf, end, n);
        end += n;
        afterFeed();
    }

    private void checkNotEof() {
        if (eof) {
            throw new IllegalStateException("feedData() after feedEof()");
        }
    }

    private void afterFeed() {
        wakeUpWaiter();
        if (transport != null && !paused && end - start > 2 * limit) {
            transport.pauseReading();
            paused = true;
        }
    }

    private void ensureRoom(int n) {
        if (buf.length - end >= n) {
            return;
        }
        int size = end - start;
        if (buf.length - size >= n && start >= buf.length / 2) {
            System.arraycopy(buf, start, buf, 0, size);
        } else {
            int capacity = Math.max(Math.max(64, buf.length * 2), size + n);
            byte[] bigger = new byte[capacity];
            System.arraycopy(buf, start, bigger, 0, size);
            buf = bigger;
        }
        start = 0;
        end = size;
    }

    private void wakeUpWaiter() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.cancelled()) {
                w.setResult(null);
            }
        }
    }

    private void maybeResumeTransport() {
        if (paused && end - start <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    /** Suspends until data or EOF is fed; see the reads. */
    private void waitForData(String funcName) {
        if (waiter != null) {
            throw new IllegalStateException(funcName
                    + "() called while another task is already waiting for incoming data");
        }
        if (paused) {
            // Waiting for data while reading is paused would wait forever.
            paused = false;
            transport.resumeReading();
        }
        Future<Void> w = Asyncio.getRunningLoop().createFuture();
        waiter = w;
        try {
            w.await();
        } finally {
            if (waiter == w) {
                waiter = null;
            }
        }
    }

    private void throwIfFailed() {
        if (exception != null) {
            throw dev.asyncio.internal.Sneaky.rethrow(exception);
        }
    }

    private byte[] take(int n) {
        if (start == 0 && n == end && end == buf.length) {
            byte[] whole = buf;          // nobody else holds it: the transport path made it for us
            buf = EMPTY;
            start = end = 0;
            return whole;
        }
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        if (start == end) {
            start = end = 0;
        }
        return out;
    }

    /**
     * Reads up to {@code n} bytes; with {@code n == -1}, reads until EOF. Suspends the current task until at
     * least one byte or EOF is there (for {@code -1}: until EOF), and returns an empty array at EOF. Mirrors
     * {@code read}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here and the buffer is left as it was
     * (for {@code -1}, the blocks read so far are lost, as in asyncio).
     *
     * @throws IllegalArgumentException if {@code n < -1}
     */
    public byte[] read(int n) {
        if (n < -1) {
            throw new IllegalArgumentException("read size must be -1 (to EOF) or >= 0, got " + n);
        }
        throwIfFailed();
        if (n == 0) {
            return EMPTY;
        }
        if (n == -1) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            while (true) {
                byte[] block = read(limit);
                if (block.length == 0) {
                    return all.toByteArray();
                }
                all.writeBytes(block);
            }
        }
        if (start == end && !eof) {
            waitForData("read");
        }
        byte[] data = take(Math.min(n, end - start));
        maybeResumeTransport();
        return data;
    }

    /** Reads until EOF; {@link #read(int) read(-1)}. */
    public byte[] read() {
        return read(-1);
    }

    /**
     * Reads one line, through its {@code '\n'}. Suspends the current task until a whole line or EOF is
     * buffered; at EOF returns the partial line (empty when nothing is left). Mirrors {@code readline}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here and the buffer is left as it was.
     *
     * @throws LimitOverrunError if no {@code '\n'} is found within the limit; the buffer is then emptied up
     *                           to and including the separator if it is there, or entirely if not (asyncio
     *                           raises a {@code ValueError} here, after the same clean-up)
     */
    public byte[] readLine() {
        try {
            return readUntil(NEWLINE);
        } catch (IncompleteReadError e) {
            return e.partial();
        } catch (LimitOverrunError e) {
            int consumed = e.consumed();
            if (end - start > consumed && buf[start + consumed] == '\n') {
                start += consumed + 1;
            } else {
                start = end;
            }
            if (start == end) {
                start = end = 0;
            }
            maybeResumeTransport();
            throw e;
        }
    }

    private static final byte[][] NEWLINE = {{'\n'}};

    /**
     * Reads through the first occurrence of {@code separator}, which is included in the result. Suspends the
     * current task until it is buffered or EOF comes. Mirrors {@code readuntil}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here and the buffer is left as it was.
     *
     * @throws IncompleteReadError      at EOF before the separator; it holds the rest of the buffer, which is
     *                                  emptied
     * @throws LimitOverrunError        if the separator is not within the limit; the data stays in the buffer
     * @throws IllegalArgumentException if {@code separator} is empty
     */
    public byte[] readUntil(byte[] separator) {
        return readUntil(new byte[][] {separator});
    }

    /**
     * Reads through whichever of {@code separators} ends first in the stream (Python 3.13's tuple form of
     * {@code readuntil}); otherwise as {@link #readUntil(byte[])}.
     *
     * @throws IllegalArgumentException if no separator is given or one is empty
     */
    public byte[] readUntil(byte[]... separators) {
        if (separators.length == 0) {
            throw new IllegalArgumentException("Separator should contain at least one element");
        }
        int minLen = Integer.MAX_VALUE;
        int maxLen = 0;
        for (byte[] sep : separators) {
            if (sep == null || sep.length == 0) {
                throw new IllegalArgumentException("Separator should be at least one-byte string");
            }
            minLen = Math.min(minLen, sep.length);
            maxLen = Math.max(maxLen, sep.length);
        }
        throwIfFailed();
        int offset = 0;
        int matchStart;
        int matchEnd;
        while (true) {
            int buffered = end - start;
            matchStart = -1;
            matchEnd = -1;
            if (buffered - offset >= minLen) {
                for (byte[] sep : separators) {
                    int at = indexOf(sep, offset);
                    if (at != -1) {
                        int e = at + sep.length;
                        if (matchEnd == -1 || e < matchEnd) {
                            matchEnd = e;
                            matchStart = at;
                        }
                    }
                }
                if (matchEnd != -1) {
                    break;
                }
                offset = Math.max(0, buffered + 1 - maxLen);
                if (offset > limit) {
                    throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            if (eof) {
                byte[] chunk = take(buffered);
                throw new IncompleteReadError(chunk, null);
            }
            waitForData("readUntil");
        }
        if (matchStart > limit) {
            throw new LimitOverrunError("Separator is found, but chunk is longer than limit", matchStart);
        }
        byte[] chunk = take(matchEnd);
        maybeResumeTransport();
        return chunk;
    }

    /** Index, relative to {@code start}, of {@code sep} at or after relative {@code from}, or -1. */
    private int indexOf(byte[] sep, int from) {
        byte first = sep[0];
        int last = end - sep.length;
        outer:
        for (int i = start + from; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < sep.length; j++) {
                if (buf[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    /**
     * Reads exactly {@code n} bytes. Suspends the current task until they are all buffered. Mirrors
     * {@code readexactly}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here and the buffer is left as it was.
     *
     * @throws IncompleteReadError      if EOF comes first: it holds the bytes there were (the buffer is emptied)
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public byte[] readExactly(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly size can not be less than zero, got " + n);
        }
        throwIfFailed();
        if (n == 0) {
            return EMPTY;
        }
        while (end - start < n) {
            if (eof) {
                throw new IncompleteReadError(take(end - start), n);
            }
            waitForData("readExactly");
        }
        byte[] data = take(n);
        maybeResumeTransport();
        return data;
    }

    /**
     * The remaining lines, each read with {@link #readLine()} when {@code hasNext()} is called, until EOF;
     * mirrors {@code async for line in reader}. {@code hasNext()} suspends the current task until a whole
     * line (or EOF) is buffered.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown from {@code hasNext()}; the bytes of the
     * unfinished line stay in the reader, as with {@link #readLine()}.
     */
    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = readLine();
                }
                return next.length > 0;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("end of stream");
                }
                byte[] line = next;
                next = null;
                return line;
            }
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<StreamReader");
        if (end > start) {
            sb.append(' ').append(end - start).append(" bytes");
        }
        if (eof) {
            sb.append(" eof");
        }
        if (limit != DEFAULT_LIMIT) {
            sb.append(" limit=").append(limit);
        }
        if (waiter != null) {
            sb.append(" waiter");
        }
        if (exception != null) {
            sb.append(" exception=").append(exception);
        }
        if (paused) {
            sb.append(" paused");
        }
        return sb.append('>').toString();
    }
}
