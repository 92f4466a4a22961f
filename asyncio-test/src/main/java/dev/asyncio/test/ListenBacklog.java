package dev.asyncio.test;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The listen backlog the kernel uses for a listening TCP socket, as {@code ss} reports it (the Send-Q of a
 * listening socket is its backlog, already cut to {@code net.core.somaxconn}). The test is skipped, with the
 * reason, where {@code ss} (iproute2) is missing.
 */
public final class ListenBacklog {
    private ListenBacklog() {
    }

    /**
     * The backlog of the socket listening on {@code port} (on any local address).
     *
     * @throws AssertionError if nothing listens there or {@code ss} fails
     */
    public static int of(int port) {
        Process ss;
        try {
            ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + port).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("ss (iproute2) is needed to read a listen backlog: " + e.getMessage());
            throw new AssertionError(e);
        }
        try {
            ss.getOutputStream().close();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ss.waitFor(30, TimeUnit.SECONDS) || ss.exitValue() != 0) {
                throw new AssertionError("ss failed: " + out);
            }
            for (String line : out.lines().toList()) {
                String[] f = line.trim().split("\\s+");     // State Recv-Q Send-Q Local Peer
                if (f.length >= 4 && f[0].equals("LISTEN") && f[3].endsWith(":" + port)) {
                    return Integer.parseInt(f[2]);
                }
            }
            throw new AssertionError("nothing listens on port " + port + " according to ss: " + out);
        } catch (IOException e) {
            throw new AssertionError("cannot run ss", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running ss", e);
        } finally {
            ss.destroyForcibly();
        }
    }
}
