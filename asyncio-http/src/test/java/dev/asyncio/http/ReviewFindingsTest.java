package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Disabled;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import static dev.asyncio.http.RawServer.ascii;
import static dev.asyncio.http.RawServer.readHead;
import static dev.asyncio.http.TestServer.serving;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 2 of asyncio-http: each test shows one finding of the review and fails today; each is disabled so
 * that the build stays green. Remove the {@code @Disabled} with the fix. The numbers are the review's.
 */
class ReviewFindingsTest {

    // ---------------------------------------------------------------- bugs

    @Disabled("review finding 12: a response nobody closes holds its pool slot forever, without a warning")
    @AsyncTest
    void finding12_aForgottenResponseDoesNotHoldItsConnectionForever() throws Exception {
        serving((req, reply) -> reply.send("body"), server -> {
            try (HttpClient client = HttpClient.builder().maxConnections(1).build()) {
                assertEquals(200, client.get(server.url("/forgotten")).status());    // body never read, never closed
                System.gc();
                Task<String> next = Asyncio.createTask(() -> client.get(server.url("/next")).text());
                assertEquals("body", Asyncio.waitFor(next, 60));
            }
        });
    }
}
