package dev.asyncio.net;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses without blocking the loop; mirrors the {@code getaddrinfo} step of
 * asyncio's {@code create_connection} and {@code create_server}.
 *
 * <pre>{@code
 * List<InetAddress> addrs = Resolver.system().resolve("localhost");   // suspends the current task
 * }</pre>
 *
 * <p>Numeric addresses ({@code "127.0.0.1"}, {@code "::1"}) are parsed at once and never suspend, as in
 * asyncio. {@link #system()} asks the JDK (the operating system's resolver, {@code /etc/hosts} included) on a
 * virtual thread; {@link DnsResolver} speaks DNS from the loop's own thread with Netty's resolver.
 */
@FunctionalInterface
public interface Resolver {
    /**
     * The addresses of {@code host}, in the order to try them. Suspends the current task until they are
     * known.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here; a lookup already under way is
     * abandoned (its thread is interrupted).
     *
     * @throws NameResolutionError if the name is unknown
     */
    List<InetAddress> resolve(String host);

    /** The operating system's resolver, asked on a virtual thread (asyncio's default executor). */
    static Resolver system() {
        return SystemResolver.INSTANCE;
    }

    /** The address of a numeric host, or {@code null} if {@code host} is a name. */
    static InetAddress numeric(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(h);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
