package dev.asyncio.http.websocket;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.test.AsyncTest;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Peers nobody here wrote: the JDK's {@code java.net.http.WebSocket} client, and Netty's own server handler. */
class ForeignPeersTest {

    /** What the JDK's client heard: messages as strings ("text:...", "binary:N", "close:code:reason"). */
    private static final class Recorder implements java.net.http.WebSocket.Listener {
        final LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                heard.add("text:" + text);
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket webSocket, ByteBuffer data, boolean last) {
            heard.add("binary:" + data.remaining());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket webSocket, int statusCode, String reason) {
            heard.add("close:" + statusCode + ":" + reason);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket webSocket, Throwable error) {
            heard.add("error:" + error);
        }

        /** The next thing heard, taken on a virtual thread so the loop goes on meanwhile. */
        String next() throws Exception {
            String s = Asyncio.toThread(() -> heard.poll(10, TimeUnit.SECONDS));
            return s == null ? "nothing within 10 s" : s;
        }
    }

    @AsyncTest(realTime = true)
    void theJdkClientTalksToTheServerAndClosesWithACode() throws Exception {
        List<WebSocketMessage> serverGot = new java.util.ArrayList<>();
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.builder().subprotocols(List.of("chat")).build(), ws -> {
            while (true) {
                WebSocketMessage m = ws.receive();
                serverGot.add(m);
                switch (m) {
                    case WebSocketMessage.Text t -> ws.send("echo " + t.text());
                    case WebSocketMessage.Binary b -> ws.send(b.data());
                    case WebSocketMessage.Close c -> {
                        return;
                    }
                }
            }
        }); HttpClient http = HttpClient.newHttpClient()) {
            Recorder recorder = new Recorder();
            java.net.http.WebSocket jdk = Asyncio.await(http.newWebSocketBuilder().subprotocols("chat")
                    .buildAsync(URI.create(server.url("/ws")), recorder));
            assertEquals("chat", jdk.getSubprotocol());
            Asyncio.await(jdk.sendText("hé", false));
            Asyncio.await(jdk.sendText("llo", true));          // fragments, joined on our side
            assertEquals("text:echo héllo", recorder.next());
            Asyncio.await(jdk.sendBinary(ByteBuffer.wrap(new byte[3000]), true));
            assertEquals("binary:3000", recorder.next());
            Asyncio.await(jdk.sendPing(ByteBuffer.wrap(new byte[]{7})));
            Asyncio.await(jdk.sendClose(4001, "done here"));
            assertEquals("close:4001:done here", recorder.next(), "our side answers with the same code");
            server.handlers.getFirst().await();
        }
        assertEquals(List.of(new WebSocketMessage.Text("héllo"), new WebSocketMessage.Binary(new byte[3000]),
                new WebSocketMessage.Close(4001, "done here")), serverGot);
    }

    @AsyncTest(realTime = true)
    void theServerClosingIsHeardByTheJdkClient() throws Exception {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            ws.send("bye");
            ws.close(WebSocketCloseCodes.GOING_AWAY, "restarting");
        }); HttpClient http = HttpClient.newHttpClient()) {
            Recorder recorder = new Recorder();
            java.net.http.WebSocket jdk = Asyncio.await(http.newWebSocketBuilder()
                    .buildAsync(URI.create(server.url("/ws")), new java.net.http.WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                            return recorder.onText(w, data, last);
                        }

                        @Override
                        public CompletionStage<?> onClose(java.net.http.WebSocket w, int code, String reason) {
                            recorder.onClose(w, code, reason);
                            return w.sendClose(code, "");          // the JDK leaves the answer to the listener
                        }
                    }));
            assertEquals("text:bye", recorder.next());
            assertEquals("close:1001:restarting", recorder.next());
            server.handlers.getFirst().await();
            jdk.abort();
        }
    }

    @AsyncTest(realTime = true)
    void theClientTalksToNettysOwnServerHandler() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                    new WebSocketServerProtocolHandler("/netty", "chat"),
                                    new SimpleChannelInboundHandler<WebSocketFrame>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                                            if (f instanceof TextWebSocketFrame t) {
                                                ctx.writeAndFlush(new TextWebSocketFrame("netty: " + t.text()));
                                            } else if (f instanceof BinaryWebSocketFrame b) {
                                                ctx.writeAndFlush(new BinaryWebSocketFrame(b.content().retain()));
                                            }
                                        }
                                    });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            WebSocket ws = WebSocketClient.connect("ws://127.0.0.1:" + port + "/netty",
                    WebSocketOptions.builder().subprotocols(List.of("chat")).build());
            assertEquals("chat", ws.subprotocol());
            ws.send("hi");
            assertEquals(new WebSocketMessage.Text("netty: hi"), ws.receive());
            ws.send(new byte[60_000]);
            assertEquals(new WebSocketMessage.Binary(new byte[60_000]), ws.receive());
            ws.ping();                                   // Netty's protocol handler answers pings
            ws.close(WebSocketCloseCodes.NORMAL, "finished");
            assertEquals(new WebSocketMessage.Close(1000, "finished"), ws.peerClose());
            assertInstanceOf(WebSocketMessage.Close.class, ws.receive());
            CompletableFuture<Void> closed = new CompletableFuture<>();
            server.close().addListener(f -> closed.complete(null));
            Asyncio.await(closed);
        } finally {
            Future<Void> down = Asyncio.getRunningLoop().createFuture();
            AsyncLoop loop = Asyncio.getRunningLoop();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> loop.callSoonThreadsafe(() -> down.setResult(null)));
            down.await();
        }
    }
}
