package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A connection that a handler took over from its {@link HttpServer} with {@link ServerRequest#upgrade()}, to
 * speak another protocol on it (WebSocket). The server no longer reads from it, answers on it or times it
 * out; it still closes it on {@link HttpServer#close()} and counts it against
 * {@link ServerLimits#maxConnections()} until it closes.
 *
 * @param channel the connection's Netty channel: its pipeline still holds the TLS handler (if any) and Netty's
 *                {@code HttpRequestDecoder} and {@code HttpResponseEncoder}; it does not read on its own
 * @param request the request that asked for the switch, its headers copied, its body empty
 * @param loop    the loop the channel belongs to
 */
public record UpgradedConnection(Channel channel, FullHttpRequest request, AsyncLoop loop) {
}
