package dev.asyncio.bench.idle;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.net.Connection;
import dev.asyncio.net.Net;
import dev.asyncio.net.Protocol;
import dev.asyncio.net.Server;
import dev.asyncio.net.StreamReader;
import dev.asyncio.net.StreamWriter;
import dev.asyncio.net.Streams;
import dev.asyncio.net.Transport;
import dev.asyncio.net.TransportAndProtocol;
import dev.asyncio.net.channel.Channels;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;

/**
 * Live heap per idle connection, one side at a time: this JVM holds N idle connections of one kind (the
 * server side or the client side), the other ends live in a child JVM of plain JDK sockets, so that only
 * this side is counted. Live heap is measured after full collections, before and after the N connections
 * are made; the difference divided by N is printed. Kinds:
 *
 * <ul>
 *   <li>{@code streams-server}: {@code Streams.startServer}, each connection's task waiting in
 *   {@code readLine()} (what a keep-alive server holds per idle client);</li>
 *   <li>{@code protocol-server}: {@code Net.createServer} with a {@link Protocol} that does nothing;</li>
 *   <li>{@code netty-server}: raw Netty on the loop's event loop, an empty handler (the floor);</li>
 *   <li>{@code streams-client}, {@code protocol-client}, {@code netty-client}: the same, connecting.</li>
 * </ul>
 *
 * <p>Arguments: {@code KIND [N]} (N = 10000). {@code -Didle.warmup=W} (200) connections are made and closed
 * first, then {@code -Didle.pause=S} (0) seconds pass: the suspended handler tasks' stacks are smaller once
 * the JIT has compiled the read path, which on a loaded machine takes a while. With {@code -Didle.histogram=25}, also the 25 classes whose
 * live bytes grew most, per connection (the JVM's class histogram before and after). Run through
 * {@code benchmarks/idle/run.sh}.
 */
public final class IdleConnections {
    private IdleConnections() {
    }

    /** Server-side connections open now, of every kind: warm-up connections must be gone before measuring. */
    static final AtomicInteger LIVE = new AtomicInteger();

    /** A protocol that keeps its transport and does nothing. */
    static final class Idle implements Protocol {
        private final boolean counted;

        Idle(boolean counted) {
            this.counted = counted;
        }

        @Override
        public void connectionLost(Throwable exc) {
            if (counted) {
                LIVE.decrementAndGet();
            }
        }

        @Override
        public void connectionMade(Transport t) {
        }

        @Override
        public void dataReceived(byte[] data) {
        }
    }

    @ChannelHandler.Sharable
    static final class Counting extends ChannelInboundHandlerAdapter {
        final AtomicInteger active = new AtomicInteger();

        @Override
        public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
            active.incrementAndGet();
            LIVE.incrementAndGet();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(io.netty.channel.ChannelHandlerContext ctx) {
            LIVE.decrementAndGet();
            ctx.fireChannelInactive();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("peer")) {
            Peer.main(args);
            return;
        }
        String kind = args.length > 0 ? args[0] : "streams-server";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Asyncio.run(() -> {
            measure(kind, n);
            return null;
        });
    }

    private static void measure(String kind, int n) throws Exception {
        AsyncLoop loop = Asyncio.getRunningLoop();
        boolean server = kind.endsWith("-server");
        List<Object> keep = new ArrayList<>();
        AtomicInteger accepted = new AtomicInteger();
        Counting counting = new Counting();
        int port = 0;
        Process peer = null;
        Server asyncioServer = null;
        Channel nettyListener = null;
        if (server) {
            switch (kind) {
                case "streams-server" -> asyncioServer = Streams.startServer((StreamReader r, StreamWriter w) -> {
                    accepted.incrementAndGet();
                    LIVE.incrementAndGet();
                    try {
                        r.readLine();
                    } finally {
                        LIVE.decrementAndGet();
                    }
                }, "127.0.0.1", 0);
                case "protocol-server" -> asyncioServer = Net.createServer(() -> {
                    accepted.incrementAndGet();
                    LIVE.incrementAndGet();
                    return new Idle(true);
                }, "127.0.0.1", 0);
                case "netty-server" -> {
                    nettyListener = opened(new ServerBootstrap().group(loop.ioEventLoop(), loop.ioEventLoop())
                            .channelFactory(Channels.serverSocket(loop.transport()))
                            .option(ChannelOption.SO_BACKLOG, 4096)
                            .childHandler(counting)
                            .bind("127.0.0.1", 0));
                }
                default -> throw new IllegalArgumentException("unknown kind " + kind);
            }
            port = asyncioServer != null ? asyncioServer.port() : ((InetSocketAddress) nettyListener.localAddress()).getPort();
        } else {
            peer = startPeer("listen", 0, n + 200);
            port = Integer.parseInt(readLine(peer));
        }
        // Warm-up: the classes are loaded, the JIT has seen the path, Netty's pools have their first chunks.
        int warm = Integer.getInteger("idle.warmup", 200);
        open(kind, port, warm, keep, server, peer, counting);
        waitFor(server, kind, accepted, counting, warm);
        closeAll(keep);
        keep.clear();
        Asyncio.sleep(0.5);
        while (LIVE.get() > 0) {
            Asyncio.sleep(0.05);
        }
        Asyncio.sleep(Integer.getInteger("idle.pause", 0));     // lets the JIT catch up on a loaded machine
        int base = server ? count(kind, accepted, counting) : 0;

        int top = Integer.getInteger("idle.histogram", 0);
        Map<String, long[]> histogramBefore = top > 0 ? histogram() : null;
        long before = liveHeap();
        open(kind, port, n, keep, server, peer, counting);
        waitFor(server, kind, accepted, counting, base + n);
        Asyncio.sleep(0.5);
        long after = liveHeap();
        System.out.printf("%-16s connections=%d  live heap before=%,d after=%,d  per connection=%,d bytes%n",
                kind, n, before, after, (after - before) / n);
        if (top > 0) {
            printGrowth(histogramBefore, histogram(), n, top);
        }
        closeAll(keep);
        if (peer != null) {
            peer.destroy();
        }
        if (asyncioServer != null) {
            asyncioServer.close();
        }
        if (nettyListener != null) {
            nettyListener.close();
        }
    }

    private static int count(String kind, AtomicInteger accepted, Counting counting) {
        return kind.equals("netty-server") ? counting.active.get() : accepted.get();
    }

    private static void waitFor(boolean server, String kind, AtomicInteger accepted, Counting counting, int target) {
        if (!server) {
            return;
        }
        while (count(kind, accepted, counting) < target) {
            Asyncio.sleep(0.05);
        }
    }

    private static void open(String kind, int port, int n, List<Object> keep, boolean server, Process peer,
                             Counting counting) throws Exception {
        if (server) {
            Process p = startPeer("connect", port, n);
            readLine(p);                      // "connected": all n are made
            keep.add(p);
            return;
        }
        AsyncLoop loop = Asyncio.getRunningLoop();
        for (int i = 0; i < n; i++) {
            switch (kind) {
                case "streams-client" -> keep.add(Streams.openConnection("127.0.0.1", port));
                case "protocol-client" -> keep.add(Net.createConnection(() -> new Idle(false), "127.0.0.1", port));
                case "netty-client" -> keep.add(opened(new Bootstrap().group(loop.ioEventLoop())
                        .channelFactory(Channels.socket(loop.transport())).handler(counting)
                        .connect("127.0.0.1", port)));
                default -> throw new IllegalArgumentException("unknown kind " + kind);
            }
        }
    }

    /** Suspends until {@code f} is done (a sync() on the loop's own thread would deadlock), and returns its channel. */
    private static Channel opened(ChannelFuture f) {
        AsyncLoop loop = Asyncio.getRunningLoop();
        Future<Channel> done = loop.createFuture();
        f.addListener(x -> loop.callSoonThreadsafe(() -> {
            if (f.isSuccess()) {
                done.setResult(f.channel());
            } else {
                done.setException(f.cause());
            }
        }));
        return done.await();
    }

    private static void closeAll(List<Object> keep) {
        for (Object o : keep) {
            if (o instanceof Process p) {
                p.destroy();
            } else if (o instanceof Connection c) {
                c.close();
            } else if (o instanceof TransportAndProtocol<?, ?> tp) {
                tp.transport().close();
            } else if (o instanceof Channel ch) {
                ch.close();
            }
        }
    }

    /** The live objects per class, {@code jcmd GC.class_histogram} (a full collection first): class -> {count, bytes}. */
    private static Map<String, long[]> histogram() throws Exception {
        String text = Asyncio.toThread(() -> (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()}));
        Map<String, long[]> out = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                out.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return out;
    }

    /** The classes whose live bytes grew most, per connection. */
    private static void printGrowth(Map<String, long[]> before, Map<String, long[]> after, int n, int top) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            grown.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
        }
        grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        for (Map.Entry<String, long[]> e : grown.subList(0, Math.min(top, grown.size()))) {
            System.out.printf("    %8.2f objects %8.1f bytes  %s%n", e.getValue()[0] / (double) n,
                    e.getValue()[1] / (double) n, e.getKey());
        }
    }

    /** Used heap after full collections, until it stops shrinking. */
    private static long liveHeap() throws Exception {
        return Asyncio.toThread(() -> {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(100);
                best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
            return best;
        });
    }

    private static Process startPeer(String mode, int port, int n) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                IdleConnections.class.getName(), "peer", mode, String.valueOf(port), String.valueOf(n))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String readLine(Process p) throws Exception {
        return Asyncio.toThread(() -> new BufferedReader(new InputStreamReader(p.getInputStream())).readLine());
    }

    /** The other ends, as plain blocking JDK sockets, in a JVM of their own; ends when its stdin closes. */
    static final class Peer {
        static void main(String[] args) throws Exception {
            String mode = args[1];
            int port = Integer.parseInt(args[2]);
            int n = Integer.parseInt(args[3]);
            List<Object> held = new ArrayList<>();
            if (mode.equals("listen")) {
                ServerSocketChannel listener = ServerSocketChannel.open();
                listener.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
                System.out.println(((InetSocketAddress) listener.getLocalAddress()).getPort());
                System.out.flush();
                Thread acceptor = new Thread(() -> {
                    try {
                        while (true) {
                            held.add(listener.accept());
                        }
                    } catch (IOException done) {
                        // closed
                    }
                });
                acceptor.setDaemon(true);
                acceptor.start();
            } else {
                for (int i = 0; i < n; i++) {
                    held.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
                }
                System.out.println("connected");
                System.out.flush();
            }
            while (System.in.read() >= 0) {
                // hold the connections until the parent goes
            }
        }
    }
}
