package dev.asyncio.http;

import java.net.IDN;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where a request goes: scheme, host and port, the key of the connection pool (RFC 6454's origin). Hosts
 * are lower case ASCII (an internationalized name in its {@code xn--} form), IPv6 literals without brackets.
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
        String authority = url.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new InvalidUrlError(url.toString(), "no host");
        }
        if (url.getRawUserInfo() != null || authority.indexOf('@') >= 0) {
            throw new InvalidUrlError(url.toString(), "user information in the URL is not supported; send an "
                    + "Authorization header instead");
        }
        String host = url.getHost();
        int port = url.getPort();
        if (host == null) {
            // java.net.URI takes apart only RFC 2396 host names; any other name (an underscore, as in docker
            // and Kubernetes service names; letters beyond ASCII) leaves a registry-based authority to read here.
            int colon = authority.lastIndexOf(':');
            String name = colon < 0 ? authority : authority.substring(0, colon);
            if (colon >= 0) {
                port = port(url, authority.substring(colon + 1));
            }
            host = hostName(url, name);
        } else if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (port == -1) {
            port = scheme.equals("https") ? 443 : 80;
        } else if (port == 0 || port > 65535) {
            throw new InvalidUrlError(url.toString(), "the port must be 1-65535, got " + port);
        }
        return new Origin(scheme, host.toLowerCase(Locale.ROOT), port);
    }

    private static int port(URI url, String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        if (digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidUrlError(url.toString(), "the port must be 1-65535, got " + digits);
        }
        return Integer.parseInt(digits);
    }

    /** A registry-based name, percent-decoded and in its ASCII (IDNA) form: letters, digits, '-', '_' and dots. */
    private static String hostName(URI url, String raw) {
        String name;
        try {
            name = IDN.toASCII(percentDecode(raw), IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new InvalidUrlError(url.toString(), "the host '" + raw + "' is not a valid host name: " + e.getMessage(), e);
        }
        if (name.isEmpty() || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
            throw new InvalidUrlError(url.toString(), "the host '" + raw + "' is not a valid host name");
        }
        return name;
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out[n++] = (byte) Integer.parseInt(s, i + 1, i + 3, 16);
                i += 2;
            } else if (c < 128) {
                out[n++] = (byte) c;
            } else {
                return s;                         // raw letters beyond ASCII next to escapes: let IDN judge it as is
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return scheme + "://" + hostHeader();
    }
}
