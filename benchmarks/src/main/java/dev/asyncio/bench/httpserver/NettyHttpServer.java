package dev.asyncio.bench.httpserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.Map;

/**
 * The floor of the HTTP server benchmark: a hand-written handler on Netty's {@code HttpServerCodec}, one
 * event loop thread, no router, responses written to the channel and flushed when the read burst ends.
 * {@code GET /} answers "Hello, World!" from one shared buffer; {@code GET /json} encodes the document with
 * Jackson for every request (the fastest common Java encoder, as Vert.x uses). Arguments: {@link ServerArgs}.
 */
public final class NettyHttpServer {
    private NettyHttpServer() {
    }

    static final class Handler extends ChannelInboundHandlerAdapter {
        private final ByteBuf plain;
        private final Map<?, ?> payload;
        private final ObjectMapper mapper;
        private HttpRequest request;

        Handler(ByteBuf plain, Map<?, ?> payload, ObjectMapper mapper) {
            this.plain = plain;
            this.payload = payload;
            this.mapper = mapper;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
            if (msg instanceof HttpRequest req) {
                request = req;
            }
            if (msg instanceof LastHttpContent && request != null) {
                FullHttpResponse res = switch (request.uri()) {
                    case "/" -> response(HttpResponseStatus.OK, plain.duplicate(), HttpHeaderValues.TEXT_PLAIN);
                    case "/json" -> response(HttpResponseStatus.OK, Unpooled.wrappedBuffer(mapper.writeValueAsBytes(payload)),
                            HttpHeaderValues.APPLICATION_JSON);
                    default -> response(HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER, HttpHeaderValues.TEXT_PLAIN);
                };
                if (HttpUtil.isKeepAlive(request)) {
                    ctx.write(res, ctx.voidPromise());
                } else {
                    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ctx.writeAndFlush(res).addListener(f -> ctx.close());
                }
                request = null;
            }
            ReferenceCountUtil.release(msg);
        }

        private static FullHttpResponse response(HttpResponseStatus status, ByteBuf body, CharSequence type) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            return res;
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
        ServerArgs a = ServerArgs.parse(args);
        Map<?, ?> payload = a.payloadMap();
        ObjectMapper mapper = new ObjectMapper();
        ByteBuf plain = Unpooled.unreleasableBuffer(Unpooled.directBuffer(ServerArgs.PLAIN.length).writeBytes(ServerArgs.PLAIN));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, a.epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(a.epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new HttpServerCodec(), new Handler(plain, payload, mapper));
                        }
                    })
                    .bind(ServerArgs.HOST, a.port()).sync().channel();
            a.ready("raw Netty");
            ch.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
