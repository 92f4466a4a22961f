package dev.asyncio.programs;

import dev.asyncio.test.internal.Signals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the test programs in a fresh JVM (this JVM's java and class path), with or without the flag. A
 * test that sends the child signals names them when starting it ({@link #startReceiving}): the child then gets
 * them with their default disposition even when this JVM inherited them ignored (see {@link Signals}).
 */
public final class ChildJvm implements AutoCloseable {
    public static final String FLAG = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";
    /**
     * JVM options every child gets first, to start quickly: only the first JIT tier and the serial collector.
     * A test program runs for a second or two, most of it class loading and warm-up, where the optimizing
     * compiler and the parallel collector's threads only cost CPU: {@code RunMainProgram 0 finish} takes 0.5 s of
     * CPU instead of 0.8 s. Nothing a program does depends on the compiler or the collector.
     */
    public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Process process;
    private final List<String> signals;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Standard error's lines, when it is not merged into the output ({@link #startProgram}). */
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread outReader;
    private final Thread errReader;

    private ChildJvm(Process process, List<String> signals) {
        this.process = process;
        this.signals = signals;
        outReader = Thread.ofPlatform().daemon().start(() -> readLines(process.getInputStream(), all, lines));
        errReader = Thread.ofPlatform().daemon().start(() -> readLines(process.getErrorStream(), errors, null));
    }

    private static void readLines(java.io.InputStream in, List<String> into, BlockingQueue<String> queue) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                into.add(line);
                if (queue != null) {
                    queue.add(line);
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    /**
     * Starts {@code main} (with the flag) to receive {@code signals}, as {@link #startReceiving}, but with its
     * standard error kept apart from the output ({@link #errors()}).
     */
    public static ChildJvm startProgram(List<String> signals, Class<?> main, String... args) throws IOException {
        List<String> command = Signals.command(javaCommand(main, true, args), signals.toArray(new String[0]));
        return new ChildJvm(new ProcessBuilder(command).start(), List.copyOf(signals));
    }

    /** Starts {@code main}; it cannot be sent signals (see {@link #startReceiving}). */
    public static ChildJvm start(Class<?> main, boolean withFlag, String... args) throws IOException {
        return startReceiving(List.of(), main, withFlag, args);
    }

    /**
     * Starts {@code main} so that each of {@code signals} (names such as {@code "INT"}) reaches it with its default
     * disposition, or aborts the test (skipped, reason printed) if that cannot be done here.
     */
    public static ChildJvm startReceiving(List<String> signals, Class<?> main, boolean withFlag, String... args)
            throws IOException {
        List<String> command = Signals.command(javaCommand(main, withFlag, args), signals.toArray(new String[0]));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start(), List.copyOf(signals));
    }

    /**
     * Starts {@code main} (with the flag) the way a POSIX shell starts a background job: SIGINT and SIGQUIT
     * ignored (through coreutils {@code env --ignore-signal}; the test is aborted where that is missing). The test
     * may send it {@code signals}; those other than SIGINT and SIGQUIT reach it with their default disposition.
     */
    public static ChildJvm startAsBackgroundJob(List<String> signals, Class<?> main, String... args)
            throws IOException, InterruptedException {
        Process probe = new ProcessBuilder("env", "--ignore-signal=INT", "true").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.waitFor() == 0,
                "coreutils env has no --ignore-signal here: cannot start a child as a background job would be");
        List<String> command = new ArrayList<>(List.of("env", "--ignore-signal=INT,QUIT"));
        String[] restored = signals.stream().filter(s -> !s.equals("INT") && !s.equals("QUIT")).toArray(String[]::new);
        command.addAll(Signals.command(javaCommand(main, true, args), restored));
        return new ChildJvm(new ProcessBuilder(command).start(), List.copyOf(signals));
    }

    /**
     * Starts {@code main} with exactly the JVM options given (besides the class path and {@link #QUICK_START}), on
     * no particular engine; it cannot be sent signals.
     */
    public static ChildJvm startWith(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        return new ChildJvm(new ProcessBuilder(javaCommand(main, jvmOptions, args)).redirectErrorStream(true).start(),
                List.of());
    }

    /**
     * The command that runs {@code main} with or without the JVM flag, on the engine this JVM was told to use
     * ({@code -Dasyncio.engine}, if set), so that a suite run per engine runs its child programs per engine.
     */
    private static List<String> javaCommand(Class<?> main, boolean withFlag, String... args) {
        List<String> options = new ArrayList<>();
        if (withFlag) {
            options.add(FLAG);
        }
        String engine = System.getProperty("asyncio.engine");
        if (engine != null) {
            options.add("-Dasyncio.engine=" + engine);
        }
        return javaCommand(main, options, args);
    }

    private static List<String> javaCommand(Class<?> main, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(QUICK_START);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** This JVM's java launcher. */
    static String java() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
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

    /** Sends signal {@code name} (one of those it was started to receive) to the child. */
    public void signal(String name) throws IOException, InterruptedException {
        if (!signals.contains(name)) {
            throw new IllegalArgumentException("the child was not started to receive SIG" + name + " (only " + signals
                    + "): start it with startReceiving, or an ignored signal may never arrive");
        }
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not exit within " + seconds + " s; output:\n" + output());
        }
        outReader.join(10_000); // the pipes close when the child exits: take the last lines
        errReader.join(10_000);
        return process.exitValue();
    }

    /** The lines the child wrote to standard error (only with {@link #startProgram}; merged into the output otherwise). */
    public List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
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
