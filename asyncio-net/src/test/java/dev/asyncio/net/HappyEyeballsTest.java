package dev.asyncio.net;

import dev.asyncio.net.channel.HappyEyeballs;
import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.internal.BlackHole;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static dev.asyncio.net.StreamsTest.b;
import static dev.asyncio.net.StreamsTest.s;
import static dev.asyncio.net.StreamsTest.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connecting to a host with several addresses (RFC 8305): a first address that never answers does not hold
 * the connection up when a happyEyeballsDelay is set, refused addresses are skipped, and the address
 * families take turns. The address that never answers is a {@link BlackHole}: a loopback listener whose
 * accept queue is full, so that Linux drops the SYNs it gets and a connect to it hangs.
 */
class HappyEyeballsTest {
    private static Resolver answering(String... addresses) {
        return host -> {
            List<InetAddress> out = new ArrayList<>();
            for (String a : addresses) {
                out.add(Resolver.numeric(a));
            }
            return out;
        };
    }

    @AsyncTest(timeout = 20)
    void aFirstAddressThatNeverAnswersDoesNotHoldUpOpenConnection() throws Exception {
        serving(StreamsTest::echoLines, server -> {
            try (BlackHole hole = BlackHole.at("127.0.0.2", server.port())) {
                StreamOptions options = StreamOptions.builder().resolver(answering("127.0.0.2", "127.0.0.1"))
                        .happyEyeballsDelay(0.05).build();
                try (Connection c = Streams.openConnection("dual.test", server.port(), options)) {
                    assertEquals(new InetSocketAddress("127.0.0.1", server.port()), c.writer().getExtraInfo("peername"));
                    c.writer().write(b("through the second address\n"));
                    assertEquals("through the second address\n", s(c.reader().readLine()));
                }
            }
        });
    }

    @AsyncTest(timeout = 20)
    void aFirstAddressThatNeverAnswersDoesNotHoldUpCreateConnection() throws Exception {
        serving(StreamsTest::echoLines, server -> {
            try (BlackHole hole = BlackHole.at("127.0.0.2", server.port())) {
                StreamOptions options = StreamOptions.builder().resolver(answering("127.0.0.2", "127.0.0.1"))
                        .happyEyeballsDelay(0.05).build();
                var tp = Net.createConnection(ProtocolsTest.Recorder::new, "dual.test", server.port(), options);
                try {
                    assertEquals(new InetSocketAddress("127.0.0.1", server.port()), tp.transport().getExtraInfo("peername"));
                } finally {
                    tp.transport().close();
                }
            }
        });
    }

    @AsyncTest
    void withoutADelayARefusedAddressIsSkippedForTheNext() throws Exception {
        serving(StreamsTest::echoLines, server -> {
            // Nothing listens on 127.0.0.3 at the server's port: refused at once, then the next address is tried.
            StreamOptions options = StreamOptions.builder().resolver(answering("127.0.0.3", "127.0.0.1")).build();
            try (Connection c = Streams.openConnection("two.test", server.port(), options)) {
                assertEquals(new InetSocketAddress("127.0.0.1", server.port()), c.writer().getExtraInfo("peername"));
            }
        });
    }

    @AsyncTest
    void whenEveryAddressFailsTheFirstFailureIsThrownWithTheOthersSuppressed() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = closed.getLocalPort();
        }
        StreamOptions options = StreamOptions.builder().resolver(answering("127.0.0.1", "127.0.0.3"))
                .happyEyeballsDelay(0.05).build();
        ConnectionRefusedError e = assertThrows(ConnectionRefusedError.class,
                () -> Streams.openConnection("none.test", port, options));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertTrue(e.getSuppressed()[0].getMessage().contains("127.0.0.3:" + port), e.getSuppressed()[0].getMessage());
    }

    @Test
    void addressFamiliesTakeTurnsAsAsyncioInterleaves() {
        InetAddress v6a = Resolver.numeric("::1");
        InetAddress v6b = Resolver.numeric("::2");
        InetAddress v6c = Resolver.numeric("::3");
        InetAddress v4a = Resolver.numeric("127.0.0.1");
        InetAddress v4b = Resolver.numeric("127.0.0.2");
        List<InetAddress> resolved = List.of(v6a, v6b, v6c, v4a, v4b);
        assertEquals(resolved, HappyEyeballs.interleave(resolved, 0));
        assertEquals(List.of(v6a, v4a, v6b, v4b, v6c), HappyEyeballs.interleave(resolved, 1));
        assertEquals(List.of(v6a, v6b, v4a, v6c, v4b), HappyEyeballs.interleave(resolved, 2));
        assertEquals(List.of(v4a, v6a, v4b, v6b), HappyEyeballs.interleave(List.of(v4a, v4b, v6a, v6b), 1));
        assertEquals(1, StreamOptions.builder().happyEyeballsDelay(0.25).build().interleave());
        assertEquals(0, StreamOptions.defaults().interleave());
        assertThrows(IllegalArgumentException.class, () -> StreamOptions.builder().happyEyeballsDelay(-1));
    }
}
