package dev.asyncio.net;

import io.netty.buffer.ByteBuf;

/**
 * The streams' internal read path: a protocol that takes the received Netty buffer itself, and with it the
 * duty to release it (on every path, a throw included), so that no {@code byte[]} is made per chunk.
 */
interface ByteBufReceiver {
    void bytesReceived(ByteBuf data);
}
