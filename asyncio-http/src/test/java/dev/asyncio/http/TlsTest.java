package dev.asyncio.http;

import dev.asyncio.net.SslError;
import dev.asyncio.test.AsyncTest;

import static dev.asyncio.http.TestServer.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** https: the certificate is checked against the trusted authorities and the host name, by default. */
class TlsTest {
    private static String https(TestServer server, String host, String path) {
        return "https://" + host + ":" + server.port() + path;
    }

    @AsyncTest
    void aSelfSignedCertificateIsRejectedByDefault() throws Exception {
        serving((req, reply) -> reply.send("secret"), TestCertificates.server(TestCertificates.SELF_SIGNED), server -> {
            try (HttpClient client = HttpClient.create()) {
                SslError e = assertThrows(SslError.class, () -> client.get(https(server, "localhost", "/")));
                assertTrue(e.getMessage().startsWith("TLS handshake with https://localhost:" + server.port() + " failed"),
                        e.getMessage());
                assertEquals(0, client.openConnections());
                assertEquals(0, server.log().size());
            }
        });
    }

    @AsyncTest
    void aSelfSignedCertificateIsAcceptedWhenTrustedAndConnectionsAreReused() throws Exception {
        serving((req, reply) -> reply.send("secret " + req.uri()), TestCertificates.server(TestCertificates.SELF_SIGNED), server -> {
            try (HttpClient client = HttpClient.builder().ssl(TestCertificates.trusting(TestCertificates.SELF_SIGNED)).build()) {
                for (String host : new String[] {"localhost", "127.0.0.1", "localhost"}) {
                    try (HttpResponse r = client.get(https(server, host, "/" + host))) {
                        assertEquals("secret /" + host, r.text());
                    }
                }
                assertEquals(2, server.accepted(), "one connection per origin: localhost and 127.0.0.1");
            }
        });
    }

    @AsyncTest
    void theHostNameIsCheckedEvenWhenTheContextDoesNotAskForIt() throws Exception {
        serving((req, reply) -> reply.send("wrong"), TestCertificates.server(TestCertificates.OTHER_NAME), server -> {
            try (HttpClient client = HttpClient.builder()
                    .ssl(TestCertificates.trustingWithoutNameCheck(TestCertificates.OTHER_NAME)).build()) {
                SslError e = assertThrows(SslError.class, () -> client.get(https(server, "localhost", "/")));
                assertTrue(e.getMessage().contains("TLS handshake"), e.getMessage());
                assertEquals(0, server.log().size());
            }
        });
    }

    @AsyncTest
    void aPlainHttpServerAnsweringAnHttpsRequestIsAnSslError() throws Exception {
        serving((req, reply) -> reply.send("plain"), server -> {
            try (HttpClient client = HttpClient.create()) {
                assertThrows(SslError.class, () -> client.get(https(server, "127.0.0.1", "/")));
                assertEquals(0, client.openConnections());
            }
        });
    }
}
