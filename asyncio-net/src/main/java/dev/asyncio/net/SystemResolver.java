package dev.asyncio.net;

import dev.asyncio.Asyncio;

import java.net.InetAddress;
import java.util.List;

/** {@link Resolver#system()}: the JDK's resolver, asked on a virtual thread (asyncio's default executor). */
final class SystemResolver implements Resolver {
    static final SystemResolver INSTANCE = new SystemResolver();

    private SystemResolver() {
    }

    @Override
    public List<InetAddress> resolve(String host) {
        InetAddress literal = Resolver.numeric(host);
        if (literal != null) {
            return List.of(literal);
        }
        try {
            return List.of(Asyncio.toThread(() -> InetAddress.getAllByName(host)));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new NameResolutionError("cannot resolve '" + host + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Resolver.system()";
    }
}
