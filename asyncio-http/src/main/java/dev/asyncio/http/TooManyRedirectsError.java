package dev.asyncio.http;

import java.net.URI;
import java.util.List;

/**
 * A request was redirected more times than {@link HttpClient.Builder#maxRedirects} allows (10 by default);
 * mirrors aiohttp's {@code TooManyRedirects}. {@link #history()} lists the URLs visited, in order.
 */
public final class TooManyRedirectsError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<URI> history;

    public TooManyRedirectsError(String message, List<URI> history) {
        super(message);
        this.history = List.copyOf(history);
    }

    /** Every URL requested, the first one first. */
    public List<URI> history() {
        return history;
    }
}
