package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.AsyncRunnable;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Event;
import dev.asyncio.Task;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.asyncio.net.StreamsTest.b;
import static dev.asyncio.net.StreamsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Server#shutdown(double)} on one loop, on virtual time (so the times asserted are exact): it stops
 * listening at once, waits for the connections in flight for at most the grace period, then ends the rest.
 */
class ServerShutdownTest {
    private static void virtually(AsyncRunnable body) {
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            loop.runUntilComplete(body);
        }
    }

    /** A handler that reads one request, works {@code seconds} on it, answers and returns; logs what happened. */
    private static ConnectionHandler working(double seconds, Event gotRequest, List<String> log) {
        return (reader, writer) -> {
            String request = s(reader.readLine()).strip();
            gotRequest.set();
            try {
                Asyncio.sleep(seconds);
                writer.write(b("done " + request + "\n"));
                log.add("finished " + request);
            } catch (CancelledError e) {
                log.add("cancelled " + request);
                throw e;
            }
        };
    }

    @Test
    void aHandlerInFlightFinishesWithinTheGraceAndShutdownReturnsAsSoonAsItHas() {
        virtually(() -> {
            Event got = new Event();
            List<String> log = new ArrayList<>();
            Server server = Streams.startServer(working(1, got, log), "127.0.0.1", 0);
            int port = server.port();
            Connection c = Streams.openConnection("127.0.0.1", port);
            c.writer().write(b("a\n"));
            got.await();
            double start = Asyncio.getRunningLoop().time();
            server.shutdown(5);
            assertEquals(1.0, Asyncio.getRunningLoop().time() - start, 1e-9, "returned when the handler was done");
            assertEquals(List.of("finished a"), log);
            assertEquals("done a\n", s(c.reader().read(-1)), "the reply arrived, then the connection closed");
            c.close();
            assertFalse(server.isServing());
            assertThrows(ConnectionRefusedError.class, () -> Streams.openConnection("127.0.0.1", port));
        });
    }

    @Test
    void aStuckHandlerIsCancelledWhenTheGraceIsOverAndItsConnectionClosed() {
        virtually(() -> {
            Event got = new Event();
            List<String> log = new ArrayList<>();
            Server server = Streams.startServer(working(3600, got, log), "127.0.0.1", 0);
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().write(b("slow\n"));
            got.await();
            double start = Asyncio.getRunningLoop().time();
            server.shutdown(5);
            assertEquals(5.0, Asyncio.getRunningLoop().time() - start, 1e-9, "waited the whole grace, no longer");
            assertEquals(List.of("cancelled slow"), log);
            assertEquals("", s(c.reader().read(-1)));
            c.close();
        });
    }

    @Test
    void withNothingInFlightShutdownReturnsAtOnce() {
        virtually(() -> {
            Server server = Streams.startServer((r, w) -> { }, "127.0.0.1", 0);
            server.shutdown(30);
            assertEquals(0.0, Asyncio.getRunningLoop().time());
            server.shutdown(30);        // again: nothing to do
            assertThrows(IllegalArgumentException.class, () -> server.shutdown(-1));
            assertThrows(IllegalArgumentException.class, () -> server.shutdown(Double.NaN));
        });
    }

    @Test
    void cancellingShutdownEndsTheGraceAtOnceAndTheConnectionsWithIt() {
        virtually(() -> {
            Event got = new Event();
            List<String> log = new ArrayList<>();
            Server server = Streams.startServer(working(3600, got, log), "127.0.0.1", 0);
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().write(b("x\n"));
            got.await();
            Task<Void> stopping = Asyncio.createTask(() -> server.shutdown(60));
            Asyncio.sleep(1);
            stopping.cancel();
            assertThrows(CancelledError.class, () -> stopping.await());
            assertEquals(1.0, Asyncio.getRunningLoop().time(), 1e-9);
            assertEquals(List.of("cancelled x"), log);
            assertEquals("", s(c.reader().read(-1)));
            c.close();
        });
    }

    @Test
    void aProtocolServerWaitsForItsConnectionsToCloseThenClosesTheRestAfterTheGrace() {
        virtually(() -> {
            Server server = Net.createServer(ProtocolsTest.Echo::new, "127.0.0.1", 0);
            Connection leaving = Streams.openConnection("127.0.0.1", server.port());
            Connection staying = Streams.openConnection("127.0.0.1", server.port());
            for (Connection c : List.of(leaving, staying)) {
                c.writer().write(b("hi\n"));
                assertEquals("hi\n", s(c.reader().readLine()));
            }
            Task<Void> stopping = Asyncio.createTask(() -> server.shutdown(10));
            Asyncio.sleep(2);
            leaving.close();                 // in flight until the client is done with it
            assertFalse(stopping.done());
            stopping.await();
            assertEquals(10.0, Asyncio.getRunningLoop().time(), 1e-9, "the staying connection was closed at the grace");
            assertEquals("", s(staying.reader().read(-1)));
            staying.close();
        });
    }

    @Test
    void drainingWhenAWaitIsCancelledAsTheExamplesDoOnSigterm() {
        virtually(() -> {
            Event got = new Event();
            List<String> log = new ArrayList<>();
            Server server = Streams.startServer(working(2, got, log), "127.0.0.1", 0);
            Task<Void> main = Asyncio.createTask(() -> {
                try {
                    server.waitClosed();
                } catch (CancelledError e) {
                    server.shutdown(5);
                    throw e;
                }
            });
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().write(b("y\n"));
            got.await();
            main.cancel();
            assertThrows(CancelledError.class, () -> main.await());
            assertEquals(2.0, Asyncio.getRunningLoop().time(), 1e-9, "the handler in flight was waited for");
            assertEquals(List.of("finished y"), log);
            assertEquals("done y\n", s(c.reader().read(-1)));
            c.close();
        });
    }
}
