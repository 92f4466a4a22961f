package dev.asyncio.bench.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * The floor: a hand-written Netty echo handler on one event loop thread (the asyncio loop has one thread
 * too). Writes what it reads without copying, flushes when the read burst ends.
 * Arguments: {@code PORT [NIO|EPOLL|IO_URING]}.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String kind = args.length > 1 ? args[1] : "NIO";
        IoHandlerFactory factory = switch (kind) {
            case "EPOLL" -> EpollIoHandler.newFactory();
            case "IO_URING" -> IoUringIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
        Class<? extends ServerChannel> channel = switch (kind) {
            case "EPOLL" -> EpollServerSocketChannel.class;
            case "IO_URING" -> IoUringServerSocketChannel.class;
            default -> NioServerSocketChannel.class;
        };
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        try {
            EchoHandler handler = new EchoHandler();
            Channel server = new ServerBootstrap().group(group).channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 100)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(handler)
                    .bind("127.0.0.1", port).sync().channel();
            System.out.println("raw netty echo server on " + server.localAddress() + " (" + kind + ")");
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
