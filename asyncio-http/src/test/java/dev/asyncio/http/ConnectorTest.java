package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import dev.asyncio.net.ConnectionRefusedError;
import dev.asyncio.net.channel.HappyEyeballs;
import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.internal.BlackHole;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;

import static dev.asyncio.http.TestServer.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Making connections to a host with several addresses: a staggered race (RFC 8305, "Happy Eyeballs"), within
 * the connect limit. The test server listens on 127.0.0.1 only, so that 127.0.0.2 and 127.0.0.3 on its port
 * refuse, or do not answer when a {@link BlackHole} fills their accept queue.
 */
class ConnectorTest {
    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);          // a literal: no lookup
    }

    @AsyncTest
    void aSecondAddressIsTriedWhenTheFirstDoesNotAnswer(AsyncLoop loop) throws Exception {
        serving((req, reply) -> reply.send("ok"), server -> {
            try (BlackHole hole = BlackHole.at("127.0.0.2", server.port());
                 HttpClient client = HttpClient.builder()
                         .timeout(ClientTimeout.DEFAULT.withConnect(2))
                         .resolver(host -> List.of(hole.address(), InetAddress.getLoopbackAddress()))
                         .build()) {
                double start = loop.time();
                assertEquals("ok", client.get("http://dual.example:" + server.port() + "/").text());
                assertTrue(loop.time() - start >= Connector.CONNECTION_ATTEMPT_DELAY,
                        "the second address was tried once the first had its delay, not before");
                assertEquals(1, client.openConnections(), "the attempt to the silent address was given up");
                assertEquals(1, server.accepted());
            }
        });
    }

    @AsyncTest(realTime = true)      // the kernel retries a SYN after a second of real time
    void theAttemptThatLostTheRaceIsClosedAndNeverConnectsLater() throws Exception {
        serving((req, reply) -> reply.send("ok"), server -> {
            try (BlackHole hole = BlackHole.at("127.0.0.2", server.port());
                 HttpClient client = HttpClient.builder()
                         .resolver(host -> List.of(hole.address(), InetAddress.getLoopbackAddress()))
                         .build()) {
                assertEquals("ok", client.get("http://dual.example:" + server.port() + "/").text());
                int late = Asyncio.toThread(() -> lateConnections(hole));
                assertEquals(0, late, "the losing attempt was closed, so its SYN was not sent again");
            }
        });
    }

    /**
     * Makes room in {@code hole}'s accept queue and counts, for two seconds of real time, the connections
     * that still come: those of attempts left open, whose SYN the kernel sends again (Linux: 1 s after the
     * attempt began, then 3 s). The window opens once the race is over, a fraction of a second after the
     * attempt began, so it takes in the first resend with a second to spare (the 3 s one as well if the window
     * opens late). A shorter window can only miss a late connection, never invent one.
     * Blocking: call it through {@link Asyncio#toThread}.
     */
    private static int lateConnections(BlackHole hole) throws Exception {
        ServerSocket listener = hole.listener();
        listener.setSoTimeout(100);
        int accepted = 0;
        long until = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < until) {
            try (Socket s = listener.accept()) {
                accepted++;
            } catch (SocketTimeoutException none) {
                // keep listening until the SYN retries are over
            }
        }
        return accepted - hole.filling().size();
    }

    @AsyncTest(realTime = true)
    void cancellingARequestDuringTheRaceClosesEveryAttemptUnderWay() throws Exception {
        try (BlackHole first = BlackHole.at("127.0.0.2", 0);
             BlackHole second = BlackHole.at("127.0.0.3", first.port());
             HttpClient client = HttpClient.builder()
                     .resolver(host -> List.of(first.address(), second.address()))
                     .build()) {
            Task<HttpResponse> request = Asyncio.createTask(() -> client.get("http://silent.example:" + first.port() + "/"));
            Asyncio.sleep(Connector.CONNECTION_ATTEMPT_DELAY + 0.1);   // both attempts under way
            assertEquals(1, client.openConnections(), "one connection being made");
            request.cancel();
            assertThrows(CancelledError.class, request::await);
            assertEquals(0, client.openConnections(), "its place under the limits was given back");
            List<Integer> late = Asyncio.gather(Asyncio.createTask(() -> Asyncio.toThread(() -> lateConnections(first))),
                    Asyncio.createTask(() -> Asyncio.toThread(() -> lateConnections(second))));
            assertEquals(List.of(0, 0), late, "both attempts were closed, so neither SYN was sent again");
        }
    }

    @AsyncTest
    void anAddressThatFailsHandsOverToTheNextAtOnce() throws Exception {
        serving((req, reply) -> reply.send("ok"), server -> {
            // Two refusing addresses first, and less time than one attempt delay: only an immediate hand-over
            // reaches the third address in time.
            List<InetAddress> three = List.of(address("127.0.0.2"), address("127.0.0.3"), InetAddress.getLoopbackAddress());
            try (HttpClient client = HttpClient.builder()
                    .timeout(ClientTimeout.DEFAULT.withConnect(Connector.CONNECTION_ATTEMPT_DELAY * 0.8))
                    .resolver(host -> three)
                    .build()) {
                assertEquals("ok", client.get("http://three.example:" + server.port() + "/").text());
            }
        });
    }

    @AsyncTest
    void whenEveryAddressFailsTheFirstFailureIsThrownWithTheOthersSuppressed() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, address("127.0.0.2"))) {
            port = closed.getLocalPort();               // nothing listens there once it is closed
        }
        List<InetAddress> two = List.of(address("127.0.0.2"), address("127.0.0.3"));
        try (HttpClient client = HttpClient.builder()
                .resolver(host -> two)
                .build()) {
            ConnectionRefusedError e = assertThrows(ConnectionRefusedError.class,
                    () -> client.get("http://refusing.example:" + port + "/"));
            assertTrue(e.getMessage().contains("(127.0.0.2)"), e.getMessage());
            assertEquals(1, e.getSuppressed().length);
            assertTrue(e.getSuppressed()[0].getMessage().contains("(127.0.0.3)"), e.getSuppressed()[0].getMessage());
            assertEquals(0, client.openConnections());
        }
    }

    @AsyncTest
    void addressesThatNeverAnswerEndWithTheConnectLimitAndEveryAttemptGivenUp(AsyncLoop loop) throws Exception {
        try (BlackHole first = BlackHole.at("127.0.0.2", 0);
             BlackHole second = BlackHole.at("127.0.0.3", first.port());
             HttpClient client = HttpClient.builder()
                     .timeout(ClientTimeout.DEFAULT.withConnect(1))
                     .resolver(host -> List.of(first.address(), second.address()))
                     .build()) {
            double start = loop.time();
            ConnectTimeoutError e = assertThrows(ConnectTimeoutError.class,
                    () -> client.get("http://silent.example:" + first.port() + "/"));
            assertEquals(1.0, loop.time() - start, 1e-9, "the limit covers the whole race, not each attempt");
            assertTrue(e.getMessage().endsWith("took longer than 1.00 s"), e.getMessage());
            assertEquals(0, client.openConnections());
        }
    }

    @AsyncTest
    void theAddressFamiliesTakeTurnsTheFirstAddresssFamilyFirst() throws Exception {
        InetAddress v6a = address("::1");
        InetAddress v6b = address("2001:db8::1");
        InetAddress v4a = address("127.0.0.1");
        InetAddress v4b = address("192.0.2.1");
        InetAddress v4c = address("192.0.2.2");
        assertEquals(List.of(v6a, v4a, v6b, v4b, v4c), HappyEyeballs.interleave(List.of(v6a, v6b, v4a, v4b, v4c), 1));
        assertEquals(List.of(v4a, v6a, v4b, v6b), HappyEyeballs.interleave(List.of(v4a, v4b, v6a, v6b), 1));
        assertEquals(List.of(v4a, v4b), HappyEyeballs.interleave(List.of(v4a, v4b), 1));
    }
}
