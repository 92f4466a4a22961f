package dev.asyncio.examples.fetch;

import dev.asyncio.http.MalformedResponseError;
import dev.asyncio.http.TooManyRedirectsError;
import dev.asyncio.net.ConnectionError;
import dev.asyncio.net.SslError;

import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The fetcher's exit codes: wget's numbers where wget has one (4 network, 5 TLS, 7 protocol, 8 an error
 * response), and curl's 28 for a time limit, which wget counts as a network failure. When fetches fail in
 * different ways, the lowest code other than 1 is the exit code, as with wget; 1 only when no other applies.
 */
enum ExitCode {
    OK(0, "every URL was fetched and answered with a 2xx status (with --no-fail: with any status)"),
    OTHER(1, "another failure: an invalid URL, an unexpected error"),
    USAGE(2, "a bad command line"),
    NETWORK(4, "a network failure: unknown host, connection refused or reset, connection closed mid-response"),
    TLS(5, "a TLS failure: an untrusted certificate, or one for another host"),
    PROTOCOL(7, "not the HTTP expected: a malformed response, headers over the limit, too many redirects"),
    HTTP_ERROR(8, "a server answered with a status other than 2xx (404, 500, ...), unless --no-fail"),
    TIMEOUT(28, "a time limit ran out: --timeout for a whole fetch, 30 s to connect, 60 s without a byte");

    final int code;
    final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** What one fetch says about the exit code: {@link #OK}, or the kind of failure. */
    static ExitCode of(FetchResult r, boolean failOnStatus) {
        if (r.error() != null) {
            return ofFailure(r.error());
        }
        return failOnStatus && r.notOk() ? HTTP_ERROR : OK;
    }

    /** The code for a fetch that failed with {@code e}. */
    static ExitCode ofFailure(Throwable e) {
        if (e instanceof dev.asyncio.TimeoutError) {
            return TIMEOUT;
        }
        if (e instanceof SslError) {
            return TLS;
        }
        if (e instanceof ConnectionError) {          // NameResolutionError, IncompleteBodyError, ... too
            return NETWORK;
        }
        if (e instanceof MalformedResponseError || e instanceof TooManyRedirectsError) {   // HeadersTooLargeError too
            return PROTOCOL;
        }
        return OTHER;
    }

    /** The exit code for all of {@code codes}: the lowest but {@link #OTHER}, which counts only alone. */
    static ExitCode combine(Stream<ExitCode> codes) {
        return codes.filter(c -> c != OK)
                .min(Comparator.comparingInt(c -> c == OTHER ? Integer.MAX_VALUE : c.code))
                .orElse(OK);
    }

    /** The exit code of a run whose fetches gave {@code results}. */
    static ExitCode of(Collection<FetchResult> results, boolean failOnStatus) {
        return combine(results.stream().map(r -> of(r, failOnStatus)));
    }

    /** One line per code, for {@code --help}. */
    static String table() {
        return Stream.of(values()).map(c -> String.format(java.util.Locale.ROOT, "  %2d  %s", c.code, c.meaning))
                .collect(Collectors.joining("\n"));
    }
}
