package dev.asyncio.net;

import io.netty.buffer.ByteBuf;

/**
 * The streams' internal read path: a protocol that copies received bytes straight out of Netty's buffer
 * (the transport releases it afterwards), so no {@code byte[]} is made per chunk.
 */
interface ByteBufReceiver {
    void bytesReceived(ByteBuf data);
}
