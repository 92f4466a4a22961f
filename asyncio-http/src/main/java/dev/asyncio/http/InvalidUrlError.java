package dev.asyncio.http;

/**
 * A URL the client cannot fetch: bad syntax, a scheme other than {@code http} or {@code https}, no host, a
 * bad port; mirrors aiohttp's {@code InvalidURL} (a {@code ValueError}, hence an
 * {@link IllegalArgumentException} here).
 *
 * <pre>{@code
 * try {
 *     client.get("ftp://example.org/");
 * } catch (InvalidUrlError e) {
 *     // "invalid URL 'ftp://example.org/': the scheme must be http or https"
 * }
 * }</pre>
 *
 * <p>A redirect to such a URL (a {@code Location} of {@code mailto:...}, say) throws it too, naming the
 * redirect.
 */
public final class InvalidUrlError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String url;

    public InvalidUrlError(String url, String problem) {
        super("invalid URL '" + url + "': " + problem);
        this.url = url;
    }

    public InvalidUrlError(String url, String problem, Throwable cause) {
        super("invalid URL '" + url + "': " + problem, cause);
        this.url = url;
    }

    /** The URL as it was given. */
    public String url() {
        return url;
    }
}
