package dev.asyncio.http;

import java.net.URI;
import java.util.Locale;

/**
 * Where a request goes: scheme, host and port, the key of the connection pool (RFC 6454's origin). Hosts
 * are lower case, IPv6 literals without brackets.
 */
record Origin(String scheme, String host, int port) {
    boolean tls() {
        return scheme.equals("https");
    }

    int defaultPort() {
        return tls() ? 443 : 80;
    }

    /** The {@code Host} header's value: the port only when it is not the scheme's default. */
    String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == defaultPort() ? h : h + ":" + port;
    }

    /**
     * The origin of {@code url}.
     *
     * @throws InvalidUrlError if it is not an absolute http or https URL with a host
     */
    static Origin of(URI url) {
        String scheme = url.getScheme();
        if (scheme == null) {
            throw new InvalidUrlError(url.toString(), "no scheme (http:// or https://)");
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidUrlError(url.toString(), "the scheme must be http or https, not " + scheme);
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new InvalidUrlError(url.toString(), url.getRawAuthority() == null ? "no host"
                    : "the host '" + url.getRawAuthority() + "' is not a valid host name");
        }
        if (url.getRawUserInfo() != null) {
            throw new InvalidUrlError(url.toString(), "user information in the URL is not supported; send an "
                    + "Authorization header instead");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = url.getPort();
        if (port == -1) {
            port = scheme.equals("https") ? 443 : 80;
        } else if (port == 0 || port > 65535) {
            throw new InvalidUrlError(url.toString(), "the port must be 1-65535, got " + port);
        }
        return new Origin(scheme, host.toLowerCase(Locale.ROOT), port);
    }

    @Override
    public String toString() {
        return scheme + "://" + hostHeader();
    }
}
