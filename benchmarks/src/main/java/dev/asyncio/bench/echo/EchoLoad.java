package dev.asyncio.bench.echo;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop echo load: each connection sends one message, waits until all of it has come back, and
 * sends the next. Runs on one Netty event loop thread.
 *
 * <p>It drives several servers in turn, round after round, so that whatever else the machine does falls on
 * all of them alike: per round and server it opens the connections, warms up, then measures for the given
 * time the completed requests, every request's latency, and the server process's CPU time (utime + stime
 * from {@code /proc/PID/stat}) over exactly that window. It prints the totals per server and the ratios to
 * the first server (the floor).
 *
 * <p>Arguments: {@code --target LABEL:PORT:PID} (repeated; the first is the floor), {@code --connections N},
 * {@code --size BYTES}, {@code --rounds R}, {@code --first-warmup S}, {@code --warmup S}, {@code --duration S},
 * {@code --clk-tck TICKS}, {@code --per-round true} (also print each round's requests/s per server, as
 * {@code round R LABEL RPS}, for the spread across rounds).
 */
public final class EchoLoad {
    private EchoLoad() {
    }

    record Target(String label, int port, long pid) {
    }

    /** What one server accumulated over the rounds. */
    static final class Totals {
        long requests;
        double seconds;
        long cpuTicks;
        long[] latencies = new long[1 << 16];

        void add(long nanos) {
            if (requests == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[(int) requests++] = nanos;
        }
    }

    /** Everything below runs on the load generator's single event loop thread. */
    private static final class Segment {
        final ByteBuf message;
        final int size;
        final Totals totals;
        boolean measuring;
        boolean stopped;

        Segment(ByteBuf message, int size, Totals totals) {
            this.message = message;
            this.size = size;
            this.totals = totals;
        }
    }

    private static final class Client extends ChannelInboundHandlerAdapter {
        private final Segment segment;
        private int pending;
        private long sentAt;

        Client(Segment segment) {
            this.segment = segment;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            send(ctx);
        }

        private void send(ChannelHandlerContext ctx) {
            pending = segment.size;
            sentAt = System.nanoTime();
            ctx.writeAndFlush(segment.message.duplicate(), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            pending -= buf.readableBytes();
            buf.release();
            if (pending <= 0) {
                if (segment.measuring) {
                    segment.totals.add(System.nanoTime() - sentAt);
                }
                if (!segment.stopped) {
                    send(ctx);
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("load connection failed: " + cause);
            ctx.close();
        }
    }

    /** utime + stime of {@code pid}, in clock ticks. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);   // fields 14 and 15 of proc(5)
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid, e);
        }
    }

    static void runSegment(EventLoop loop, Target target, int connections, ByteBuf message, int size, Totals totals,
                           double warmup, double duration) throws Exception {
        Segment segment = new Segment(message, size, totals);
        Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Client(segment));
                    }
                });
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            channels.add(b.connect("127.0.0.1", target.port()).sync().channel());
        }
        long[] window = new long[4];
        CountDownLatch done = new CountDownLatch(1);
        loop.schedule(() -> {
            segment.measuring = true;
            window[0] = System.nanoTime();
            window[1] = cpuTicks(target.pid());
        }, (long) (warmup * 1e9), TimeUnit.NANOSECONDS);
        loop.schedule(() -> {
            segment.measuring = false;
            segment.stopped = true;
            window[2] = System.nanoTime();
            window[3] = cpuTicks(target.pid());
            done.countDown();
        }, (long) ((warmup + duration) * 1e9), TimeUnit.NANOSECONDS);
        done.await();
        for (Channel ch : channels) {
            ch.close().sync();
        }
        totals.seconds += (window[2] - window[0]) / 1e9;
        totals.cpuTicks += window[3] - window[1];
    }

    public static void main(String[] args) throws Exception {
        List<Target> targets = new ArrayList<>();
        int connections = 10;
        int size = 1024;
        int rounds = 5;
        double firstWarmup = 3;
        double warmup = 1;
        double duration = 2;
        long ticksPerSecond = 100;
        boolean perRound = false;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--target" -> {
                    String[] p = v.split(":");
                    targets.add(new Target(p[0], Integer.parseInt(p[1]), Long.parseLong(p[2])));
                }
                case "--connections" -> connections = Integer.parseInt(v);
                case "--size" -> size = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--first-warmup" -> firstWarmup = Double.parseDouble(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--duration" -> duration = Double.parseDouble(v);
                case "--clk-tck" -> ticksPerSecond = Long.parseLong(v);
                case "--per-round" -> perRound = Boolean.parseBoolean(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        ByteBuf message = Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeBytes(bytes));
        Map<String, Totals> totals = new LinkedHashMap<>();
        for (Target t : targets) {
            totals.put(t.label(), new Totals());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoop loop = group.next();
            for (int round = 0; round < rounds; round++) {
                for (Target t : targets) {
                    Totals tt = totals.get(t.label());
                    long requestsBefore = tt.requests;
                    double secondsBefore = tt.seconds;
                    runSegment(loop, t, connections, message, size, tt, round == 0 ? firstWarmup : warmup, duration);
                    if (perRound) {
                        System.out.println(String.format(Locale.ROOT, "round %d %s %.0f", round, t.label(),
                                (tt.requests - requestsBefore) / (tt.seconds - secondsBefore)));
                    }
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        double floorCpu = 0;
        double floorRps = 0;
        for (Target t : targets) {
            Totals s = totals.get(t.label());
            long[] lat = Arrays.copyOf(s.latencies, (int) s.requests);
            Arrays.sort(lat);
            double p50 = lat.length == 0 ? 0 : lat[(int) (lat.length * 0.50)] / 1e3;
            double p99 = lat.length == 0 ? 0 : lat[Math.min(lat.length - 1, (int) (lat.length * 0.99))] / 1e3;
            double rps = s.requests / s.seconds;
            double cpuPerReq = s.requests == 0 ? 0 : s.cpuTicks * 1e6 / ticksPerSecond / s.requests;
            if (floorCpu == 0) {
                floorCpu = cpuPerReq;
                floorRps = rps;
            }
            System.out.println(String.format(Locale.ROOT, "%-11s %5d %6d %9d %10.0f %9.1f %9.1f %10.2f %8.3f %8.3f",
                    t.label(), connections, size, s.requests, rps, p50, p99, cpuPerReq,
                    cpuPerReq / floorCpu, rps / floorRps));
        }
    }
}
