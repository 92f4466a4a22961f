package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.AsyncRunnable;
import dev.asyncio.Asyncio;
import dev.asyncio.IoTransport;
import dev.asyncio.TimeoutError;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM with a low {@code ulimit -n} by {@link OutOfDescriptorsTest}: opens files until the
 * process is out of descriptors, then tries every way of opening a socket (TCP and Unix connects and
 * servers, UDP), prints one line per attempt, frees the files and tries again. Every attempt is bounded by a
 * 10 s timeout, so a hang prints "hung" instead of hanging.
 */
public final class OutOfDescriptorsProbe {
    private OutOfDescriptorsProbe() {
    }

    public static void main(String[] args) throws IOException {
        IoTransport transport = IoTransport.valueOf(args[0]);
        // Classes are read from target/classes here, a file each: load those a failure needs while files can be
        // opened (from a jar, as in production, they load without a new descriptor).
        dev.asyncio.net.channel.NetErrors.toNetError(new IOException("warm-up"), "warm-up");
        Path dir = Files.createTempDirectory("asyncio-emfile");
        try (AsyncLoop loop = AsyncLoop.builder().transport(transport).build()) {
            loop.runUntilComplete(() -> probe(dir));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void probe(Path dir) {
        Path unixServerPath = dir.resolve("server.sock");
        ConnectionHandler echo = (r, w) -> w.write(r.readLine());
        try (Server tcp = Streams.startServer(echo, "127.0.0.1", 0);
             Server unix = Streams.startUnixServer(echo, unixServerPath)) {
            // Load every class the attempts and their failures use while files can still be opened.
            attempts(tcp.port(), unixServerPath, dir.resolve("x.sock"), () -> { });
            int closedPort;
            try (Server gone = Streams.startServer(echo, "127.0.0.1", 0)) {
                closedPort = gone.port();
            }
            System.out.println("warm-up " + attempt("refused", () -> Streams.openConnection("127.0.0.1", closedPort)));
            List<RandomAccessFile> hoard = new ArrayList<>();
            List<String> starved = attempts(tcp.port(), unixServerPath, dir.resolve("a.sock"), () -> exhaust(hoard));
            hoard.forEach(OutOfDescriptorsProbe::close);
            for (String line : starved) {
                System.out.println("starved " + line);
            }
            for (String line : attempts(tcp.port(), unixServerPath, dir.resolve("b.sock"), () -> { })) {
                System.out.println("freed " + line);
            }
            System.out.println(acceptWhileOut("tcp", () -> roundTrip(Streams.openConnection("127.0.0.1", tcp.port()))));
            System.out.println(acceptWhileOut("unix", () -> roundTrip(Streams.openUnixConnection(unixServerPath))));
        }
    }

    /**
     * A client connects with the last free descriptor, so that the server's accept fails with EMFILE; then
     * the descriptors are freed: the server reports the failure, retries, and serves the client.
     */
    private static String acceptWhileOut(String kind, AsyncRunnable client) {
        AsyncLoop loop = Asyncio.getRunningLoop();
        List<String> reports = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reports.add(String.valueOf(context.get("message"))));   // quiet
        List<RandomAccessFile> hoard = new ArrayList<>();
        exhaust(hoard);
        close(hoard.removeLast());
        dev.asyncio.Task<Void> connecting = Asyncio.createTask(client);
        for (int i = 0; i < 1000 && reports.isEmpty() && !connecting.done(); i++) {
            Asyncio.sleep(0.01);
        }
        hoard.forEach(OutOfDescriptorsProbe::close);
        String outcome = attempt(kind + " accept", () -> connecting.await());
        loop.setExceptionHandler(null);
        // The failure is certain (the client took the last descriptor) but its report may fall in the rate
        // limit's 10 s after an earlier one: only the outcome is printed.
        return outcome;
    }

    private static void close(RandomAccessFile f) {
        try {
            f.close();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Opens files until none can be opened: the next socket fails with EMFILE. */
    private static void exhaust(List<RandomAccessFile> hoard) {
        try {
            while (true) {
                hoard.add(new RandomAccessFile("/dev/null", "r"));
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("Too many open files")) {
                throw new AssertionError(e);
            }
        }
    }

    /** Each way of opening a socket, {@code before} each one. */
    private static List<String> attempts(int port, Path unixServerPath, Path newUnixPath, Runnable before) {
        List<String> out = new ArrayList<>();
        before.run();
        out.add(attempt("tcp connect", () -> roundTrip(Streams.openConnection("127.0.0.1", port))));
        before.run();
        out.add(attempt("tcp listen", () -> Streams.startServer((r, w) -> { }, "127.0.0.1", 0).close()));
        before.run();
        out.add(attempt("udp", () -> Net.createDatagramEndpoint(() -> new DatagramProtocol() { },
                new InetSocketAddress("127.0.0.1", 0), null).transport().close()));
        before.run();
        out.add(attempt("unix connect", () -> roundTrip(Streams.openUnixConnection(unixServerPath))));
        before.run();
        out.add(attempt("unix listen", () -> Streams.startUnixServer((r, w) -> { }, newUnixPath).close()));
        return out;
    }

    private static void roundTrip(Connection c) {
        try (c) {
            c.writer().write("ping\n".getBytes(StandardCharsets.UTF_8));
            String back = new String(c.reader().readLine(), StandardCharsets.UTF_8);
            if (!back.equals("ping\n")) {
                throw new AssertionError("echoed " + back);
            }
        }
    }

    private static String attempt(String what, AsyncRunnable op) {
        try {
            Asyncio.timeout(10, op);
            return what + ": ok";
        } catch (TimeoutError e) {
            return what + ": hung";
        } catch (Throwable e) {
            if (System.getenv("PROBE_DEBUG") != null) {
                e.printStackTrace(System.out);      // to see where an unexpected failure came from
            }
            boolean emfile = false;
            for (Throwable c = e; c != null; c = c.getCause()) {
                emfile |= String.valueOf(c.getMessage()).contains("Too many open files");
            }
            return what + ": " + e.getClass().getSimpleName() + (emfile ? " (Too many open files)" : " " + e);
        }
    }
}
