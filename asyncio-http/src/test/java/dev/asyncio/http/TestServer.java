package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.net.channel.Channels;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An HTTP/1.1 server for the tests, on the test's own loop: Netty's {@code HttpServerCodec} and
 * {@code HttpObjectAggregator}, and a handler run in a task per request, which answers through a
 * {@link Reply} and may sleep between the pieces it sends. It counts the connections it accepted and keeps
 * a log of the requests it got. {@link #stop()} cancels the handlers still running and closes everything.
 */
final class TestServer {
    /** Answers one request; runs in a task of its own and may suspend. */
    @FunctionalInterface
    interface Handler {
        void handle(Request request, Reply reply) throws Exception;
    }

    /** A request as the server got it; {@code connection} numbers the connections from 1. */
    record Request(String method, String uri, HttpHeaders headers, byte[] body, int connection) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final AsyncLoop loop;
    private final Handler handler;
    private Channel listener;
    private final Set<Channel> connections = new LinkedHashSet<>();
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Request> log = new ArrayList<>();
    private int accepted;
    private int open;
    private int maxOpen;
    private int busy;
    private int maxBusy;

    private TestServer(AsyncLoop loop, Handler handler) {
        this.loop = loop;
        this.handler = handler;
    }

    static TestServer start(Handler handler) {
        return start(handler, null);
    }

    /** Starts listening on 127.0.0.1, any port; with TLS if {@code ssl} is given. Suspends until bound. */
    static TestServer start(Handler handler, SslContext ssl) {
        AsyncLoop loop = Asyncio.getRunningLoop();
        TestServer server = new TestServer(loop, handler);
        ServerBootstrap b = new ServerBootstrap()
                .group(loop.ioEventLoop(), loop.ioEventLoop())
                .channelFactory(Channels.serverSocket(loop.transport()))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        server.accepted(ch);
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                server.new RequestHandler(server.accepted));
                    }
                });
        ChannelFuture bound = b.bind("127.0.0.1", 0);
        Future<Void> done = loop.createFuture();
        bound.addListener(f -> {
            if (f.isSuccess()) {
                done.setResult(null);
            } else {
                done.setException(f.cause());
            }
        });
        done.await();
        server.listener = bound.channel();
        return server;
    }

    private void accepted(Channel ch) {
        accepted++;
        open++;
        maxOpen = Math.max(maxOpen, open);
        connections.add(ch);
        ch.closeFuture().addListener(f -> {
            open--;
            connections.remove(ch);
        });
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted;
    }

    /** Connections open now. */
    int open() {
        return open;
    }

    /** The most connections that were open at once. */
    int maxOpen() {
        return maxOpen;
    }

    /** The most requests handled at once. */
    int maxBusy() {
        return maxBusy;
    }

    /** Every request received, in order. */
    List<Request> log() {
        return log;
    }

    /** Stops: cancels the handlers still running, closes every connection and the listener, and waits for it all. */
    void stop() {
        for (Task<?> t : new ArrayList<>(tasks)) {
            t.cancel();
        }
        Asyncio.gather(true, new ArrayList<>(tasks));
        for (Channel ch : new ArrayList<>(connections)) {
            ch.close();
        }
        listener.close();
        Future<Void> closed = loop.createFuture();
        listener.closeFuture().addListener(f -> closed.setResult(null));
        closed.await();
    }

    /** Runs {@code body} with a server running {@code handler}, and stops the server afterwards. */
    static void serving(Handler handler, ServerBody body) throws Exception {
        serving(handler, null, body);
    }

    static void serving(Handler handler, SslContext ssl, ServerBody body) throws Exception {
        TestServer server = start(handler, ssl);
        try {
            body.run(server);
        } finally {
            server.stop();
        }
    }

    @FunctionalInterface
    interface ServerBody {
        void run(TestServer server) throws Exception;
    }

    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final int connection;

        RequestHandler(int connection) {
            this.connection = connection;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
            Request request = new Request(msg.method().name(), msg.uri(), msg.headers().copy(),
                    ByteBufUtil.getBytes(msg.content()), connection);
            log.add(request);
            Reply reply = new Reply(ctx.channel(), HttpUtil.isKeepAlive(msg));
            busy++;
            maxBusy = Math.max(maxBusy, busy);
            Task<Void> task = loop.createTask(() -> {
                try {
                    handler.handle(request, reply);
                } finally {
                    busy--;
                }
            }, "handler " + request.method() + " " + request.uri());
            tasks.add(task);
            task.addDoneCallback(t -> {
                tasks.remove(t);
                if (!t.cancelled() && t.exception() != null) {
                    ctx.channel().close();
                }
            });
        }
    }

    /** How a handler answers: a whole response at once, or a head then pieces of body. */
    static final class Reply {
        private final Channel channel;
        private final boolean keepAlive;
        private HttpResponseStatus status = HttpResponseStatus.OK;
        private final DefaultHttpResponse head;

        Reply(Channel channel, boolean keepAlive) {
            this.channel = channel;
            this.keepAlive = keepAlive;
            this.head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        }

        Reply status(int code) {
            status = HttpResponseStatus.valueOf(code);
            head.setStatus(status);
            return this;
        }

        Reply header(String name, Object value) {
            head.headers().add(name, value);
            return this;
        }

        HttpHeaders headers() {
            return head.headers();
        }

        /** The whole response, with a {@code Content-Length}. */
        void send(byte[] body) {
            head.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            finishHeaders();
            channel.write(head);
            channel.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(body)));
            closeUnlessKeepAlive();
        }

        void send(String body) {
            send(body.getBytes(StandardCharsets.UTF_8));
        }

        /** The head of a chunked response; then {@link #chunk} and {@link #end}. */
        void startChunked() {
            HttpUtil.setTransferEncodingChunked(head, true);
            finishHeaders();
            channel.writeAndFlush(head);
        }

        /** The head only, with the {@code Content-Length} given; then {@link #chunk} pieces. */
        void startWithLength(long length) {
            head.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
            finishHeaders();
            channel.writeAndFlush(head);
        }

        /** The head only, with neither length nor chunking: the body ends when the connection closes. */
        void startUntilClose() {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(head);
        }

        /** One piece of body; suspends until it is written to the socket (or the connection failed). */
        void chunk(byte[] data) {
            Future<Void> written = new Future<>();
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(data))).addListener(f -> {
                if (!written.done()) {
                    written.setResult(null);
                }
            });
            written.await();
        }

        void chunk(String data) {
            chunk(data.getBytes(StandardCharsets.UTF_8));
        }

        /** The end of a chunked body. */
        void end() {
            channel.writeAndFlush(new DefaultLastHttpContent());
            closeUnlessKeepAlive();
        }

        /** Closes the connection now, whatever was sent. */
        void closeConnection() {
            channel.close();
        }

        Channel channel() {
            return channel;
        }

        private void finishHeaders() {
            if (!keepAlive) {
                head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }

        private void closeUnlessKeepAlive() {
            if (!keepAlive || HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(
                    String.valueOf(head.headers().get(HttpHeaderNames.CONNECTION)))) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> channel.close());
            }
        }
    }
}
