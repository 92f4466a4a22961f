package dev.asyncio.http.websocket;

/**
 * Serves one WebSocket connection, in a task of its own, once the upgrade handshake is done. When it returns
 * the connection is closed with 1000 (if it is still open); when it throws, with 1011 (internal error), and the
 * exception goes to the loop's exception handler, never to the peer.
 */
@FunctionalInterface
public interface WebSocketHandler {
    /**
     * Serves {@code ws}; may suspend for as long as the conversation lasts.
     *
     * @throws Exception anything: the connection is then closed with 1011
     */
    void handle(WebSocket ws) throws Exception;
}
