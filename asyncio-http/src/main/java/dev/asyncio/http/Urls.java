package dev.asyncio.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * What the client does with URLs beyond parsing them: resolving a redirect's {@code Location} the way RFC 3986
 * (section 5.2) says, which {@link URI#resolve} (RFC 2396) does not do for a query-only or an empty reference;
 * percent-encoding the characters a server should have encoded, as browsers do; and the request target that
 * goes on the wire, in ASCII.
 */
final class Urls {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Urls() {
    }

    /**
     * {@code reference} resolved against {@code base}: RFC 3986's algorithm (section 5.2.2), dot segments
     * removed (5.2.4). A reference without a fragment keeps the base's (RFC 9110 section 10.2.2).
     *
     * @throws URISyntaxException if the result is not a valid URI
     */
    static URI resolve(URI base, URI reference) throws URISyntaxException {
        if (reference.isOpaque()) {
            return reference;                     // mailto:..., http:g: nothing to resolve
        }
        String scheme;
        String authority;
        String path;
        String query;
        if (reference.getScheme() != null) {
            scheme = reference.getScheme();
            authority = reference.getRawAuthority();
            path = removeDotSegments(reference.getRawPath());
            query = reference.getRawQuery();
        } else {
            scheme = base.getScheme();
            if (reference.getRawAuthority() != null) {
                authority = reference.getRawAuthority();
                path = removeDotSegments(reference.getRawPath());
                query = reference.getRawQuery();
            } else {
                authority = base.getRawAuthority();
                String relative = reference.getRawPath();
                if (relative == null || relative.isEmpty()) {
                    path = base.getRawPath();
                    query = reference.getRawQuery() != null ? reference.getRawQuery() : base.getRawQuery();
                } else {
                    path = removeDotSegments(relative.startsWith("/") ? relative : merge(base, relative));
                    query = reference.getRawQuery();
                }
            }
        }
        String fragment = reference.getRawFragment() != null ? reference.getRawFragment() : base.getRawFragment();
        StringBuilder sb = new StringBuilder();
        if (scheme != null) {
            sb.append(scheme).append(':');
        }
        if (authority != null) {
            sb.append("//").append(authority);
        }
        sb.append(path == null ? "" : path);
        if (query != null) {
            sb.append('?').append(query);
        }
        if (fragment != null) {
            sb.append('#').append(fragment);
        }
        return new URI(sb.toString());
    }

    /** RFC 3986 5.2.3: the reference's path appended to the base's directory. */
    private static String merge(URI base, String relative) {
        String basePath = base.getRawPath();
        if (base.getRawAuthority() != null && (basePath == null || basePath.isEmpty())) {
            return "/" + relative;
        }
        int slash = basePath == null ? -1 : basePath.lastIndexOf('/');
        return slash < 0 ? relative : basePath.substring(0, slash + 1) + relative;
    }

    /** RFC 3986 5.2.4: {@code .} and {@code ..} segments interpreted and removed. */
    static String removeDotSegments(String path) {
        if (path == null || (!path.startsWith(".") && !path.contains("/."))) {
            return path;                          // the common case: nothing to remove
        }
        String in = path;
        StringBuilder out = new StringBuilder(path.length());
        while (!in.isEmpty()) {
            if (in.startsWith("../")) {
                in = in.substring(3);
            } else if (in.startsWith("./")) {
                in = in.substring(2);
            } else if (in.startsWith("/./")) {
                in = in.substring(2);
            } else if (in.equals("/.")) {
                in = "/";
            } else if (in.startsWith("/../")) {
                in = in.substring(3);
                dropLastSegment(out);
            } else if (in.equals("/..")) {
                in = "/";
                dropLastSegment(out);
            } else if (in.equals(".") || in.equals("..")) {
                in = "";
            } else {
                int end = in.indexOf('/', 1);
                if (end < 0) {
                    end = in.length();
                }
                out.append(in, 0, end);
                in = in.substring(end);
            }
        }
        return out.toString();
    }

    private static void dropLastSegment(StringBuilder out) {
        int slash = out.lastIndexOf("/");
        out.setLength(Math.max(slash, 0));
    }

    /**
     * {@code text} with every character that may not appear in a URI percent-encoded (as UTF-8): spaces,
     * non-ASCII letters, quotes, braces, control characters, and a {@code %} not followed by two hex digits.
     * What browsers do with a {@code Location} that a server did not encode.
     */
    static String encodeLeniently(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean keep = c < 128 && (allowedInUri(c) || (c == '%' && i + 2 < text.length()
                    && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))));
            if (keep) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            int cp = text.codePointAt(i);
            if (Character.charCount(cp) == 2) {
                i++;
            }
            appendEncoded(sb, new String(Character.toChars(cp)));
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * The request target of {@code url} for the request line: its raw path ({@code /} if empty) and query, in
     * ASCII. Characters beyond ASCII, which {@link URI} accepts as they are, are percent-encoded as UTF-8, as
     * {@link URI#toASCIIString()} does; a server would otherwise get raw UTF-8 bytes.
     */
    static String requestTarget(URI url) {
        String path = url.getRawPath();
        String query = url.getRawQuery();
        String target = path == null || path.isEmpty() ? "/" : path;
        if (query != null) {
            target = target + "?" + query;
        }
        for (int i = 0; i < target.length(); i++) {
            if (target.charAt(i) >= 128) {
                return encodeNonAscii(target, i);
            }
        }
        return target;
    }

    private static String encodeNonAscii(String text, int from) {
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, from);
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128) {
                sb.append(c);
                continue;
            }
            int cp = text.codePointAt(i);
            if (Character.charCount(cp) == 2) {
                i++;
            }
            appendEncoded(sb, new String(Character.toChars(cp)));
        }
        return sb.toString();
    }

    private static void appendEncoded(StringBuilder sb, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
    }

    /** RFC 3986's unreserved, gen-delims and sub-delims characters. */
    private static boolean allowedInUri(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~:/?#[]@!$&'()*+,;=".indexOf(c) >= 0;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
