package dev.asyncio.examples.echo;

import dev.asyncio.test.internal.Signals;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real SIGTERM path: a {@code kill} to an EchoServer JVM running on two loops, while a client is in the
 * middle of a conversation. The server stops listening (a new client is refused), keeps serving the client in
 * flight (its next request is answered after the signal), and once that client leaves the JVM exits with 143,
 * the status a shell reports for SIGTERM. No timing is asserted: each step waits for an event (a line of the
 * server's output, a reply, the exit), with a grace period far longer than the test.
 */
class EchoServerSigtermTest {
    /**
     * Whether connecting to {@code port} is refused within 30 s: the drain closes the listening socket on its
     * loop's thread just after printing "draining", so a connect in between may still get through (it is then
     * closed at once, and tried again).
     */
    private static boolean refusedSoon(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                probe.shutdownOutput();
            } catch (ConnectException refused) {
                return true;
            } catch (java.io.IOException other) {
                // reset while the server drains it: try again
            }
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void sigtermDrainsTheConnectionInFlightThenExitsWith143() throws Exception {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EchoServer.class.getName(), "--host", "127.0.0.1", "--port", "0", "--loops", "2", "--grace", "600");
        Process server = new ProcessBuilder(Signals.command(cmd, "TERM")).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            output.add(first);
            Matcher m = Pattern.compile(":(\\d+)]").matcher(String.valueOf(first));
            assertTrue(m.find(), "expected 'serving on [...:port]', got: " + first);
            int port = Integer.parseInt(m.group(1));
            try (Socket client = new Socket("127.0.0.1", port)) {
                OutputStream os = client.getOutputStream();
                InputStream is = client.getInputStream();
                os.write("first request\n".getBytes(StandardCharsets.UTF_8));
                os.flush();
                assertArrayEquals("first request\n".getBytes(StandardCharsets.UTF_8), is.readNBytes(14));

                Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(server.pid())).start();
                assertEquals(0, kill.waitFor());
                String draining = out.readLine();
                output.add(draining);
                assertEquals("draining", draining, "the server began to drain");
                assertTrue(refusedSoon(port), "the listening socket closed when the drain began");

                os.write("request in flight\n".getBytes(StandardCharsets.UTF_8));
                os.flush();
                assertArrayEquals("request in flight\n".getBytes(StandardCharsets.UTF_8), is.readNBytes(18),
                        "the connection in flight is still served after SIGTERM");
                assertTrue(server.isAlive(), "the server waits for the connection in flight");
                client.shutdownOutput();                 // the client is done: its handler sees EOF and returns
                assertEquals(-1, is.read());
            }
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop");
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
            }
        } finally {
            server.destroyForcibly();
        }
        assertEquals(143, server.exitValue(), String.join("\n", output));
        assertEquals(List.of("draining", "stopped", "Terminated by SIGTERM"), output.subList(1, output.size()),
                "no stack trace after the clean stop");
    }
}
