package dev.asyncio.net;

import java.net.InetSocketAddress;

/**
 * Callbacks for a UDP endpoint; mirrors {@code asyncio.DatagramProtocol}.
 *
 * <pre>{@code
 * final class EchoUdp implements DatagramProtocol {
 *     private DatagramTransport transport;
 *     public void connectionMade(DatagramTransport t) { transport = t; }
 *     public void datagramReceived(byte[] data, InetSocketAddress from) { transport.sendTo(data, from); }
 * }
 * }</pre>
 *
 * <p>Datagrams are delivered whole, one call each, and may be lost, duplicated or reordered by the network
 * as UDP allows. {@link #errorReceived} reports errors that do not close the endpoint (an ICMP "port
 * unreachable" for an earlier send, a datagram the kernel refused to send).
 */
public interface DatagramProtocol extends BaseProtocol<DatagramTransport> {
    /** A datagram arrived from {@code addr}; mirrors {@code datagram_received}. */
    default void datagramReceived(byte[] data, InetSocketAddress addr) {
    }

    /** A send or receive failed without closing the endpoint; mirrors {@code error_received}. */
    default void errorReceived(Throwable exc) {
    }
}
