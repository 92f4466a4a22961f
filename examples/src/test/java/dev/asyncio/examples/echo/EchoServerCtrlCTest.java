package dev.asyncio.examples.echo;

import dev.asyncio.test.internal.Signals;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Ctrl-C path: SIGINT to an EchoServer JVM with an idle client connected drains (a grace of 0 s here:
 * the idle client is closed at once) and ends it cleanly with 130.
 */
class EchoServerCtrlCTest {
    @Test
    void ctrlCStopsTheServerClosesItsClientsAndExitsWith130() throws Exception {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EchoServer.class.getName(), "--host", "127.0.0.1", "--port", "0", "--grace", "0");
        // SIGINT restored in the child even when the build runs as a background job (which ignores it)
        Process server = new ProcessBuilder(Signals.command(cmd, "INT")).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            output.add(first);
            Matcher m = Pattern.compile(":(\\d+)]").matcher(String.valueOf(first));
            assertTrue(m.find(), "expected 'serving on [...:port]', got: " + first);
            try (Socket client = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
                OutputStream os = client.getOutputStream();
                os.write("ping\n".getBytes(StandardCharsets.UTF_8));
                os.flush();
                byte[] echoed = client.getInputStream().readNBytes(5);
                assertEquals("ping\n", new String(echoed, StandardCharsets.UTF_8));
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start();
                assertEquals(0, kill.waitFor());
                assertEquals(-1, client.getInputStream().read(), "the server closed the client's connection");
            }
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop");
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
            }
        } finally {
            server.destroyForcibly();
        }
        assertEquals(130, server.exitValue(), String.join("\n", output));
        assertEquals(List.of("draining", "stopped", "Interrupted by SIGINT (Ctrl-C)"), output.subList(1, output.size()),
                "no stack trace after the clean stop");
    }
}
