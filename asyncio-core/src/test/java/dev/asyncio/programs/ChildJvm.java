package dev.asyncio.programs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Runs one of the test programs in a fresh JVM (this JVM's java and class path), with or without the flag. */
public final class ChildJvm implements AutoCloseable {
    public static final String FLAG = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());

    private ChildJvm(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    all.add(line);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
    }

    /**
     * Starts {@code main} with or without the JVM flag, on the engine this JVM was told to use
     * ({@code -Dasyncio.engine}, if set), so that a suite run per engine runs its child programs per engine.
     */
    public static ChildJvm start(Class<?> main, boolean withFlag, String... args) throws IOException {
        List<String> options = new ArrayList<>();
        if (withFlag) {
            options.add(FLAG);
        }
        String engine = System.getProperty("asyncio.engine");
        if (engine != null) {
            options.add("-Dasyncio.engine=" + engine);
        }
        return startWith(main, options, args);
    }

    /** Starts {@code main} with exactly the JVM options given (besides the class path). */
    public static ChildJvm startWith(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** Waits for a line containing {@code text}; fails with everything printed so far if it does not come. */
    public void awaitLine(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.contains(text)) {
                return;
            }
        }
        throw new AssertionError("no line containing '" + text + "' within " + seconds + " s; output:\n" + output());
    }

    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not exit within " + seconds + " s; output:\n" + output());
        }
        Thread.sleep(50); // let the reader thread take the last lines
        return process.exitValue();
    }

    public String output() {
        synchronized (all) {
            return String.join("\n", all);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
