package dev.asyncio.http;

import dev.asyncio.http.websocket.WebSocket;
import dev.asyncio.http.websocket.WebSocketClient;
import dev.asyncio.http.websocket.WebSocketMessage;
import dev.asyncio.http.websocket.WebSocketOptions;
import dev.asyncio.http.websocket.WsTestServer;
import dev.asyncio.net.SslError;
import dev.asyncio.test.AsyncTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code wss://}: the WebSocket client over TLS, with the server's certificate checked (here, in this package, for its test certificates). */
class WebSocketTlsTest {
    @AsyncTest(realTime = true)
    void wssTalksOverTlsWithATrustedCertificate() {
        WebSocketOptions trusting = WebSocketOptions.builder()
                .sslContext(TestCertificates.trusting(TestCertificates.SELF_SIGNED)).build();
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            ws.send("secret " + ((WebSocketMessage.Text) ws.receive()).text());
            ws.receive();
        }, TestCertificates.server(TestCertificates.SELF_SIGNED));
             WebSocket ws = WebSocketClient.connect(server.url("/ws"), trusting)) {
            ws.send("hello");
            assertEquals(new WebSocketMessage.Text("secret hello"), ws.receive());
        }
    }

    @AsyncTest(realTime = true)
    void wssRefusesACertificateForAnotherName() {
        WebSocketOptions trusting = WebSocketOptions.builder()
                .sslContext(TestCertificates.trusting(TestCertificates.OTHER_NAME)).build();
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), WebSocket::receive,
                TestCertificates.server(TestCertificates.OTHER_NAME))) {
            SslError e = assertThrows(SslError.class, () -> WebSocketClient.connect(server.url("/ws"), trusting));
            assertEquals(true, e.getMessage().contains("TLS"), e.getMessage());
        }
    }
}
