package dev.asyncio.examples.fetch;

/**
 * How one fetch went: the status and body size, or the failure; and how long it took.
 *
 * @param url     the URL asked for
 * @param status  the final status (after redirects), or 0 if the fetch failed
 * @param bytes   body bytes received (after decompression)
 * @param seconds from the request to the end of the body, or to the failure
 * @param error   what went wrong, or {@code null}
 */
record FetchResult(String url, int status, long bytes, double seconds, RuntimeException error) {
    boolean failed() {
        return error != null;
    }

    /** Whether it got a response whose final status is not 2xx (404, 500, a 3xx not followed...). */
    boolean notOk() {
        return error == null && (status < 200 || status > 299);
    }

    /** The failure in one line: the exception's simple name and message. */
    String problem() {
        return error == null ? "" : error.getClass().getSimpleName() + ": " + error.getMessage();
    }
}
