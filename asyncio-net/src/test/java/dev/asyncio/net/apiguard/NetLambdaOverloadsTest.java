package dev.asyncio.net.apiguard;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.net.channel.HappyEyeballs;
import dev.asyncio.net.channel.LoopThreads;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;

import dev.asyncio.net.DatagramProtocol;
import dev.asyncio.net.Net;
import dev.asyncio.net.Protocol;
import dev.asyncio.net.Resolver;
import dev.asyncio.net.ServerOptions;
import dev.asyncio.net.StreamOptions;
import dev.asyncio.net.StreamReader;
import dev.asyncio.net.StreamWriter;
import dev.asyncio.net.Streams;
import dev.asyncio.net.Transport;
import dev.asyncio.test.internal.FunctionalOverloads;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * asyncio-net's part of the guard against overloads that make a caller's lambda or method reference ambiguous
 * (see asyncio-core's {@code dev.asyncio.apiguard.LambdaOverloadsTest} for the whole story).
 *
 * <p>{@link #calls} is compiled, not run (starting servers adds nothing to what it checks): it calls every
 * public method of asyncio-net that takes a functional interface with an expression lambda, a block lambda
 * and a method reference, so an overload added later that makes one ambiguous stops this file from
 * compiling. The tests below check by reflection that it covers every such method and that no two
 * overloads take different functional interfaces at the same position (none is reviewed here).
 */
class NetLambdaOverloadsTest {
    static void echo(StreamReader reader, StreamWriter writer) {
    }

    static Protocol newProtocol() {
        return new Protocol() { };
    }

    static DatagramProtocol newDatagramProtocol() {
        return new DatagramProtocol() { };
    }

    static List<InetAddress> loopbackOnly(String host) {
        return List.of(InetAddress.getLoopbackAddress());
    }

    static List<byte[]> lines() {
        return List.of();
    }

    /** Compile-time guard; never called. */
    static void calls(Path socket, InetSocketAddress local, Transport transport, StreamWriter writer,
                      ChannelFuture connecting) throws Exception {
        ServerOptions options = ServerOptions.defaults();
        StreamOptions streamOptions = StreamOptions.builder().build();

        // Streams.startServer
        Streams.startServer((r, w) -> echo(r, w), "127.0.0.1", 0);
        Streams.startServer((r, w) -> {
            echo(r, w);
        }, "127.0.0.1", 0);
        Streams.startServer(NetLambdaOverloadsTest::echo, "127.0.0.1", 0);
        Streams.startServer((r, w) -> echo(r, w), "127.0.0.1", 0, options);
        Streams.startServer(NetLambdaOverloadsTest::echo, "127.0.0.1", 0, options);
        // Streams.startUnixServer
        Streams.startUnixServer((r, w) -> echo(r, w), socket);
        Streams.startUnixServer((r, w) -> {
            echo(r, w);
        }, socket);
        Streams.startUnixServer(NetLambdaOverloadsTest::echo, socket);
        Streams.startUnixServer(NetLambdaOverloadsTest::echo, socket, options);

        // Net.createConnection
        Net.createConnection(() -> newProtocol(), "127.0.0.1", 1);
        Net.createConnection(() -> {
            return newProtocol();
        }, "127.0.0.1", 1);
        Net.createConnection(NetLambdaOverloadsTest::newProtocol, "127.0.0.1", 1);
        Net.createConnection(NetLambdaOverloadsTest::newProtocol, "127.0.0.1", 1, streamOptions);
        // Net.createServer
        Net.createServer(() -> newProtocol(), "127.0.0.1", 0);
        Net.createServer(() -> {
            return newProtocol();
        }, "127.0.0.1", 0);
        Net.createServer(NetLambdaOverloadsTest::newProtocol, "127.0.0.1", 0);
        Net.createServer(NetLambdaOverloadsTest::newProtocol, "127.0.0.1", 0, options);
        // Net.createUnixConnection
        Net.createUnixConnection(() -> newProtocol(), socket, streamOptions);
        Net.createUnixConnection(() -> {
            return newProtocol();
        }, socket, streamOptions);
        Net.createUnixConnection(NetLambdaOverloadsTest::newProtocol, socket, streamOptions);
        // Net.createUnixServer
        Net.createUnixServer(() -> newProtocol(), socket, options);
        Net.createUnixServer(() -> {
            return newProtocol();
        }, socket, options);
        Net.createUnixServer(NetLambdaOverloadsTest::newProtocol, socket, options);
        // Net.createDatagramEndpoint
        Net.createDatagramEndpoint(() -> newDatagramProtocol(), local, null);
        Net.createDatagramEndpoint(() -> {
            return newDatagramProtocol();
        }, local, null);
        Net.createDatagramEndpoint(NetLambdaOverloadsTest::newDatagramProtocol, local, null);

        // ServerOptions.Builder.resolver
        ServerOptions.builder().resolver(host -> loopbackOnly(host));
        ServerOptions.builder().resolver(host -> {
            return loopbackOnly(host);
        });
        ServerOptions.builder().resolver(NetLambdaOverloadsTest::loopbackOnly);
        // StreamOptions.Builder.resolver
        StreamOptions.builder().resolver(host -> loopbackOnly(host));
        StreamOptions.builder().resolver(host -> {
            return loopbackOnly(host);
        });
        StreamOptions.builder().resolver(NetLambdaOverloadsTest::loopbackOnly);
        StreamOptions.builder().resolver(Resolver.system());

        // Transport.writeLines
        transport.writeLines(() -> lines().iterator());
        transport.writeLines(() -> {
            return lines().iterator();
        });
        transport.writeLines(lines());
        // StreamWriter.writeLines
        writer.writeLines(() -> lines().iterator());
        writer.writeLines(() -> {
            return lines().iterator();
        });
        writer.writeLines(lines());

        // HappyEyeballs.deadline
        HappyEyeballs race = new HappyEyeballs(Asyncio.getRunningLoop());
        race.deadline(1, () -> timedOut());
        race.deadline(1, () -> {
            return timedOut();
        });
        race.deadline(1, NetLambdaOverloadsTest::timedOut);
        // HappyEyeballs.options
        race.options(b -> tune(b));
        race.options(b -> {
            tune(b);
        });
        race.options(NetLambdaOverloadsTest::tune);
        // LoopThreads.onLoop
        AsyncLoop loop = Asyncio.getRunningLoop();
        Future<Void> waiter = loop.createFuture();
        LoopThreads.onLoop(loop, connecting, waiter, f -> completed(f));
        LoopThreads.onLoop(loop, connecting, waiter, f -> {
            completed(f);
        });
        LoopThreads.onLoop(loop, connecting, waiter, NetLambdaOverloadsTest::completed);
    }

    static RuntimeException timedOut() {
        return new IllegalStateException("timed out");
    }

    static void tune(Bootstrap b) {
        b.option(ChannelOption.TCP_NODELAY, true);
    }

    static void completed(ChannelFuture f) {
    }

    @Test
    void noOverloadsTakeDifferentFunctionalInterfacesAtTheSamePosition() {
        assertEquals(Set.of(), FunctionalOverloads.pairs(FunctionalOverloads.publicClasses(Net.class)),
                "review the new overload pair: no lambda or method reference may become ambiguous (add calls to calls())");
    }

    @Test
    void theCompileGuardCoversEveryMethodTakingALambda() {
        Path self = Path.of("src/test/java/dev/asyncio/net/apiguard/NetLambdaOverloadsTest.java");
        assertEquals(Set.of(), FunctionalOverloads.withoutCallGroup(Net.class, self),
                "public methods taking a lambda with no '// Class.method' group in calls()");
    }
}
