/**
 * WebSockets (RFC 6455) for tasks: a {@link dev.asyncio.http.websocket.WebSocket} is one connection with
 * suspending {@code receive}, {@code send}, {@code ping} and {@code close}, on Netty's websocketx codecs.
 * {@link dev.asyncio.http.websocket.WebSocketClient} opens one; a server hands each accepted one to a
 * {@link dev.asyncio.http.websocket.WebSocketHandler}.
 */
package dev.asyncio.http.websocket;
