package dev.asyncio.http;

import java.util.ArrayDeque;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Undoes the {@code gzip} or {@code deflate} content coding of one response body, only as far as its reader
 * asks: compressed bytes wait here as they came, and {@link #inflate} produces at most the room it is given.
 *
 * <pre>{@code
 * Decompressor d = Decompressor.forEncoding("gzip");
 * d.feed(compressedPiece);                    // kept, not decompressed yet
 * int n = d.inflate(out, 0, out.length);      // at most out.length bytes, whatever the compression ratio
 * }</pre>
 *
 * <p>The output is bounded by the caller, not by the input: a small compressed piece can stand for a thousand
 * times as many bytes (deflate's ratio reaches 1032:1), and inflating a whole socket read at once, as Netty's
 * {@code JdkZlibDecoder} does, is how a compressed body used to fill memory far past the read buffer. The
 * inflating itself is the JDK's zlib ({@link Inflater}); only the gzip framing (RFC 1952: header, CRC-32 and
 * length trailer, members one after another; bytes after the last member are dropped) is read here. {@code deflate} is taken with or without the zlib
 * wrapper (RFC 1950), since servers send both. A stream that needs a preset dictionary is refused.
 *
 * <p>Not thread-safe: one connection's exchange uses it, on the loop's thread. {@link #close()} frees zlib's
 * native memory.
 */
final class Decompressor implements AutoCloseable {
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int RESERVED = 0xE0;

    private enum State {
        /** deflate: the first two bytes tell zlib-wrapped from raw. */
        DETECT,
        /** gzip: the ten fixed header bytes. */
        HEADER,
        EXTRA_LENGTH,
        EXTRA,
        NAME,
        COMMENT,
        HEADER_CRC,
        DATA,
        /** gzip: CRC-32 and length of the member. */
        TRAILER,
        /** gzip: a member ended; more bytes must be another member. */
        MEMBER_END,
        /** deflate: the stream ended; anything after it is ignored. */
        ENDED
    }

    private final boolean gzip;
    private final String encoding;
    private final CRC32 crc;
    private Inflater inflater;
    private State state;

    private final ArrayDeque<byte[]> input = new ArrayDeque<>();
    /** Read offset into the first array of {@link #input}. */
    private int offset;
    private long pending;
    /** Whether any compressed byte came: an empty body is no truncated stream. */
    private boolean fed;
    /** Whether the inflater's input is the first array of {@link #input}, from {@link #offset}. */
    private boolean lent;

    /** The fixed header or the trailer, as it is gathered. */
    private final byte[] fields = new byte[10];
    private int gathered;
    private int flags;
    private int toSkip;

    private Decompressor(boolean gzip, String encoding) {
        this.gzip = gzip;
        this.encoding = encoding;
        this.crc = gzip ? new CRC32() : null;
        this.state = gzip ? State.HEADER : State.DETECT;
    }

    /**
     * A decompressor for a body with {@code Content-Encoding: contentEncoding}, or {@code null} if that is no
     * coding undone here (absent, {@code identity}, or one not supported: the body is then handed out as it
     * came, with its {@code Content-Encoding} header).
     */
    static Decompressor forEncoding(String contentEncoding) {
        if (contentEncoding == null) {
            return null;
        }
        String coding = contentEncoding.strip().toLowerCase(Locale.ROOT);
        return switch (coding) {
            case "gzip", "x-gzip" -> new Decompressor(true, coding);
            case "deflate", "x-deflate" -> new Decompressor(false, coding);
            default -> null;
        };
    }

    /** The content coding undone: "gzip", "deflate", ... */
    String encoding() {
        return encoding;
    }

    /** Takes {@code data} (kept as it is, not copied) as the next compressed bytes; dropped after the end. */
    void feed(byte[] data) {
        if (data.length == 0) {
            return;
        }
        fed = true;
        if (state == State.ENDED) {
            return;
        }
        input.add(data);
        pending += data.length;
    }

    /** Compressed bytes fed and not yet consumed. */
    long pending() {
        return pending;
    }

    /**
     * Whether the stream may end where it stands: at the end of a gzip member, after the end of a deflate
     * stream, or before any byte came. Otherwise a body that ends now was cut short.
     */
    boolean atEnd() {
        return !fed || state == State.MEMBER_END || state == State.ENDED;
    }

    /**
     * Decompresses into {@code out[off, off + len)} as much as the compressed bytes fed so far give, and
     * returns how many bytes it wrote: 0 when it needs more input or the stream has ended.
     *
     * @throws DataFormatException if the bytes are not in the format (bad header, corrupt data, wrong
     *                             checksum or length); the message says which
     */
    int inflate(byte[] out, int off, int len) throws DataFormatException {
        int produced = 0;
        while (produced < len) {
            switch (state) {
                case DETECT -> {
                    if (pending < 2) {
                        return produced;
                    }
                    int cmf = peek(0);
                    int flg = peek(1);
                    // RFC 1950: method 8 (deflate) and a header check that is a multiple of 31.
                    boolean zlib = (cmf & 0x0F) == 8 && ((cmf << 8) | flg) % 31 == 0;
                    inflater = new Inflater(!zlib);
                    state = State.DATA;
                }
                case HEADER -> {
                    if (!gather(10)) {
                        return produced;
                    }
                    if ((fields[0] & 0xFF) != 0x1F || (fields[1] & 0xFF) != 0x8B) {
                        throw new DataFormatException("not in the gzip format (no gzip magic number)");
                    }
                    if (fields[2] != 8) {
                        throw new DataFormatException("unknown gzip compression method " + (fields[2] & 0xFF));
                    }
                    flags = fields[3] & 0xFF;
                    if ((flags & RESERVED) != 0) {
                        throw new DataFormatException("reserved gzip header flags are set: 0x" + Integer.toHexString(flags));
                    }
                    state = State.EXTRA_LENGTH;
                }
                case EXTRA_LENGTH -> {
                    if ((flags & FEXTRA) != 0) {
                        if (!gather(2)) {
                            return produced;
                        }
                        toSkip = (fields[0] & 0xFF) | (fields[1] & 0xFF) << 8;
                    }
                    state = State.EXTRA;
                }
                case EXTRA -> {
                    int n = (int) Math.min(toSkip, pending);
                    skip(n);
                    toSkip -= n;
                    if (toSkip > 0) {
                        return produced;
                    }
                    state = State.NAME;
                }
                case NAME, COMMENT -> {
                    if ((flags & (state == State.NAME ? FNAME : FCOMMENT)) != 0 && !skipPastZero()) {
                        return produced;
                    }
                    state = state == State.NAME ? State.COMMENT : State.HEADER_CRC;
                }
                case HEADER_CRC -> {
                    if ((flags & FHCRC) != 0 && !gather(2)) {
                        return produced;
                    }
                    if (inflater == null) {
                        inflater = new Inflater(true);
                    } else {
                        inflater.reset();
                    }
                    crc.reset();
                    state = State.DATA;
                }
                case DATA -> {
                    if (inflater.needsInput()) {
                        if (input.isEmpty()) {
                            return produced;
                        }
                        byte[] first = input.peekFirst();
                        inflater.setInput(first, offset, first.length - offset);
                        lent = true;
                    }
                    long before = inflater.getBytesRead();
                    int n = inflater.inflate(out, off + produced, len - produced);
                    consumeLent();
                    if (n > 0) {
                        if (crc != null) {
                            crc.update(out, off + produced, n);
                        }
                        produced += n;
                    }
                    if (inflater.finished()) {
                        if (gzip) {
                            state = State.TRAILER;
                        } else {
                            end();
                        }
                    } else if (n == 0) {
                        if (inflater.needsDictionary()) {
                            throw new DataFormatException("the deflate stream needs a preset dictionary");
                        }
                        if (inflater.getBytesRead() == before && !inflater.needsInput()) {
                            throw new DataFormatException("zlib makes no progress on the input");
                        }
                    }
                }
                case TRAILER -> {
                    if (!gather(8)) {
                        return produced;
                    }
                    long expectedCrc = littleEndian32(0);
                    long expectedSize = littleEndian32(4);
                    if (expectedCrc != crc.getValue()) {
                        throw new DataFormatException("the gzip CRC-32 does not match the data");
                    }
                    if (expectedSize != (inflater.getBytesWritten() & 0xFFFF_FFFFL)) {
                        throw new DataFormatException("the gzip length field does not match the data");
                    }
                    state = State.MEMBER_END;
                }
                case MEMBER_END -> {
                    if (pending == 0) {
                        return produced;
                    }
                    // RFC 1952 2.2: members follow one another. Anything else after a complete member (servers
                    // pad with zeros or worse) is dropped, as urllib3 and Netty's decoder do, rather than
                    // failing a body that decompressed and checked out.
                    if (peek(0) != 0x1F || (pending >= 2 && peek(1) != 0x8B)) {
                        end();
                        return produced;
                    }
                    if (pending < 2) {
                        return produced;
                    }
                    state = State.HEADER;
                }
                case ENDED -> {
                    return produced;
                }
            }
        }
        return produced;
    }

    /** Accounts for what the inflater took of the array lent to it; keeps the rest in {@link #input}. */
    private void consumeLent() {
        if (!lent) {
            return;
        }
        byte[] first = input.peekFirst();
        int now = first.length - inflater.getRemaining();
        pending -= now - offset;
        offset = now;
        if (offset == first.length) {
            input.pollFirst();
            offset = 0;
            lent = false;
        }
        if (inflater.finished()) {
            lent = false;             // the rest belongs to the trailer or to nothing: read from input again
        }
    }

    private void end() {
        state = State.ENDED;
        input.clear();
        offset = 0;
        pending = 0;
        lent = false;
    }

    private int peek(int i) {
        int at = offset + i;
        for (byte[] b : input) {
            if (at < b.length) {
                return b[at] & 0xFF;
            }
            at -= b.length;
        }
        throw new IllegalStateException("peek past the input");
    }

    private int take() {
        byte[] first = input.peekFirst();
        int b = first[offset++] & 0xFF;
        pending--;
        if (offset == first.length) {
            input.pollFirst();
            offset = 0;
        }
        return b;
    }

    private void skip(int n) {
        for (int i = 0; i < n; i++) {
            take();
        }
    }

    /** Gathers the next {@code n} bytes into {@link #fields} across calls; whether all {@code n} are there. */
    private boolean gather(int n) {
        while (gathered < n && pending > 0) {
            fields[gathered++] = (byte) take();
        }
        if (gathered < n) {
            return false;
        }
        gathered = 0;
        return true;
    }

    /** Skips a zero-terminated field; whether its end was reached. */
    private boolean skipPastZero() {
        while (pending > 0) {
            if (take() == 0) {
                return true;
            }
        }
        return false;
    }

    private long littleEndian32(int at) {
        return (fields[at] & 0xFFL) | (fields[at + 1] & 0xFFL) << 8 | (fields[at + 2] & 0xFFL) << 16
                | (fields[at + 3] & 0xFFL) << 24;
    }

    /** Frees zlib's native memory and drops the compressed bytes. Idempotent. */
    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
        end();
    }
}
