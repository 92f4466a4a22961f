package dev.asyncio.http;

import java.net.URI;

/**
 * A response had a status of 400 or more and the caller asked for that to be an error with
 * {@link HttpResponse#raiseForStatus()}; mirrors aiohttp's {@code ClientResponseError} from
 * {@code raise_for_status()}.
 */
public final class HttpStatusError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final URI url;

    public HttpStatusError(int status, String reason, URI url) {
        super(status + " " + reason + " for " + url);
        this.status = status;
        this.url = url;
    }

    public int status() {
        return status;
    }

    public URI url() {
        return url;
    }
}
