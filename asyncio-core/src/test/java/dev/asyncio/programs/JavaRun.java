package dev.asyncio.programs;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a short program in a fresh JVM (this JVM's java, with {@link ChildJvm#QUICK_START}) with the given arguments,
 * and returns what it printed.
 */
public final class JavaRun {
    private JavaRun() {
    }

    /**
     * The child's output (stdout and stderr), without the JVM's own WARNING lines; fails if the child does not
     * end within a minute or exits with a status other than 0.
     */
    public static String output(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildJvm.java());
        cmd.addAll(ChildJvm.QUICK_START);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not end within 60 s: " + cmd + "\n" + out);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("the child JVM exited with " + p.exitValue() + ": " + cmd + "\n" + out);
        }
        return out.lines().filter(l -> !l.startsWith("WARNING")).collect(Collectors.joining("\n"));
    }

    /** This JVM's class path, entry by entry. */
    public static List<String> classPath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    }
}
