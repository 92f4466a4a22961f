package dev.asyncio.http;

/**
 * A body is longer than the client allows ({@link HttpClient.Builder#maxBodySize}, counted decompressed), however
 * it is read; or, read whole ({@link HttpResponse#body()}, {@code text()}, {@code json()}, {@code read(-1)}),
 * longer than a Java array can hold. The response is closed. Without a {@code maxBodySize}, a body that may be
 * that large is read piece by piece with {@link HttpResponse#chunks()}.
 *
 * <pre>{@code
 * HttpClient client = HttpClient.builder().maxBodySize(10 << 20).build();
 * try (HttpResponse r = client.get(url)) {
 *     return r.json();
 * } catch (BodyTooLargeError e) {
 *     // more than 10 MiB (decompressed): refused without holding more than that
 * }
 * }</pre>
 */
public final class BodyTooLargeError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    public BodyTooLargeError(String message, long limit) {
        super(message);
        this.limit = limit;
    }

    /** The largest body allowed, in bytes. */
    public long limit() {
        return limit;
    }
}
