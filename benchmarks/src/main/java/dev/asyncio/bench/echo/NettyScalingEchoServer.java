package dev.asyncio.bench.echo;

import dev.asyncio.bench.scaling.CpuWork;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.util.ArrayList;
import java.util.List;

/**
 * The strongest peer of the scaling benchmark (benchmarks/run-scaling.sh): {@link NettyEchoServer}'s handler
 * behind one that does the same {@link CpuWork} per read as the asyncio server, on an event loop group of
 * LOOPS threads. As the asyncio server: on NIO one listening socket whose accepted channels go round the
 * loops; on EPOLL one SO_REUSEPORT socket per loop. Arguments: {@code PORT NIO|EPOLL LOOPS HASH_ROUNDS}.
 */
public final class NettyScalingEchoServer {
    private NettyScalingEchoServer() {
    }

    /** Hashes each read (copied to a byte[], as the asyncio streams server reads one), then passes it on. */
    @ChannelHandler.Sharable
    static final class Hashing extends ChannelInboundHandlerAdapter {
        private final int rounds;

        Hashing(int rounds) {
            this.rounds = rounds;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] data = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), data);
            CpuWork.hash(data, 0, data.length, rounds);
            ctx.fireChannelRead(msg);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        boolean epoll = args[1].equals("EPOLL");
        int loops = Integer.parseInt(args[2]);
        Hashing hashing = new Hashing(Integer.parseInt(args[3]));
        NettyEchoServer.EchoHandler echo = new NettyEchoServer.EchoHandler();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, factory);
        try {
            ServerBootstrap b = new ServerBootstrap().group(group).channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(hashing, echo);
                        }
                    });
            List<Channel> listeners = new ArrayList<>();
            if (epoll) {
                b.option(EpollChannelOption.SO_REUSEPORT, true);
                for (int i = 0; i < loops; i++) {    // each bind registers its listener with the group's next loop
                    listeners.add(b.bind("127.0.0.1", port).sync().channel());
                }
            } else {
                listeners.add(b.bind("127.0.0.1", port).sync().channel());
            }
            System.out.println("netty scaling echo server on " + listeners.get(0).localAddress() + ", " + loops
                    + " loops (" + args[1] + ")");
            listeners.get(0).closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
