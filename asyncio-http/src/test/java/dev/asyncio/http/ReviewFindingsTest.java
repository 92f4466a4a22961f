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

    @Disabled("review finding 10: a first address that does not answer uses up the whole connect limit; the next is never tried")
    @AsyncTest
    void finding10_aSecondAddressIsTriedWhenTheFirstDoesNotAnswer() throws Exception {
        serving((req, reply) -> reply.send("ok"), server -> {
            try (BlackHole hole = BlackHole.at("127.0.0.2", server.port());
                 HttpClient client = HttpClient.builder()
                         .timeout(ClientTimeout.DEFAULT.withConnect(2))
                         .resolver(host -> List.of(hole.address(), InetAddress.getLoopbackAddress()))
                         .build()) {
                assertEquals("ok", client.get("http://dual.example:" + server.port() + "/").text());
            }
        });
    }

    @Disabled("review finding 11: HttpClient.close() leaves a connection being made running until it connects or times out")
    @AsyncTest
    void finding11_closingTheClientEndsAConnectionStillBeingMade() throws Exception {
        try (BlackHole hole = BlackHole.at("127.0.0.2", 0)) {
            HttpClient client = HttpClient.create();
            Task<HttpResponse> t = Asyncio.createTask(() -> client.get("http://127.0.0.2:" + hole.port() + "/"));
            Asyncio.sleep(0.1);
            assertEquals(1, client.openConnections(), "connecting");
            client.close();
            List<Object> outcome = Asyncio.gather(true, Asyncio.createTask(() -> Asyncio.waitFor(t, 1)));
            assertTrue(outcome.getFirst() instanceof IllegalStateException, "the request ended with " + outcome.getFirst());
        }
    }

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

    /**
     * A listening socket on {@code host} whose accept queue is full, so that the kernel drops further SYNs: a
     * connection to it neither succeeds nor fails, as with a host that does not answer.
     */
    private record BlackHole(ServerSocket listener, List<Socket> filling) implements AutoCloseable {
        static BlackHole at(String host, int port) throws Exception {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(host, port), 1);
            List<Socket> filling = Asyncio.toThread(() -> {
                List<Socket> in = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(listener.getLocalSocketAddress(), 300);
                        in.add(s);
                    } catch (SocketTimeoutException full) {
                        s.close();
                        return in;
                    }
                }
                throw new IllegalStateException("the accept queue of " + listener + " never filled up");
            });
            return new BlackHole(listener, filling);
        }

        InetAddress address() {
            return listener.getInetAddress();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            for (Socket s : filling) {
                s.close();
            }
            listener.close();
        }
    }
}
