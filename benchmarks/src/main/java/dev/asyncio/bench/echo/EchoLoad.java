package dev.asyncio.bench.echo;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop echo load: each connection sends one message, waits for all of it to come back, and sends
 * the next. Runs on one Netty event loop thread. After the warm-up it measures for the given time:
 * completed requests, latency percentiles, and the server process's CPU time (utime + stime from
 * {@code /proc/PID/stat}) over exactly that window.
 *
 * <p>Arguments: {@code --port P --connections N --size BYTES --warmup S --duration S --server-pid PID
 * --label NAME}. Prints one line: {@code label conns size requests req/s p50_us p99_us server_cpu_us/req}.
 */
public final class EchoLoad {
    private EchoLoad() {
    }

    /** Everything below runs on the load generator's single event loop thread. */
    private static final class Run {
        final int size;
        final ByteBuf message;
        boolean measuring;
        boolean stopped;
        long requests;
        long[] latencies = new long[1 << 20];

        Run(int size) {
            this.size = size;
            byte[] bytes = new byte[size];
            Arrays.fill(bytes, (byte) 'x');
            this.message = Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeBytes(bytes));
        }

        void record(long nanos) {
            if (!measuring) {
                return;
            }
            if (requests == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[(int) requests++] = nanos;
        }
    }

    private static final class Client extends ChannelInboundHandlerAdapter {
        private final Run run;
        private int pending;
        private long sentAt;

        Client(Run run) {
            this.run = run;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            send(ctx);
        }

        private void send(ChannelHandlerContext ctx) {
            pending = run.size;
            sentAt = System.nanoTime();
            ctx.writeAndFlush(run.message.duplicate(), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            pending -= buf.readableBytes();
            buf.release();
            if (pending <= 0) {
                run.record(System.nanoTime() - sentAt);
                if (!run.stopped) {
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

    public static void main(String[] args) throws Exception {
        int port = 0;
        int connections = 10;
        int size = 1024;
        double warmup = 3;
        double duration = 10;
        long serverPid = -1;
        String label = "?";
        long ticksPerSecond = 100;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--size" -> size = Integer.parseInt(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--duration" -> duration = Double.parseDouble(v);
                case "--server-pid" -> serverPid = Long.parseLong(v);
                case "--label" -> label = v;
                case "--clk-tck" -> ticksPerSecond = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoop loop = group.next();
            Run run = new Run(size);
            Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new Client(run));
                        }
                    });
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                channels.add(b.connect("127.0.0.1", port).sync().channel());
            }
            long[] window = new long[4];   // t0, cpu0, t1, cpu1
            long pid = serverPid;
            CountDownLatch done = new CountDownLatch(1);
            loop.schedule(() -> {
                run.measuring = true;
                window[0] = System.nanoTime();
                window[1] = pid > 0 ? cpuTicks(pid) : 0;
            }, (long) (warmup * 1e9), TimeUnit.NANOSECONDS);
            loop.schedule(() -> {
                run.measuring = false;
                run.stopped = true;
                window[2] = System.nanoTime();
                window[3] = pid > 0 ? cpuTicks(pid) : 0;
                done.countDown();
            }, (long) ((warmup + duration) * 1e9), TimeUnit.NANOSECONDS);
            done.await();
            for (Channel ch : channels) {
                ch.close().sync();
            }
            double seconds = (window[2] - window[0]) / 1e9;
            long n = run.requests;
            long[] lat = Arrays.copyOf(run.latencies, (int) n);
            Arrays.sort(lat);
            double p50 = lat.length == 0 ? 0 : lat[(int) (lat.length * 0.50)] / 1e3;
            double p99 = lat.length == 0 ? 0 : lat[Math.min(lat.length - 1, (int) (lat.length * 0.99))] / 1e3;
            double cpuUs = (window[3] - window[1]) * 1e6 / ticksPerSecond;
            System.out.println(String.format(Locale.ROOT, "%-9s %5d %6d %9d %10.0f %9.1f %9.1f %9.2f",
                    label, connections, size, n, n / seconds, p50, p99, n == 0 ? 0 : cpuUs / n));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
