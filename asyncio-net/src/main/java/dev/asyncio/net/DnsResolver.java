package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.net.channel.Channels;
import dev.asyncio.net.channel.NetErrors;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Resolver} that speaks DNS itself, from the loop's own thread, with Netty's
 * {@link DnsNameResolver}: no thread per lookup, answers cached by their TTL, {@code /etc/hosts} read first.
 *
 * <pre>{@code
 * try (DnsResolver dns = DnsResolver.create()) {            // the name servers of /etc/resolv.conf
 *     StreamOptions o = StreamOptions.builder().resolver(dns).build();
 *     Connection c = Streams.openConnection("example.org", 80, o);
 * }
 * }</pre>
 *
 * <p>A resolver belongs to the loop it was created on (its UDP socket is registered there) and must be
 * closed. Unlike {@link Resolver#system()} it does not consult the operating system's other name sources
 * (NSS modules, mDNS).
 */
public final class DnsResolver implements Resolver, AutoCloseable {
    private final AsyncLoop loop;
    private final DnsNameResolver resolver;

    private DnsResolver(AsyncLoop loop, DnsNameResolverBuilder builder) {
        this.loop = loop;
        this.resolver = builder
                .eventLoop(loop.ioEventLoop())
                .datagramChannelFactory(Channels.datagramTyped(loop.transport()))
                .build();
    }

    /** A resolver on the running loop asking the system's name servers ({@code /etc/resolv.conf}). */
    public static DnsResolver create() {
        return new DnsResolver(Asyncio.getRunningLoop(), new DnsNameResolverBuilder()
                .nameServerProvider(DnsServerAddressStreamProviders.platformDefault()));
    }

    /**
     * A resolver on the running loop asking only {@code nameServer}, each query timing out after
     * {@code queryTimeoutSeconds} (real time).
     */
    public static DnsResolver create(InetSocketAddress nameServer, double queryTimeoutSeconds) {
        Objects.requireNonNull(nameServer, "nameServer");
        if (!(queryTimeoutSeconds > 0)) {
            throw new IllegalArgumentException("query timeout must be > 0, got " + queryTimeoutSeconds);
        }
        return new DnsResolver(Asyncio.getRunningLoop(), new DnsNameResolverBuilder()
                .nameServerProvider(new SingletonDnsServerAddressStreamProvider(nameServer))
                .queryTimeoutMillis((long) (queryTimeoutSeconds * 1000)));
    }

    /**
     * Resolves {@code host}. Suspends the current task until the name servers answer (numeric hosts and
     * cached answers return without suspending in effect).
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and the query is cancelled.
     *
     * @throws NameResolutionError   if the name does not exist or no server answered in time
     * @throws IllegalStateException if called from another loop than the one the resolver was created on
     */
    @Override
    public List<InetAddress> resolve(String host) {
        InetAddress literal = Resolver.numeric(host);
        if (literal != null) {
            return List.of(literal);
        }
        if (Asyncio.getRunningLoop() != loop) {
            throw new IllegalStateException("this DnsResolver belongs to another loop: " + loop);
        }
        Future<List<InetAddress>> answer = loop.createFuture();
        loop.markExternal(answer);          // a name server answers in real time, whatever the loop's clock
        io.netty.util.concurrent.Future<List<InetAddress>> query = resolver.resolveAll(host);
        query.addListener(f -> {
            if (answer.done()) {
                return;
            }
            if (f.isSuccess()) {
                answer.setResult(query.getNow());
            } else {
                RuntimeException e = NetErrors.toNetError(f.cause(), "cannot resolve '" + host + "'");
                answer.setException(e instanceof NameResolutionError ? e
                        : new NameResolutionError(e.getMessage(), f.cause()));
            }
        });
        try {
            return List.copyOf(answer.await());
        } catch (CancelledError e) {
            query.cancel(false);
            throw e;
        }
    }

    /** Closes the resolver's socket; lookups after this fail. */
    @Override
    public void close() {
        resolver.close();
    }

    @Override
    public String toString() {
        return "DnsResolver(" + loop + ")";
    }
}
