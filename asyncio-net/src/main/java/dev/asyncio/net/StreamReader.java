package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

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
 * <p>The {@code byte[]} reads copy each byte once, into the array they return (the caller owns it).
 * {@link #readBuf} and {@link #readExactlyBuf} copy nothing: they hand out Netty buffers, which the caller
 * must release or pass to {@link StreamWriter#write(ByteBuf)}; the two kinds of read can be mixed freely.
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
    /**
     * The unread bytes (between its reader and writer index), or {@code null} when there are none. Received
     * Netty buffers are kept as they come, not copied into an array: a read then copies once, straight into
     * the array it returns, and {@link #readBuf} hands the bytes out without any copy. Released as soon as it
     * is read empty, and by {@link #setException} and the loss of the connection.
     */
    private ByteBuf buf;
    /**
     * Whether {@link #buf} is a heap array the reader made itself ({@code Unpooled.wrappedBuffer}), which the
     * garbage collector frees; any buffer received from Netty, heap or direct, must be released instead.
     */
    private boolean ownArray;
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

    /** The capacity of the buffer the unread bytes are in, 0 without one (for tests). */
    int capacityForTests() {
        return buf == null ? 0 : buf.capacity();
    }

    /** How many bytes are buffered and not yet read. */
    public int buffered() {
        return buf == null ? 0 : buf.readableBytes();
    }

    /** The exception set by {@link #setException}, or {@code null}. */
    public Throwable exception() {
        return exception;
    }

    /**
     * Makes every later read throw {@code t} (the same instance), and wakes a waiting reader with it; the
     * transport does this when the connection breaks. Mirrors {@code set_exception}, except that what is
     * buffered, and anything fed later, is dropped at once rather than kept unreadable: {@link #buffered()} is
     * 0 from then on, so {@link #atEof()} is true once EOF is fed.
     */
    public void setException(Throwable t) {
        exception = t;
        // Every later read throws: what is buffered can never be read again.
        releaseBuffer();
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
        return eof && buf == null;
    }

    /**
     * Appends {@code data} to the buffer and wakes a waiting reader; mirrors {@code feed_data}.
     *
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(byte[] data) {
        checkNotEof();
        if (data.length == 0 || exception != null) {
            return;             // after setException nothing can be read: nothing is kept
        }
        if (buf == null) {
            // A private copy (the caller may reuse its array), wrapped: a heap array needs no release.
            buf = Unpooled.wrappedBuffer(Arrays.copyOf(data, Math.max(data.length, 64))).writerIndex(data.length);
            ownArray = true;
        } else {
            ensureWritable(data.length);
            buf.writeBytes(data);
        }
        afterFeed();
    }

    /**
     * The transport's path: takes ownership of {@code data} (released here on every path). The first chunk
     * is kept as it is, without a copy; later ones are appended to it while it is still unread.
     */
    void feedData(ByteBuf data) {
        if (eof) {
            data.release();
            checkNotEof();
        }
        int n = data.readableBytes();
        if (n == 0 || exception != null) {
            data.release();     // after setException nothing can be read: nothing is kept
            return;
        }
        if (buf == null) {
            buf = data;
            ownArray = false;
        } else {
            try {
                ensureWritable(n);
                buf.writeBytes(data);
            } finally {
                data.release();
            }
        }
        afterFeed();
    }

    /**
     * Moves what is buffered out of Netty's pooled memory into a heap array, for a reader whose connection
     * is gone: the application may still read it, or drop the reader without reading it, which must not leak
     * a pooled buffer.
     */
    void unpool() {
        if (buf != null && !ownArray) {
            moveToHeap();       // pooled heap buffers too: they have an array, but go back to a pool
        }
    }

    /** Replaces {@code buf} with an array of exactly its unread bytes. */
    private void moveToHeap() {
        ByteBuf b = buf;
        byte[] rest = new byte[b.readableBytes()];
        b.readBytes(rest);
        b.release();
        buf = Unpooled.wrappedBuffer(rest);
        ownArray = true;
    }

    /**
     * A reader about to wait with a few bytes kept in a much bigger received buffer (a partial line on an
     * idle connection, say) moves them to an array of their size, so that idle connections do not pin
     * pooled buffers sized for a burst. Reads that find what they need never come here.
     */
    private void trimBeforeWaiting() {
        ByteBuf b = buf;
        if (b != null && b.capacity() - b.readableBytes() > Math.max(b.readableBytes(), 1024)) {
            moveToHeap();
        }
    }

    private void releaseBuffer() {
        ByteBuf b = buf;
        if (b != null) {
            buf = null;
            b.release();
        }
    }

    private void checkNotEof() {
        if (eof) {
            throw new IllegalStateException("feedData() after feedEof()");
        }
    }

    private void afterFeed() {
        wakeUpWaiter();
        if (transport != null && !paused && buffered() > 2 * limit) {
            transport.pauseReading();
            paused = true;
        }
    }

    /**
     * Makes room for {@code n} more bytes at the end of {@code buf}. It is written to in place only when
     * nobody else holds it (a {@link #readBuf} slice shares its memory and its reference count): otherwise,
     * or when it is too small, its unread bytes move to a new buffer of the same kind.
     */
    private void ensureWritable(int n) {
        ByteBuf b = buf;
        boolean own = b.refCnt() == 1 && !b.isReadOnly();
        if (own && b.writableBytes() >= n) {
            return;
        }
        int size = b.readableBytes();
        if (own && b.capacity() - size >= n && b.readerIndex() >= b.capacity() / 2) {
            b.discardReadBytes();
            return;
        }
        // Doubling, so that a long readExactly copies what it gathers about once in all (Netty's own
        // calculateNewCapacity grows by 4 MiB steps past 4 MiB, which copies quadratically).
        int capacity = (int) Math.max(size + (long) n, Math.min(Integer.MAX_VALUE - 8, 2L * b.capacity()));
        boolean heap = b.hasArray();
        ByteBuf bigger = heap ? Unpooled.wrappedBuffer(new byte[capacity]).clear() : b.alloc().directBuffer(capacity);
        bigger.writeBytes(b);
        b.release();
        buf = bigger;
        ownArray = heap;
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
        if (paused && buffered() <= limit) {
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
        trimBeforeWaiting();
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

    /** The next {@code n} buffered bytes, in a new array: the one copy the {@code byte[]} reads make. */
    private byte[] take(int n) {
        if (n == 0) {
            return EMPTY;
        }
        byte[] out = new byte[n];
        buf.readBytes(out);
        releaseIfEmpty();
        return out;
    }

    private void releaseIfEmpty() {
        if (buf != null && !buf.isReadable()) {
            releaseBuffer();
        }
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
        if (buf == null && !eof) {
            waitForData("read");
        }
        byte[] data = take(Math.min(n, buffered()));
        maybeResumeTransport();
        return data;
    }

    /** Reads until EOF; {@link #read(int) read(-1)}. */
    public byte[] read() {
        return read(-1);
    }

    /**
     * Reads up to {@code n} bytes as a Netty buffer that the caller then owns and must
     * {@linkplain ByteBuf#release() release}: the zero-copy {@link #read(int)}. Suspends the current task
     * until at least one byte or EOF is there; woken by the next chunk received (or fed), by EOF or by
     * {@link #setException}. Returns {@link Unpooled#EMPTY_BUFFER} at EOF and for {@code n == 0}.
     *
     * <p>When {@code n} covers everything buffered and no earlier slice of it is still held, the buffer
     * returned is the one the bytes were received in (no copy); otherwise it is a slice sharing that memory,
     * which stays allocated until the reader, the caller and every other slice are done with it. Either way
     * the caller may write into what it gets without reaching bytes handed out before. Pass it on to {@link StreamWriter#write(ByteBuf)}, which takes
     * ownership, or release it.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here, the buffer is left as it was
     * and the caller owns nothing.
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public ByteBuf readBuf(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("readBuf size must be >= 0, got " + n);
        }
        throwIfFailed();
        if (n == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        if (buf == null && !eof) {
            waitForData("readBuf");
        }
        ByteBuf data = takeBuf(Math.min(n, buffered()));
        maybeResumeTransport();
        return data;
    }

    /**
     * Reads exactly {@code n} bytes as a Netty buffer that the caller then owns and must release: the
     * zero-copy {@link #readExactly(int)}, sharing memory with the received bytes as {@link #readBuf} does.
     * Suspends the current task until all {@code n} bytes are buffered; woken by each chunk received, by EOF
     * or by {@link #setException}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here, the buffer is left as it was
     * and the caller owns nothing.
     *
     * @throws IncompleteReadError      if EOF comes first: it holds the bytes there were, as an array (the
     *                                  buffer is emptied)
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public ByteBuf readExactlyBuf(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("readExactlyBuf size can not be less than zero, got " + n);
        }
        throwIfFailed();
        if (n == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        while (buffered() < n) {
            if (eof) {
                throw new IncompleteReadError(take(buffered()), n);
            }
            waitForData("readExactlyBuf");
        }
        ByteBuf data = takeBuf(n);
        maybeResumeTransport();
        return data;
    }

    /** The next {@code n} buffered bytes, handed over: the whole buffer when that is all, else a retained slice. */
    private ByteBuf takeBuf(int n) {
        if (n == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf b = buf;
        if (n == b.readableBytes()) {
            buf = null;
            if (b.refCnt() == 1) {
                return b;       // nobody else holds its memory: the caller may do anything with it
            }
            // Slices handed out earlier share its memory: the caller gets a slice too, so that writing into
            // what it was given (clear(), then a response) cannot reach bytes an earlier slice still shows.
            ByteBuf last = b.readRetainedSlice(n);
            b.release();
            return last;
        }
        return b.readRetainedSlice(n);
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
            if (buffered() > consumed && buf.getByte(buf.readerIndex() + consumed) == '\n') {
                buf.skipBytes(consumed + 1);
                releaseIfEmpty();
            } else {
                releaseBuffer();
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
        // Few locals here, the search in methods of its own: this frame is kept, for as long as the task waits
        // for data, by every reader suspended in readLine() (an idle connection's), while the JIT has not
        // compiled it.
        long lengths = separatorLengths(separators);
        throwIfFailed();
        int offset = 0;
        long match;
        while (true) {
            int buffered = buffered();
            if (buffered - offset >= (int) (lengths >>> 32)) {
                match = findSeparator(separators, offset);
                if (match != -1) {
                    break;
                }
                offset = Math.max(0, buffered + 1 - (int) lengths);
                if (offset > limit) {
                    throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            if (eof) {
                throw new IncompleteReadError(take(buffered), null);
            }
            waitForData("readUntil");
        }
        if ((int) (match >>> 32) > limit) {
            throw new LimitOverrunError("Separator is found, but chunk is longer than limit", (int) (match >>> 32));
        }
        byte[] chunk = take((int) match);
        maybeResumeTransport();
        return chunk;
    }

    /**
     * The shortest and the longest separator's length, as {@code (long) min << 32 | max}.
     *
     * @throws IllegalArgumentException if there is none or one is empty
     */
    private static long separatorLengths(byte[][] separators) {
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
        return (long) minLen << 32 | maxLen;
    }

    /**
     * Where the separator that ends first in the buffer, searching from relative {@code offset}, starts and
     * ends (relative to the first unread byte): {@code (long) start << 32 | end}, or -1 if none is there.
     */
    private long findSeparator(byte[][] separators, int offset) {
        int matchStart = -1;
        int matchEnd = -1;
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
        return matchEnd == -1 ? -1 : (long) matchStart << 32 | matchEnd;
    }

    /** Index, relative to the first unread byte, of {@code sep} at or after relative {@code from}, or -1. */
    private int indexOf(byte[] sep, int from) {
        int base = buf.readerIndex();
        int last = buf.writerIndex() - sep.length;
        int i = base + from;
        outer:
        while (i <= last) {
            int at = buf.indexOf(i, last + 1, sep[0]);
            if (at < 0) {
                return -1;
            }
            for (int j = 1; j < sep.length; j++) {
                if (buf.getByte(at + j) != sep[j]) {
                    i = at + 1;
                    continue outer;
                }
            }
            return at - base;
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
        while (buffered() < n) {
            if (eof) {
                throw new IncompleteReadError(take(buffered()), n);
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
        if (buf != null) {
            sb.append(' ').append(buf.readableBytes()).append(" bytes");
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
