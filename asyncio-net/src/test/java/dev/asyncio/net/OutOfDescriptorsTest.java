package dev.asyncio.net;

import dev.asyncio.IoTransport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opening a socket when the process is out of descriptors (EMFILE) fails with a {@link ConnectionError}
 * naming it, on the loop's thread, for TCP and Unix clients and servers and UDP, on every transport; and
 * works again once descriptors are free. A TCP or Unix server whose accept fails so reports it and serves
 * the waiting client once descriptors are free. Runs {@link OutOfDescriptorsProbe} in a child JVM under
 * {@code ulimit -n 200}.
 */
class OutOfDescriptorsTest {
    private static final List<String> OPS = List.of("tcp connect", "tcp listen", "udp", "unix connect", "unix listen");

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void openingASocketWithoutDescriptorsIsAConnectionErrorAndWorksOnceTheyAreFree(IoTransport kind) throws Exception {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        List<String> cmd = List.of("bash", "-c", "ulimit -n 200 && exec \"$@\"", "bash",
                ProcessHandle.current().info().command().orElseThrow(),
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), OutOfDescriptorsProbe.class.getName(), kind.name());
        Process probe = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output;
        try {
            output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "the probe did not end");
        } finally {
            probe.destroyForcibly();
        }
        assertEquals(0, probe.exitValue(), output);
        List<String> lines = output.lines()
                .filter(l -> l.startsWith("starved ") || l.startsWith("freed ") || l.contains(" accept: ")).toList();
        List<String> expected = new java.util.ArrayList<>();
        for (String op : OPS) {
            expected.add("starved " + op + ": ConnectionError (Too many open files)");
        }
        for (String op : OPS) {
            expected.add("freed " + op + ": ok");
        }
        expected.add("tcp accept: ok");
        expected.add("unix accept: ok");
        assertEquals(expected, lines, output);
    }
}
