package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.IoTransport;
import dev.asyncio.LoopGroup;
import dev.asyncio.Task;
import dev.asyncio.test.LeakDetection;
import io.netty.channel.Channel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.asyncio.net.StreamsTest.b;
import static dev.asyncio.net.StreamsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Servers on a {@link LoopGroup}, on every transport the machine has (NIO always; epoll and io_uring where
 * available, skipped with the reason elsewhere): connections spread over the loops, each served by one loop
 * only, and stopping (cancellation, drain, closing the group) ends every connection on every loop and leaves
 * no thread, channel or buffer behind.
 */
class GroupServerTest {
    private static final int LOOPS = 3;
    /** Connections per loop in the spreading test. */
    private static final int PER_LOOP = 50;
    /**
     * The fewest connections any loop may get of {@code LOOPS * PER_LOOP}. NIO's acceptor deals them out in
     * turn, exactly {@value #PER_LOOP} each. With SO_REUSEPORT (epoll, io_uring) the kernel picks the socket
     * by a hash of each connection's addresses and ports, so a loop's count is binomial (n = 150, p = 1/3:
     * mean 50, standard deviation 5.8); 20 is more than five deviations below the mean, a false failure about
     * once in ten million runs.
     */
    private static final int FEWEST = 20;

    private static final AtomicInteger GROUPS = new AtomicInteger();

    /** Runs {@code body} on a loop of {@code kind} with a group of {@code kind}; checks leaks and threads after. */
    private static void withGroup(IoTransport kind, boolean virtualTime, GroupBody body) {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        LeakDetection.install();
        LeakDetection.collectLeaks();
        String name = "group-server-" + GROUPS.incrementAndGet();
        try (LoopGroup group = LoopGroup.builder().size(LOOPS).transport(kind).virtualTime(virtualTime).name(name)
                .shutdownTimeout(10).build();
             AsyncLoop home = AsyncLoop.builder().transport(kind).build()) {
            home.runUntilComplete(() -> body.run(group));
        }
        assertEquals(List.of(), threadsNamed(name + "-"), "no loop thread outlives the group");
        assertEquals(List.of(), LeakDetection.collectLeaks());
    }

    interface GroupBody {
        void run(LoopGroup group) throws Exception;
    }

    static List<String> threadsNamed(String prefix) {
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.isAlive()) {
                out.add(t.getName());
            }
        }
        return out;
    }

    /**
     * A handler that answers each line with the index of the loop it runs on, and checks at every step that
     * it runs on the loop that owns its channel and on no other.
     */
    private static ConnectionHandler reportingLoop(LoopGroup group, Set<String> wrongLoop) {
        return (reader, writer) -> {
            AsyncLoop mine = Asyncio.getRunningLoop();
            Channel ch = (Channel) writer.getExtraInfo("channel");
            for (byte[] line : reader) {
                if (Asyncio.getRunningLoop() != mine || ch.eventLoop() != mine.ioEventLoop()) {
                    wrongLoop.add(s(line));
                }
                writer.write(b(group.loops().indexOf(mine) + "\n"));
                writer.drain();
            }
        };
    }

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void connectionsSpreadOverEveryLoopAndEachStaysOnItsLoop(IoTransport kind) {
        withGroup(kind, false, group -> {
            Set<String> wrongLoop = ConcurrentHashMap.newKeySet();
            try (Server server = Streams.startServer(group, reportingLoop(group, wrongLoop), "127.0.0.1", 0)) {
                assertEquals(kind == IoTransport.NIO ? 1 : LOOPS, server.sockets().size(),
                        "one acceptor on NIO, one SO_REUSEPORT socket per loop otherwise");
                int[] perLoop = new int[LOOPS];
                List<Task<Void>> clients = new ArrayList<>();
                for (int i = 0; i < LOOPS * PER_LOOP; i++) {
                    clients.add(Asyncio.createTask(() -> {
                        try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                            c.writer().write(b("first\n"));
                            int loop = Integer.parseInt(s(c.reader().readLine()).strip());
                            c.writer().write(b("second\n"));
                            assertEquals(loop, Integer.parseInt(s(c.reader().readLine()).strip()));
                            perLoop[loop]++;
                        }
                    }));
                }
                Asyncio.gather(clients);
                assertEquals(Set.of(), wrongLoop, "steps of a connection ran on another loop");
                int total = 0;
                for (int n : perLoop) {
                    total += n;
                    assertTrue(n >= FEWEST, kind + ": a loop got " + n + " of " + LOOPS * PER_LOOP + " connections: "
                            + java.util.Arrays.toString(perLoop));
                    if (kind == IoTransport.NIO) {
                        assertEquals(PER_LOOP, n, "round robin: " + java.util.Arrays.toString(perLoop));
                    }
                }
                assertEquals(LOOPS * PER_LOOP, total);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void protocolCallbacksOfAConnectionAllRunOnItsLoop(IoTransport kind) {
        withGroup(kind, false, group -> {
            Set<String> wrongLoop = ConcurrentHashMap.newKeySet();
            Set<AsyncLoop> used = ConcurrentHashMap.newKeySet();
            class LoopCheckingEcho implements Protocol {
                private Transport transport;
                private AsyncLoop mine;

                @Override
                public void connectionMade(Transport t) {
                    transport = t;
                    mine = Asyncio.getRunningLoop();
                    used.add(mine);
                }

                @Override
                public void dataReceived(byte[] data) {
                    if (Asyncio.getRunningLoop() != mine) {
                        wrongLoop.add(s(data));
                    }
                    transport.write(data);
                }
            }
            try (Server server = Net.createServer(group, LoopCheckingEcho::new, "127.0.0.1", 0)) {
                List<Task<Void>> clients = new ArrayList<>();
                for (int i = 0; i < LOOPS * 10; i++) {
                    clients.add(Asyncio.createTask(() -> {
                        try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                            c.writer().write(b("ping\n"));
                            assertEquals("ping\n", s(c.reader().readLine()));
                        }
                    }));
                }
                Asyncio.gather(clients);
            }
            assertEquals(Set.of(), wrongLoop);
            assertTrue(used.size() > 1, "connections reached more than one loop: " + used.size());
        });
    }

    /** Opens {@code n} connections that each got an answer, so that each is held by a handler on some loop. */
    private static List<Connection> openHeld(Server server, int n) {
        List<Connection> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().write(b("hello\n"));
            c.reader().readLine();
            out.add(c);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void cancellingServeForeverEndsTheConnectionsOnEveryLoop(IoTransport kind) {
        withGroup(kind, false, group -> {
            Set<AsyncLoop> cancelledOn = ConcurrentHashMap.newKeySet();
            AtomicInteger cancelled = new AtomicInteger();
            Server server = Streams.startServer(group, (reader, writer) -> {
                try {
                    writer.write(b("ready\n"));
                    reader.readLine();
                    reader.readLine();              // the client never sends a second line
                } catch (CancelledError e) {
                    cancelled.incrementAndGet();
                    cancelledOn.add(Asyncio.getRunningLoop());
                    throw e;
                }
            }, "127.0.0.1", 0);
            List<Connection> clients = openHeld(server, LOOPS * 6);
            int port = server.port();
            Task<Void> serving = Asyncio.createTask(server::serveForever);
            Asyncio.sleep(0);
            serving.cancel();
            assertThrows(CancelledError.class, () -> serving.await());
            assertEquals(LOOPS * 6, cancelled.get());
            assertEquals(LOOPS, cancelledOn.size(), "every loop had connections");
            for (Connection c : clients) {
                assertEquals(0, c.reader().read(-1).length, "the server closed the connection");
                c.close();
            }
            assertEquals(List.of(), server.sockets());
            assertThrows(ConnectionRefusedError.class, () -> Streams.openConnection("127.0.0.1", port));
        });
    }

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void closingTheGroupEndsItsConnectionsAndTasksWhileTheServerIsOpen(IoTransport kind) {
        // Regression: on io_uring a socket whose close was still in flight in the ring when its loop closed (a
        // task closed it just before) was never closed: the peer waited for EOF forever. The EOF wait is bounded so
        // that a regression fails here instead of hanging the suite.
        withGroup(kind, false, group -> {
            AtomicInteger cleanedUp = new AtomicInteger();
            Server server = Streams.startServer(group, (reader, writer) -> {
                try {
                    writer.write(b("ready\n"));
                    reader.readLine();
                    reader.readLine();
                } finally {
                    cleanedUp.incrementAndGet();
                }
            }, "127.0.0.1", 0);
            List<Connection> clients = openHeld(server, LOOPS * 2);
            group.close();                         // blocks this loop until every loop is closed
            assertEquals(LOOPS * 2, cleanedUp.get());
            for (Connection c : clients) {
                assertEquals(0, Asyncio.waitFor(() -> c.reader().read(-1), 10).length, "the server closed it");
                c.close();
            }
            server.close();                        // nothing left to close: no error
            server.waitClosed();
            assertThrows(IllegalStateException.class, () -> Streams.startServer(group, (r, w) -> { }, "127.0.0.1", 0));
        });
    }

    /**
     * Drain on a group: a handler in flight when shutdown starts finishes and its reply arrives; a stuck one is
     * cancelled when the grace period ends; connections on every loop. The group's loops run on virtual time:
     * the stuck handlers step every millisecond of it, so the grace period passes in a few thousand steps.
     */
    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void shutdownLetsHandlersInFlightFinishAndCancelsStuckOnesAfterTheGrace(IoTransport kind) {
        withGroup(kind, true, group -> {
            AtomicReference<Server> self = new AtomicReference<>();
            List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
            Set<AsyncLoop> loopsInFlight = ConcurrentHashMap.newKeySet();
            Server server = Streams.startServer(group, (reader, writer) -> {
                String request = s(reader.readLine()).strip();
                writer.write(b("working\n"));
                try {
                    if (request.equals("stuck")) {
                        while (true) {
                            Asyncio.sleep(0.001);   // never done; the loop's clock moves a millisecond a step
                        }
                    } else {
                        loopsInFlight.add(Asyncio.getRunningLoop());
                        while (self.get().isServing()) {
                            Asyncio.sleep(0.001);   // in flight until the shutdown has begun
                        }
                        Asyncio.sleep(1);           // then one more second of work: within the grace of two
                        writer.write(b("done " + request + "\n"));
                    }
                    outcomes.add("finished " + request);
                } catch (CancelledError e) {
                    outcomes.add("cancelled " + request);
                    throw e;
                }
            }, "127.0.0.1", 0);
            self.set(server);
            List<Connection> clients = new ArrayList<>();
            List<String> requests = new ArrayList<>();
            for (int i = 0; i < LOOPS * 4; i++) {
                String request = i % 4 == 3 ? "stuck" : "r" + i;
                Connection c = Streams.openConnection("127.0.0.1", server.port());
                c.writer().write(b(request + "\n"));
                assertEquals("working\n", s(c.reader().readLine()));
                clients.add(c);
                requests.add(request);
            }
            server.shutdown(2);
            for (int i = 0; i < clients.size(); i++) {
                Connection c = clients.get(i);
                String expected = requests.get(i).equals("stuck") ? "" : "done " + requests.get(i) + "\n";
                assertEquals(expected, s(c.reader().read(-1)), "reply of " + requests.get(i));
                c.close();
            }
            List<String> expected = new ArrayList<>();
            for (String r : requests) {
                expected.add((r.equals("stuck") ? "cancelled " : "finished ") + r);
            }
            List<String> got = new ArrayList<>(outcomes);
            Collections.sort(got);
            Collections.sort(expected);
            assertEquals(expected, got);
            assertTrue(loopsInFlight.size() > 1, "handlers were in flight on several loops: " + loopsInFlight.size());
            assertTrue(!server.isServing() && server.sockets().isEmpty());
        });
    }

}
