package dev.asyncio.http;

import io.netty.handler.codec.http.HttpHeaders;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header fields of a request or response, read-only, with names compared case-insensitively; mirrors
 * aiohttp's {@code CIMultiDictProxy}.
 *
 * <pre>{@code
 * String type = response.headers().get("content-type");     // same as get("Content-Type")
 * List<String> cookies = response.headers().getAll("Set-Cookie");
 * }</pre>
 *
 * <p>A name may appear several times: {@link #get} gives the first value, {@link #getAll} every one in the
 * order received. The response's headers are as the decoder left them: after a gzip or deflate body was
 * decompressed, {@code Content-Encoding} and {@code Content-Length} describe the compressed body no longer
 * and are gone.
 */
public final class Headers {
    static final Headers EMPTY = new Headers(io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);

    private final HttpHeaders headers;

    Headers(HttpHeaders headers) {
        this.headers = headers;
    }

    /** The first value of {@code name}, or {@code null} if there is none. */
    public String get(String name) {
        return headers.get(name);
    }

    /** Every value of {@code name}, in order; empty if there is none. */
    public List<String> getAll(String name) {
        return Collections.unmodifiableList(headers.getAll(name));
    }

    public boolean contains(String name) {
        return headers.contains(name);
    }

    /** The distinct names, in the order they first appear, as they were spelled. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : headers) {
            names.add(e.getKey());
        }
        return Collections.unmodifiableSet(names);
    }

    /** Every field as a name-value pair, in order. */
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> out = new ArrayList<>(headers.size());
        for (Map.Entry<String, String> e : headers) {
            out.add(Map.entry(e.getKey(), e.getValue()));
        }
        return Collections.unmodifiableList(out);
    }

    /** The number of fields, repeated names counted each time. */
    public int size() {
        return headers.size();
    }

    public boolean isEmpty() {
        return headers.isEmpty();
    }

    HttpHeaders netty() {
        return headers;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, String> e : headers) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append(": ").append(e.getValue());
        }
        return sb.append('}').toString();
    }
}
