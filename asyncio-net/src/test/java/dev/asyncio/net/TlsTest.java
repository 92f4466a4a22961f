package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;

import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;

import static dev.asyncio.net.StreamsTest.b;
import static dev.asyncio.net.StreamsTest.echoLines;
import static dev.asyncio.net.StreamsTest.s;
import static dev.asyncio.net.StreamsTest.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS with SslHandler: ssl options on both sides, host name checks on by default, STARTTLS. */
class TlsTest {
    private static final ServerOptions TLS_SERVER =
            ServerOptions.builder().ssl(TestCertificates.server(TestCertificates.LOCALHOST)).build();

    private static StreamOptions tlsClient() {
        return StreamOptions.builder().ssl(TestCertificates.client()).build();
    }

    @AsyncTest
    void tlsEchoWithTheCertificateCheckedAgainstTheHostName() throws Exception {
        serving(StreamsTest::echoLines, TLS_SERVER, server -> {
            try (Connection c = Streams.openConnection("localhost", server.port(), tlsClient())) {
                c.writer().write(b("secret\n"));
                assertEquals("secret\n", s(c.reader().readLine()));
                Certificate[] chain = (Certificate[]) c.writer().getExtraInfo("peercert");
                assertEquals("CN=localhost", ((X509Certificate) chain[0]).getSubjectX500Principal().getName());
                assertInstanceOf(SSLEngine.class, c.writer().getExtraInfo("ssl_object"));
                assertNotNull(c.writer().getExtraInfo("sslcontext"));
                assertTrue(((String) c.writer().getExtraInfo("protocol")).startsWith("TLS"));
                assertFalse(c.writer().canWriteEof());
                assertThrows(UnsupportedOperationException.class, () -> c.writer().writeEof());
            }
        });
    }

    @AsyncTest
    void aCertificateFromAnUnknownAuthorityFailsTheHandshake() throws Exception {
        serving(StreamsTest::echoLines, TLS_SERVER, server -> {
            StreamOptions systemTrust = StreamOptions.builder().ssl(TestCertificates.clientTrustingSystemCAs()).build();
            SslError e = assertThrows(SslError.class,
                    () -> Streams.openConnection("localhost", server.port(), systemTrust));
            assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
        });
    }

    @AsyncTest
    void hostNameMismatchFailsUnlessCheckingIsTurnedOff() throws Exception {
        ServerOptions otherName = ServerOptions.builder().ssl(TestCertificates.server(TestCertificates.OTHER_NAME)).build();
        serving(StreamsTest::echoLines, otherName, server -> {
            SslError e = assertThrows(SslError.class,
                    () -> Streams.openConnection("localhost", server.port(), tlsClient()));
            assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
            StreamOptions asOther = StreamOptions.builder().ssl(TestCertificates.client()).serverHostname("other.example").build();
            try (Connection c = Streams.openConnection("127.0.0.1", server.port(), asOther)) {
                c.writer().write(b("by name\n"));
                assertEquals("by name\n", s(c.reader().readLine()));
            }
            StreamOptions contextDoesNotCheck = StreamOptions.builder().ssl(TestCertificates.clientNotCheckingNames()).build();
            assertThrows(SslError.class, () -> Streams.openConnection("localhost", server.port(), contextDoesNotCheck),
                    "the check is on by default even when the context does not ask for it");
            StreamOptions unchecked = StreamOptions.builder().ssl(TestCertificates.clientNotCheckingNames())
                    .checkHostname(false).build();
            try (Connection c = Streams.openConnection("localhost", server.port(), unchecked)) {
                c.writer().write(b("unchecked\n"));
                assertEquals("unchecked\n", s(c.reader().readLine()));
            }
        });
    }

    @AsyncTest
    void startTlsUpgradesAPlainConnectionOnBothSides() throws Exception {
        serving((r, w) -> {
            assertEquals("STARTTLS\n", s(r.readLine()));
            w.write(b("GO\n"));
            w.startTls(TestCertificates.server(TestCertificates.LOCALHOST));
            assertNotNull(w.getExtraInfo("ssl_object"));
            echoLines(r, w);
        }, server -> {
            try (Connection c = Streams.openConnection("localhost", server.port())) {
                c.writer().write(b("STARTTLS\n"));
                assertEquals("GO\n", s(c.reader().readLine()));
                assertEquals(null, c.writer().getExtraInfo("peercert"));
                c.writer().startTls(TestCertificates.client());
                assertNotNull(c.writer().getExtraInfo("peercert"));
                c.writer().write(b("now encrypted\n"));
                assertEquals("now encrypted\n", s(c.reader().readLine()));
                assertThrows(IllegalStateException.class, () -> c.writer().startTls(TestCertificates.client()));
            }
        });
    }

    @AsyncTest(realTime = true)
    void aPeerThatNeverAnswersTheHandshakeTimesOut() throws Exception {
        serving((r, w) -> r.read(-1), server -> {
            StreamOptions impatient = StreamOptions.builder().ssl(TestCertificates.client()).sslHandshakeTimeout(0.2).build();
            SslError e = assertThrows(SslError.class, () -> Streams.openConnection("localhost", server.port(), impatient));
            assertTrue(e.getMessage().toLowerCase().contains("timed out"), e.getMessage());
        });
    }

    @AsyncTest
    void cancellingDuringTheHandshakeLeavesNoConnection() throws Exception {
        Future<Integer> serverRead = new Future<>();
        serving((r, w) -> serverRead.setResult(r.read(-1).length), server -> {
            StreamOptions tls = tlsClient();
            Task<Connection> opening = Asyncio.createTask(() -> Streams.openConnection("localhost", server.port(), tls));
            for (int i = 0; i < 10; i++) {
                Asyncio.sleep(0.001);      // connected, ClientHello sent; the plain server never answers
            }
            assertFalse(opening.done());
            opening.cancel();
            assertThrows(CancelledError.class, opening::await);
            assertTrue(serverRead.await() > 0, "the server got the ClientHello, then EOF: the client closed");
        });
    }

    @AsyncTest
    void cancellingStartTlsAbortsTheConnection() throws Exception {
        Future<Integer> serverRead = new Future<>();
        serving((r, w) -> {
            r.readLine();
            w.write(b("GO\n"));
            serverRead.setResult(r.read(-1).length);      // never answers the ClientHello
        }, server -> {
            Connection c = Streams.openConnection("localhost", server.port());
            c.writer().write(b("STARTTLS\n"));
            assertEquals("GO\n", s(c.reader().readLine()));
            Task<Void> upgrading = Asyncio.createTask(() -> c.writer().startTls(TestCertificates.client()));
            for (int i = 0; i < 10; i++) {
                Asyncio.sleep(0.001);
            }
            assertFalse(upgrading.done());
            upgrading.cancel();
            assertThrows(CancelledError.class, upgrading::await);
            assertTrue(c.writer().isClosing(), "the stream is in an unknown state: the connection was aborted");
            assertTrue(serverRead.await() > 0, "the server got the ClientHello, then EOF");
        });
    }

    /** Pauses its reading on the first chunk; counts what it gets. */
    static final class Pauser implements Protocol {
        final Future<Void> firstChunk = new Future<>();
        Transport transport;
        int received;
        int chunks;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            received += data.length;
            chunks++;
            if (!firstChunk.done()) {
                transport.pauseReading();
                firstChunk.setResult(null);
            }
        }
    }

    @AsyncTest
    void pauseReadingOverTlsHoldsTheRestUntilResumeAndAbortReleasesIt() {
        // Over TLS the bytes pass through the SslHandler, which decodes what one socket read brought: after
        // pauseReading() nothing more reaches the protocol until resumeReading(), and aborting instead
        // leaves nothing unreleased.
        for (boolean resume : new boolean[] {true, false}) {
            List<Pauser> accepted = new ArrayList<>();
            try (Server server = Net.createServer(() -> {
                Pauser p = new Pauser();
                accepted.add(p);
                return p;
            }, "127.0.0.1", 0, TLS_SERVER)) {
                var c = Net.createConnection(ProtocolsTest.Recorder::new, "localhost", server.port(), tlsClient());
                c.transport().write(new byte[200_000]);
                while (accepted.isEmpty()) {
                    Asyncio.sleep(0.001);
                }
                Pauser p = accepted.get(0);
                p.firstChunk.await();
                for (int i = 0; i < 20; i++) {
                    Asyncio.sleep(0.001);
                }
                assertEquals(1, p.chunks, "nothing is delivered after pauseReading()");
                assertTrue(p.received < 200_000);
                if (resume) {
                    p.transport.resumeReading();
                    while (p.received < 200_000) {
                        Asyncio.sleep(0.001);
                    }
                    assertEquals(200_000, p.received, "resumed: every byte arrives, once");
                } else {
                    p.transport.abort();
                }
                c.transport().close();
                c.protocol().lost.await();
            }
        }
    }

    @AsyncTest
    void optionsRejectAContextForTheWrongSide() {
        assertThrows(IllegalArgumentException.class,
                () -> StreamOptions.builder().ssl(TestCertificates.server(TestCertificates.LOCALHOST)));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.builder().ssl(TestCertificates.client()));
    }

    @AsyncTest
    void startTlsTakesTheServerNameHostNameCheckAndTimeoutFromOptions() throws Exception {
        serving((r, w) -> {
            assertEquals("STARTTLS\n", s(r.readLine()));
            w.write(b("GO\n"));
            w.startTls(TestCertificates.server(TestCertificates.OTHER_NAME));
            echoLines(r, w);
        }, server -> {
            try (Connection c = Streams.openConnection("localhost", server.port())) {
                c.writer().write(b("STARTTLS\n"));
                assertEquals("GO\n", s(c.reader().readLine()));
                StreamOptions asOther = StreamOptions.builder().serverHostname("other.example").sslHandshakeTimeout(5).build();
                c.writer().startTls(TestCertificates.client(), asOther);   // checked against other.example: passes
                c.writer().write(b("upgraded by name\n"));
                assertEquals("upgraded by name\n", s(c.reader().readLine()));
            }
        });
        serving((r, w) -> {
            assertEquals("STARTTLS\n", s(r.readLine()));
            w.write(b("GO\n"));
            try {
                w.startTls(TestCertificates.server(TestCertificates.OTHER_NAME));
            } catch (SslError expected) {
                // the client refused our certificate
            }
        }, server -> {
            try (Connection c = Streams.openConnection("localhost", server.port())) {
                c.writer().write(b("STARTTLS\n"));
                assertEquals("GO\n", s(c.reader().readLine()));
                assertThrows(SslError.class, () -> c.writer().startTls(TestCertificates.client()),
                        "without options the peer's name (localhost) is checked, and other.example does not match");
            }
        });
    }
}
