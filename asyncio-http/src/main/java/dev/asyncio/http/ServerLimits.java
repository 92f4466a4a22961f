package dev.asyncio.http;

/**
 * What an {@link HttpServer} accepts from its clients, and how long it waits for them; each limit hit is
 * answered with a clear 4xx status (or a 503) and the connection is closed.
 *
 * <pre>{@code
 * ServerLimits limits = ServerLimits.builder().maxBodySize(64 * 1024).headerTimeout(5).build();
 * }</pre>
 *
 * <table>
 * <caption>Limits, defaults and the answer when one is hit</caption>
 * <tr><th>limit</th><th>default</th><th>answer</th></tr>
 * <tr><td>{@link #maxRequestLine()}</td><td>8192 bytes</td><td>414</td></tr>
 * <tr><td>{@link #maxHeaderSize()} (all header lines)</td><td>8192 bytes</td><td>431</td></tr>
 * <tr><td>{@link #maxHeaderCount()}</td><td>100</td><td>431</td></tr>
 * <tr><td>{@link #maxBodySize()}</td><td>1 MiB</td><td>413</td></tr>
 * <tr><td>{@link #headerTimeout()}: from a request's first byte (or the connection's start) to its last header</td>
 * <td>10 s</td><td>408 (a slowloris client is cut off)</td></tr>
 * <tr><td>{@link #bodyTimeout()}: the longest wait for the next body bytes while a handler reads</td><td>30 s</td>
 * <td>408</td></tr>
 * <tr><td>{@link #bodyDeadline()}: the longest a whole request body may take, from the first time a handler's
 * read has to wait for body bytes</td>
 * <td>300 s (Node's {@code http.Server} {@code requestTimeout} default)</td><td>408 (a client dripping a byte per {@code bodyTimeout} is cut off)</td></tr>
 * <tr><td>{@link #idleTimeout()}: a keep-alive connection with no request, or a closing connection whose
 * client takes none of its last response</td><td>60 s</td><td>closed, no answer</td></tr>
 * <tr><td>{@link #maxConnections()}</td><td>10000</td><td>503, closed</td></tr>
 * </table>
 *
 * <p>Times are in seconds; {@code Double.POSITIVE_INFINITY} turns a timeout off.
 */
public final class ServerLimits {
    private static final ServerLimits DEFAULTS = builder().build();

    private final int maxRequestLine;
    private final int maxHeaderSize;
    private final int maxHeaderCount;
    private final long maxBodySize;
    private final double headerTimeout;
    private final double bodyTimeout;
    private final double bodyDeadline;
    private final double idleTimeout;
    private final int maxConnections;
    private final int bodyBuffer;

    private ServerLimits(Builder b) {
        this.maxRequestLine = b.maxRequestLine;
        this.maxHeaderSize = b.maxHeaderSize;
        this.maxHeaderCount = b.maxHeaderCount;
        this.maxBodySize = b.maxBodySize;
        this.headerTimeout = b.headerTimeout;
        this.bodyTimeout = b.bodyTimeout;
        this.bodyDeadline = b.bodyDeadline;
        this.idleTimeout = b.idleTimeout;
        this.maxConnections = b.maxConnections;
        this.bodyBuffer = b.bodyBuffer;
    }

    /** The defaults of the table above. */
    public static ServerLimits defaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The longest request line (method, target, version), in bytes. */
    public int maxRequestLine() {
        return maxRequestLine;
    }

    /** The most bytes all header lines of a request may take. */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    /** The most header fields a request may have. */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /** The largest request body, in bytes. */
    public long maxBodySize() {
        return maxBodySize;
    }

    /** Seconds from a request's first byte to the end of its head. */
    public double headerTimeout() {
        return headerTimeout;
    }

    /** Seconds a handler's read may wait for the next body bytes. */
    public double bodyTimeout() {
        return bodyTimeout;
    }

    /**
     * Seconds the rest of a request body may take to come, however steadily its bytes come: {@link #bodyTimeout()}
     * bounds each wait, this the sum of them. The clock starts the first time a handler's read finds no body
     * bytes waiting and has to wait for them (bytes that came before then, and a handler that never reads, start
     * no clock); it runs on from then, through the handler's own work between reads.
     */
    public double bodyDeadline() {
        return bodyDeadline;
    }

    /**
     * Seconds a keep-alive connection may wait for its next request, counted from the end of its last
     * response's handler; while that response is still going out the connection waits on, as long as the client
     * takes some of it in each period. Also how long the last response of a closing connection (HTTP/1.0,
     * {@code Connection: close}) may go without the client taking a byte of it before the connection is dropped
     * (until then it is closed only once the response is all written).
     */
    public double idleTimeout() {
        return idleTimeout;
    }

    /** The most connections open at once; one more is answered 503 and closed. */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * The most request body bytes read ahead of the handler; past it the server stops reading from the socket
     * until the handler has taken some (TCP flow control then slows the client down).
     */
    public int bodyBuffer() {
        return bodyBuffer;
    }

    /** Builds {@link ServerLimits}; every setter checks its argument. */
    public static final class Builder {
        private int maxRequestLine = 8192;
        private int maxHeaderSize = 8192;
        private int maxHeaderCount = 100;
        private long maxBodySize = 1 << 20;
        private double headerTimeout = 10;
        private double bodyTimeout = 30;
        private double bodyDeadline = 300;
        private double idleTimeout = 60;
        private int maxConnections = 10_000;
        private int bodyBuffer = 64 * 1024;

        private Builder() {
        }

        /** See {@link ServerLimits#maxRequestLine()}. */
        public Builder maxRequestLine(int bytes) {
            this.maxRequestLine = positive(bytes, "maxRequestLine");
            return this;
        }

        /** See {@link ServerLimits#maxHeaderSize()}. */
        public Builder maxHeaderSize(int bytes) {
            this.maxHeaderSize = positive(bytes, "maxHeaderSize");
            return this;
        }

        /** See {@link ServerLimits#maxHeaderCount()}. */
        public Builder maxHeaderCount(int count) {
            this.maxHeaderCount = positive(count, "maxHeaderCount");
            return this;
        }

        /** See {@link ServerLimits#maxBodySize()}; 0 allows no body. */
        public Builder maxBodySize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxBodySize must be >= 0, not " + bytes);
            }
            this.maxBodySize = bytes;
            return this;
        }

        /** See {@link ServerLimits#headerTimeout()}. */
        public Builder headerTimeout(double seconds) {
            this.headerTimeout = seconds(seconds, "headerTimeout");
            return this;
        }

        /** See {@link ServerLimits#bodyDeadline()}. */
        public Builder bodyDeadline(double seconds) {
            this.bodyDeadline = seconds(seconds, "bodyDeadline");
            return this;
        }

        /** See {@link ServerLimits#bodyTimeout()}. */
        public Builder bodyTimeout(double seconds) {
            this.bodyTimeout = seconds(seconds, "bodyTimeout");
            return this;
        }

        /** See {@link ServerLimits#idleTimeout()}. */
        public Builder idleTimeout(double seconds) {
            this.idleTimeout = seconds(seconds, "idleTimeout");
            return this;
        }

        /** See {@link ServerLimits#maxConnections()}. */
        public Builder maxConnections(int count) {
            this.maxConnections = positive(count, "maxConnections");
            return this;
        }

        /** See {@link ServerLimits#bodyBuffer()}. */
        public Builder bodyBuffer(int bytes) {
            this.bodyBuffer = positive(bytes, "bodyBuffer");
            return this;
        }

        /** The limits set so far. */
        public ServerLimits build() {
            return new ServerLimits(this);
        }

        private static int positive(int n, String what) {
            if (n <= 0) {
                throw new IllegalArgumentException(what + " must be > 0, not " + n);
            }
            return n;
        }

        private static double seconds(double s, String what) {
            if (!(s > 0)) {
                throw new IllegalArgumentException(what + " must be > 0 seconds, not " + s);
            }
            return s;
        }
    }
}
