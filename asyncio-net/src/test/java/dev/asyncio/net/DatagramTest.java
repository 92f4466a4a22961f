package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.test.AsyncTest;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static dev.asyncio.net.StreamsTest.b;
import static dev.asyncio.net.StreamsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UDP endpoints: Net.createDatagramEndpoint with DatagramProtocol. */
class DatagramTest {
    static final class EchoUdp implements DatagramProtocol {
        DatagramTransport transport;

        @Override
        public void connectionMade(DatagramTransport t) {
            transport = t;
        }

        @Override
        public void datagramReceived(byte[] data, InetSocketAddress addr) {
            transport.sendTo(data, addr);
        }
    }

    /** Collects datagrams and errors. */
    static final class Inbox implements DatagramProtocol {
        final List<String> datagrams = new ArrayList<>();
        final List<InetSocketAddress> senders = new ArrayList<>();
        Future<Void> next = new Future<>();
        final Future<Throwable> error = new Future<>();
        final Future<Throwable> lost = new Future<>();

        @Override
        public void datagramReceived(byte[] data, InetSocketAddress addr) {
            datagrams.add(s(data));
            senders.add(addr);
            if (!next.done()) {
                next.setResult(null);
            }
        }

        void awaitNext() {
            next.await();
            next = new Future<>();
        }

        @Override
        public void errorReceived(Throwable exc) {
            if (!error.done()) {
                error.setResult(exc);
            }
        }

        @Override
        public void connectionLost(Throwable exc) {
            lost.setResult(exc);
        }
    }

    @AsyncTest
    void datagramsGoBothWaysBetweenAConnectedClientAndAServer() {
        var server = Net.createDatagramEndpoint(EchoUdp::new, new InetSocketAddress("127.0.0.1", 0), null);
        InetSocketAddress serverAddr = (InetSocketAddress) server.transport().getExtraInfo("sockname");
        var client = Net.createDatagramEndpoint(Inbox::new, null, serverAddr);
        assertEquals(serverAddr, client.transport().getExtraInfo("peername"));
        client.transport().sendTo(b("ping"));
        client.protocol().awaitNext();
        client.transport().sendTo(b("pong"), serverAddr);
        client.protocol().awaitNext();
        assertEquals(List.of("ping", "pong"), client.protocol().datagrams);
        assertEquals(serverAddr, client.protocol().senders.get(0));
        client.transport().close();
        assertNull(client.protocol().lost.await());
        server.transport().close();
    }

    @AsyncTest
    void anUnconnectedEndpointSendsToAnyAddressAndLearnsEachSender() {
        var server = Net.createDatagramEndpoint(EchoUdp::new, new InetSocketAddress("127.0.0.1", 0), null);
        InetSocketAddress serverAddr = (InetSocketAddress) server.transport().getExtraInfo("sockname");
        var client = Net.createDatagramEndpoint(Inbox::new, new InetSocketAddress("127.0.0.1", 0), null);
        for (int i = 0; i < 3; i++) {
            client.transport().sendTo(b("n" + i), serverAddr);
            client.protocol().awaitNext();
        }
        assertEquals(List.of("n0", "n1", "n2"), client.protocol().datagrams);
        client.transport().close();
        server.transport().close();
    }

    @AsyncTest
    void badAddressesAndSendsAfterCloseAreClearErrors() {
        var unconnected = Net.createDatagramEndpoint(Inbox::new, new InetSocketAddress("127.0.0.1", 0), null);
        IllegalArgumentException noAddr = assertThrows(IllegalArgumentException.class,
                () -> unconnected.transport().sendTo(b("x")));
        assertTrue(noAddr.getMessage().contains("not connected"), noAddr.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> unconnected.transport().sendTo(b("x"), InetSocketAddress.createUnresolved("somewhere", 9)));
        InetSocketAddress self = (InetSocketAddress) unconnected.transport().getExtraInfo("sockname");
        var connected = Net.createDatagramEndpoint(Inbox::new, null, self);
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> connected.transport().sendTo(b("x"), new InetSocketAddress("127.0.0.1", 9)));
        assertTrue(other.getMessage().contains("Invalid address"), other.getMessage());
        connected.transport().close();
        assertThrows(IllegalStateException.class, () -> connected.transport().sendTo(b("x")));
        unconnected.transport().close();
    }

    @AsyncTest
    void portUnreachableIsReportedToErrorReceivedAndTheEndpointStaysOpen() {
        var probe = Net.createDatagramEndpoint(Inbox::new, new InetSocketAddress("127.0.0.1", 0), null);
        InetSocketAddress nobody = (InetSocketAddress) probe.transport().getExtraInfo("sockname");
        probe.transport().close();
        probe.protocol().lost.await();
        var client = Net.createDatagramEndpoint(Inbox::new, null, nobody);
        Throwable error = null;
        for (int i = 0; i < 50 && error == null; i++) {
            client.transport().sendTo(b("anyone?"));
            Asyncio.sleep(0.001);
            error = client.protocol().error.done() ? client.protocol().error.result() : null;
        }
        assertInstanceOf(ConnectionRefusedError.class, error);
        assertTrue(!client.transport().isClosing(), "an ICMP error does not close the endpoint");
        client.transport().close();
    }

    @AsyncTest
    void bindingAnAddressInUseIsAConnectionError() {
        var first = Net.createDatagramEndpoint(Inbox::new, new InetSocketAddress("127.0.0.1", 0), null);
        InetSocketAddress taken = (InetSocketAddress) first.transport().getExtraInfo("sockname");
        ConnectionError e = assertThrows(ConnectionError.class,
                () -> Net.createDatagramEndpoint(Inbox::new, taken, null));
        assertTrue(e.getMessage().contains("cannot open a UDP endpoint"), e.getMessage());
        first.transport().close();
    }
}
