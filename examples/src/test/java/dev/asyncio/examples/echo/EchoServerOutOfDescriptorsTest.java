package dev.asyncio.examples.echo;

import dev.asyncio.IoTransport;
import dev.asyncio.test.ListenBacklog;
import io.netty.util.NetUtil;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An EchoServer JVM with 300 open files at most and 600 clients connecting: it runs out of descriptors,
 * pauses accepting, reports it, keeps serving the connections it has, and accepts the waiting clients once
 * the first ones leave; on every transport, with java.util.logging as it is and with a logging that throws
 * on every record. No timing is asserted: each phase waits for an event, bounded by one overall deadline.
 */
class EchoServerOutOfDescriptorsTest {
    private static final int OPEN_FILES = 300;
    private static final int CLIENTS = 600;
    private static final int BACKLOG = 1024;
    private static final long DEADLINE_SECONDS = 150;

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (IoTransport t : IoTransport.values()) {
            out.add(Arguments.of(t, false));
            out.add(Arguments.of(t, true));
        }
        return out.stream();
    }

    /** A client: its socket, what it sent and what came back. */
    private static final class Client {
        final int id;
        final SocketChannel channel;
        final StringBuilder sent = new StringBuilder();
        final StringBuilder received = new StringBuilder();
        boolean closed;

        Client(int id, SocketChannel channel) {
            this.id = id;
            this.channel = channel;
        }

        void send(String line) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            channel.write(b);
            assertFalse(b.hasRemaining(), "a few bytes fit in a new socket's send buffer");
            sent.append(line);
        }

        boolean echoed() {
            return received.length() > 0 && received.toString().equals(sent.toString());
        }

        void close() throws IOException {
            closed = true;
            channel.close();
        }
    }

    private Process child;
    private Path err;
    private long deadline;

    @ParameterizedTest(name = "{0}, logging throws: {1}")
    @MethodSource("cases")
    void theServerSurvivesRunningOutOfDescriptorsAndServesEveryoneOnceTheyFreeUp(IoTransport transport,
                                                                                 boolean brokenLogging) throws Exception {
        assumeTrue(transport.isAvailable(), () -> transport + " unavailable: " + transport.unavailabilityCause());
        assumeTrue(NetUtil.SOMAXCONN >= CLIENTS, "the system's maximum backlog " + NetUtil.SOMAXCONN + " < " + CLIENTS);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        int port = startServer(transport, brokenLogging);
        List<Client> clients = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            assertEquals(Math.min(BACKLOG, NetUtil.SOMAXCONN), ListenBacklog.of(port), "--backlog reached listen()");
            for (int i = 0; i < CLIENTS; i++) {
                SocketChannel c = SocketChannel.open();
                clients.add(new Client(i, c));
                c.socket().connect(new InetSocketAddress("127.0.0.1", port), 30_000);  // queued by the kernel
                c.configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ, clients.get(i));
                clients.get(i).send("hello " + i + "\n");
            }

            // 1. The server runs out of descriptors (it reports it) while it serves the clients it accepted.
            pumpUntil(selector, clients, "the accept failure report and a first echo",
                    // the whole report, not its first line: another loop's thread may be echoing while it is written
                    () -> stderr().contains("socket.accept() failed") && stderr().contains("Too many open files")
                            && clients.stream().anyMatch(Client::echoed));
            List<Client> served = clients.stream().filter(Client::echoed).toList();
            assertTrue(served.size() < CLIENTS, "some clients wait in the accept queue");
            String report = stderr();
            assertTrue(report.contains("Too many open files"), report);
            if (!brokenLogging) {
                assertFalse(report.contains("Exception in default exception handler"), "the report was logged: " + report);
            }

            // 2. The connections it has keep being served.
            for (Client c : served) {
                c.send("again " + c.id + "\n");
            }
            pumpUntil(selector, clients, "second echoes on the " + served.size() + " connections served",
                    () -> served.stream().allMatch(Client::echoed));

            // 3. They leave: the server accepts the clients that waited, each one leaving once served.
            for (Client c : served) {
                c.close();
            }
            pumpUntil(selector, clients, "every client served", () -> {
                for (Client c : clients) {
                    if (!c.closed && c.echoed()) {
                        try {
                            c.close();
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                }
                return clients.stream().allMatch(c -> c.closed);
            });

            // 4. And a new client after the flood.
            try (SocketChannel late = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                late.write(ByteBuffer.wrap("late\n".getBytes(StandardCharsets.UTF_8)));
                ByteBuffer echo = ByteBuffer.allocate(5);
                while (echo.hasRemaining() && late.read(echo) >= 0) {
                    // blocking reads until the 5 bytes are back
                }
                assertEquals("late\n", new String(echo.array(), 0, echo.position(), StandardCharsets.UTF_8));
            }
            assertTrue(child.isAlive(), "the server is still running: " + stderr());
        } finally {
            for (Client c : clients) {
                c.channel.close();
            }
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** Starts EchoServer in a JVM limited to {@link #OPEN_FILES} descriptors; returns its port. */
    private int startServer(IoTransport transport, boolean brokenLogging) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -n " + OPEN_FILES + " && exec \"$@\"", "bash",
                ProcessHandle.current().info().command().orElseThrow(),
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of((brokenLogging ? BrokenLogHandler.class : EchoServer.class).getName(), "--host", "127.0.0.1", "--port", "0",
                "--backlog", Integer.toString(BACKLOG), "--transport", transport.name().toLowerCase()));
        Path out = dir.resolve("out.txt");
        err = dir.resolve("err.txt");
        child = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        while (true) {
            String first = Files.readString(out).lines().findFirst().orElse(null);
            if (first != null) {
                Matcher m = Pattern.compile(":(\\d+)]").matcher(first);
                assertTrue(m.find(), "expected 'serving on [...:port]', got: " + first);
                return Integer.parseInt(m.group(1));
            }
            checkRunning("the server's start");
            Thread.sleep(20);
        }
    }

    private String stderr() {
        try {
            return Files.readString(err);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void checkRunning(String waitingFor) {
        if (!child.isAlive()) {
            fail("the server exited with " + child.exitValue() + " while waiting for " + waitingFor + ":\n" + stderr());
        }
        if (System.nanoTime() - deadline > 0) {
            fail("no " + waitingFor + " within " + DEADLINE_SECONDS + " s:\n" + stderr());
        }
    }

    /** Reads what comes back to the clients until {@code done}; fails if the server dies or closes a client. */
    private void pumpUntil(Selector selector, List<Client> clients, String waitingFor, BooleanSupplier done)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (!done.getAsBoolean()) {
            checkRunning(waitingFor + " (" + clients.stream().filter(Client::echoed).count() + " clients echoed)");
            selector.select(200);
            for (SelectionKey key : selector.selectedKeys()) {
                Client c = (Client) key.attachment();
                buf.clear();
                int n;
                try {
                    n = c.channel.read(buf);
                } catch (IOException e) {
                    throw new AssertionError("client " + c.id + ": " + e + "\n" + stderr(), e);
                }
                if (n < 0) {
                    fail("the server closed client " + c.id + " after sending '" + c.received + "'\n" + stderr());
                }
                c.received.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
            }
            selector.selectedKeys().clear();
        }
    }
}
