package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.internal.LoopCloseHooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A child process with its pipes as streams; mirrors {@code asyncio.subprocess.Process}, made by
 * {@link #exec} ({@code create_subprocess_exec}) and {@link #shell} ({@code create_subprocess_shell}).
 *
 * <pre>{@code
 * try (Subprocess p = Subprocess.exec(List.of("sort"), SubprocessOptions.pipes())) {
 *     Subprocess.Output out = p.communicate("b\na\n".getBytes());   // suspends; writes, reads both, waits
 *     System.out.print(new String(out.stdout()));                   // "a\nb\n"
 * }
 * }</pre>
 *
 * <p>Each {@link Stdio#PIPE} is a stream: {@link #stdin()} a {@link StreamWriter}, {@link #stdout()} and
 * {@link #stderr()} {@link StreamReader}s with the limit of the options. The loop never blocks on a pipe:
 * each is served by a virtual thread of its own (see {@code PipeTransport} for why not the selector), which
 * stops reading while its reader is over its limit, so a child writing faster than the application reads
 * blocks in its own writes. As in asyncio, a child writing to a pipe nobody reads fills it and blocks:
 * read the pipes you ask for, or use {@link #communicate}, which reads stdout and stderr while it writes
 * stdin and so cannot deadlock.
 *
 * <p>Exit codes: {@link #returnCode()} is {@code null} while the child runs, then its exit status. For a child
 * killed by signal N, the JDK reports {@code 128 + N} (137 for SIGKILL, 143 for SIGTERM: what a shell's
 * {@code $?} shows), not asyncio's {@code -N}: {@code Process.exitValue()} folds the two cases together and
 * offers no way to tell {@code exit 143} from SIGTERM, so this class passes the JDK's value on as it is.
 *
 * <p>Cancellation, as in asyncio: cancelling a task in {@link #waitFor()} or a read of {@link #stdout()}
 * leaves the child running and its pipes open (read on, wait again, or kill it). Cancelling
 * {@link #communicate} leaves the child running too; the input it had queued may still be written, and the
 * output it had read so far is lost. Cancelling the task that is in {@link #exec} or {@link #shell} kills
 * the child if it got started, and releases its pipes: no process is left behind for a handle nobody got.
 * {@link #close()} (try-with-resources) kills a child that still runs and closes the pipes, as asyncio's
 * transport {@code close()} does; {@link #waitClosed()} then waits until the child is reaped and every pipe
 * is closed. A {@code Subprocess} still open when its loop closes (a task cancelled while it waited, a runner
 * shutting down) is closed by {@link AsyncLoop#close()}: the child is killed and reaped before {@code close()}
 * returns (it waits up to 5 seconds for the JDK to reap it), and its pipe threads end as the pipes close. asyncio
 * leaves that to the transport's finalizer; here no child outlives its loop.
 *
 * <p>Use it from the loop it was made on (as every stream); {@link #pid()}, {@link #terminate()} and
 * {@link #kill()} also work from any thread.
 */
public final class Subprocess implements AutoCloseable {
    /** What {@link #communicate} read: all of stdout and all of stderr, each empty when it was not a pipe. */
    public record Output(byte[] stdout, byte[] stderr) {
        /** stdout decoded as UTF-8. */
        public String stdoutText() {
            return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** stderr decoded as UTF-8. */
        public String stderrText() {
            return new String(stderr, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Called on the thread that started a child, before it is handed to the loop (tests stall it there). */
    static volatile Consumer<Process> afterStartForTests;

    private static final byte[] EMPTY = new byte[0];

    private final AsyncLoop loop;
    private final Process process;
    private final String program;
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final StreamReader stderr;
    private final List<PipeTransport> pipes = new ArrayList<>();
    private final Future<Integer> exited;
    private Integer returnCode;
    private boolean closed;
    /** Takes this child off the loop's close hooks (see {@link #closeWithLoop}). */
    private final Runnable unhook;

    private Subprocess(AsyncLoop loop, Process process, String program, SubprocessOptions options) {
        this.loop = loop;
        this.process = process;
        this.program = program;
        long pid = process.pid();
        if (options.stdin().kind() == Stdio.Kind.PIPE) {
            PipeWriteTransport t = new PipeWriteTransport(loop, program + "[" + pid + "] stdin", process.getOutputStream());
            pipes.add(t);
            stdin = t.writer();
        } else {
            stdin = null;
        }
        stdout = options.stdout().kind() == Stdio.Kind.PIPE
                ? readPipe(options, "stdout", process.getInputStream()) : null;
        stderr = options.stderr().kind() == Stdio.Kind.PIPE
                ? readPipe(options, "stderr", process.getErrorStream()) : null;
        exited = loop.createFuture();
        loop.markExternal(exited);
        process.onExit().whenComplete((p, error) -> {
            try {
                loop.callSoonThreadsafe(this::onExit);
            } catch (IllegalStateException loopClosed) {
                // Nobody can wait for it any more; the JDK has reaped the child.
            }
        });
        unhook = LoopCloseHooks.add(loop, this::closeWithLoop); // before the pipe threads: nothing to undo if it fails
        for (PipeTransport t : pipes) {
            t.start();
        }
    }

    /** How long a loop's close waits for a child it killed to be reaped (SIGKILL: at once, unless the OS stalls). */
    static final long REAP_WAIT_MILLIS = 5000;

    /**
     * The loop closes with this child still open: kill it and close its pipes ({@link #close()}), then wait
     * (bounded) until the JDK has reaped it, so that none outlives the loop; the pipe threads end as the pipes
     * reach EOF. asyncio leaves such a child to its transport's finalizer; a Java program has none to rely on.
     */
    private void closeWithLoop() {
        close();
        try {
            if (!process.waitFor(REAP_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(this + " did not exit within " + REAP_WAIT_MILLIS
                        + " ms of SIGKILL while its loop closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the kill is sent; the caller of close() asked to stop waiting
        }
    }

    private StreamReader readPipe(SubprocessOptions options, String stream, java.io.InputStream in) {
        StreamReader r = new StreamReader(options.limit());
        pipes.add(new PipeReadTransport(loop, program + "[" + process.pid() + "] " + stream, in, r));
        return r;
    }

    private void onExit() {
        unhook.run(); // nothing left for the loop's close to kill
        returnCode = process.exitValue();
        if (!exited.done()) {
            exited.setResult(returnCode);
        }
    }

    /**
     * Starts {@code command} (the program, then its arguments; no shell) with {@code options}. Suspends the
     * current task while the child is being started (forking happens on a virtual thread, not on the loop).
     * Mirrors {@code asyncio.create_subprocess_exec}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here; a child that got started
     * meanwhile is killed and its pipes closed, since nobody has a handle to it.
     *
     * @throws UncheckedIOException     if the program cannot be started (not found, not executable, bad
     *                                  directory); the message names the program, the cause is the JDK's
     * @throws IllegalArgumentException if {@code command} is empty
     */
    public static Subprocess exec(List<String> command, SubprocessOptions options) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must name a program");
        }
        List<String> cmd = List.copyOf(command);
        return start(cmd, cmd.get(0), options);
    }

    /** {@link #exec(List, SubprocessOptions)} with every stream inherited, as asyncio's defaults; suspends likewise. */
    public static Subprocess exec(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Objects.requireNonNull(program, "program"));
        cmd.addAll(List.of(args));
        return exec(cmd, SubprocessOptions.defaults());
    }

    /**
     * Runs {@code command} with the system shell ({@code /bin/sh -c} on Unix, {@code cmd.exe /c} on Windows)
     * with {@code options}; quoting is the shell's, so never build {@code command} from untrusted input (use
     * {@link #exec}). Suspends, and cancellation works, as for {@link #exec}. Mirrors
     * {@code asyncio.create_subprocess_shell}.
     */
    public static Subprocess shell(String command, SubprocessOptions options) {
        Objects.requireNonNull(command, "command");
        List<String> cmd = System.getProperty("os.name").startsWith("Windows")
                ? List.of("cmd.exe", "/c", command) : List.of("/bin/sh", "-c", command);
        return start(cmd, cmd.get(0), options);
    }

    /** {@link #shell(String, SubprocessOptions)} with every stream inherited; suspends likewise. */
    public static Subprocess shell(String command) {
        return shell(command, SubprocessOptions.defaults());
    }

    private static Subprocess start(List<String> cmd, String program, SubprocessOptions options) {
        AsyncLoop loop = Asyncio.getRunningLoop();
        ProcessBuilder builder = options.toBuilder(cmd);
        Future<Process> started = loop.createFuture();
        loop.markExternal(started);
        // ProcessBuilder.start forks and execs: milliseconds the loop must not spend, so a thread does it.
        Thread.ofVirtual().name("asyncio-subprocess-start " + program).start(() -> {
            Process p;
            try {
                p = builder.start();
            } catch (IOException e) {
                UncheckedIOException error = new UncheckedIOException("cannot run program \"" + program + "\": "
                        + e.getMessage(), e);
                postOrElse(loop, () -> {
                    if (!started.done()) {
                        started.setException(error);
                    }
                }, () -> { });
                return;
            } catch (RuntimeException | Error e) {
                postOrElse(loop, () -> {
                    if (!started.done()) {
                        started.setException(e);
                    }
                }, () -> { });
                return;
            }
            Consumer<Process> hook = afterStartForTests;
            if (hook != null) {
                hook.accept(p);
            }
            postOrElse(loop, () -> {
                if (started.done()) {
                    abandon(p);             // the task that asked for it was cancelled
                } else {
                    started.setResult(p);
                }
            }, () -> abandon(p));           // the loop closed meanwhile
        });
        Process p = started.await();
        try {
            return new Subprocess(loop, p, program, options);
        } catch (RuntimeException | Error e) {
            abandon(p);
            throw e;
        }
    }

    private static void postOrElse(AsyncLoop loop, Runnable onLoop, Runnable ifClosed) {
        try {
            loop.callSoonThreadsafe(onLoop);
        } catch (IllegalStateException loopClosed) {
            ifClosed.run();
        }
    }

    /** Kills a child nobody has a handle to and closes its pipes, which the JDK opened for it. */
    private static void abandon(Process p) {
        p.destroyForcibly();
        PipeTransport.closeQuietly(p.getOutputStream());
        PipeTransport.closeQuietly(p.getInputStream());
        PipeTransport.closeQuietly(p.getErrorStream());
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** The child's stdin, or {@code null} unless it is {@link Stdio#PIPE}. Closing it sends the child EOF. */
    public StreamWriter stdin() {
        return stdin;
    }

    /** The child's stdout, or {@code null} unless it is {@link Stdio#PIPE}. */
    public StreamReader stdout() {
        return stdout;
    }

    /** The child's stderr, or {@code null} unless it is {@link Stdio#PIPE} (not with {@link Stdio#STDOUT}). */
    public StreamReader stderr() {
        return stderr;
    }

    /**
     * The exit status once the loop has seen the child exit, {@code null} while it runs; {@code 128 + N} for a
     * child killed by signal N (see the class comment). Mirrors the {@code returncode} attribute.
     */
    public Integer returnCode() {
        return returnCode;
    }

    /**
     * Suspends the current task until the child exits, and returns its exit status ({@link #returnCode()}).
     * Returns at once if it has exited. Mirrors {@code wait()} (a name {@code Object} reserves in Java).
     *
     * <p>Does not read the pipes: a child blocked writing to a full stdout pipe that nobody reads never
     * exits (use {@link #communicate}). Cancellation: the {@link dev.asyncio.CancelledError} is thrown here
     * and the child keeps running, as in asyncio.
     */
    public int waitFor() {
        if (returnCode != null) {
            return returnCode;
        }
        return Asyncio.shield(exited);
    }

    /**
     * Writes {@code input} to stdin and closes it, reads stdout and stderr to EOF, all at once, then waits
     * for the child to exit; returns what was read. Suspends the current task throughout. Mirrors
     * {@code communicate(input)}: a broken stdin pipe (a child that exits without reading it all) is ignored,
     * and with stdin a pipe it is closed even when {@code input} is {@code null}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here once the reading and writing
     * stopped; the child keeps running, the bytes of {@code input} already queued may still be written (stdin
     * is not closed), and what was read from stdout and stderr so far is lost, as in asyncio.
     * {@link #close()} then kills the child and releases everything.
     *
     * @throws IllegalArgumentException if {@code input} is given but stdin is not a pipe
     */
    public Output communicate(byte[] input) {
        if (input != null && input.length > 0 && stdin == null) {
            throw new IllegalArgumentException("communicate(input) needs stdin=Stdio.PIPE");
        }
        List<Task<byte[]>> parts = new ArrayList<>(3);
        if (stdin != null) {
            parts.add(loop.createTask(() -> feedStdin(input), "communicate stdin of " + program));
        }
        Task<byte[]> out = stdout == null ? null : loop.createTask(() -> readAll(stdout), "communicate stdout of " + program);
        Task<byte[]> err = stderr == null ? null : loop.createTask(() -> readAll(stderr), "communicate stderr of " + program);
        if (out != null) {
            parts.add(out);
        }
        if (err != null) {
            parts.add(err);
        }
        // Every part runs to its end before this goes on (or throws), so none is left behind on any path.
        List<Object> results = Asyncio.gather(true, new ArrayList<dev.asyncio.Awaitable<?>>(parts));
        for (Object r : results) {
            if (r instanceof Throwable t) {
                throw dev.asyncio.internal.Sneaky.rethrow(t);
            }
        }
        waitFor();
        return new Output(out == null ? EMPTY : out.result(), err == null ? EMPTY : err.result());
    }

    /** {@link #communicate(byte[])} with no input. */
    public Output communicate() {
        return communicate(null);
    }

    private byte[] feedStdin(byte[] input) {
        try {
            if (input != null && input.length > 0) {
                stdin.write(input);
                stdin.drain();
            }
        } catch (ConnectionError brokenPipe) {
            // The child closed its stdin or exited; asyncio ignores BrokenPipeError here too.
        }
        stdin.close();
        return EMPTY;
    }

    private static byte[] readAll(StreamReader r) {
        return r.read();
    }

    /**
     * Asks the child to stop: SIGTERM on Unix, {@code TerminateProcess} on Windows
     * ({@link ProcessHandle#destroy()}). Does nothing once it has exited. Mirrors {@code terminate()}.
     */
    public void terminate() {
        process.destroy();
    }

    /** Kills the child: SIGKILL ({@link ProcessHandle#destroyForcibly()}). Does nothing once it has exited. */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * Sends signal {@code signal} (a number, as {@code signal.SIGUSR1}) to the child; mirrors
     * {@code send_signal}. SIGTERM (15) and SIGKILL (9) go through {@link ProcessHandle}; any other is sent
     * by running {@code kill -N pid}, which needs a Unix {@code kill} on the PATH (numbers other than 1, 2, 3,
     * 9, 14 and 15 differ between Linux and macOS: prefer {@link #sendSignal(String)}). Suspends the current
     * task until {@code kill} has run (the JDK has no call that sends an arbitrary signal). Does nothing once
     * the child has exited.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here; the signal may or may not have
     * been sent.
     *
     * @throws IllegalArgumentException if {@code signal} is not positive
     * @throws IllegalStateException    if {@code kill} fails (no such signal, no kill command)
     */
    public void sendSignal(int signal) {
        if (signal <= 0) {
            throw new IllegalArgumentException("signal must be a positive number, got " + signal);
        }
        if (signal == 15) {
            terminate();
        } else if (signal == 9) {
            kill();
        } else {
            runKill("-" + signal);
        }
    }

    /**
     * Sends the signal named {@code name} ({@code "USR1"} or {@code "SIGUSR1"}, any case) to the child, by
     * running {@code kill -s NAME pid}: portable across Unix systems, whose signal numbers differ. TERM and
     * KILL go through {@link ProcessHandle}, as {@link #sendSignal(int)}. Suspends likewise.
     *
     * @throws IllegalArgumentException if {@code name} is not a word of letters and digits
     * @throws IllegalStateException    if {@code kill} fails (an unknown name, no kill command)
     */
    public void sendSignal(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        if (!n.matches("[A-Z][A-Z0-9+-]*")) {
            throw new IllegalArgumentException("not a signal name: \"" + name + "\"");
        }
        switch (n) {
            case "TERM" -> terminate();
            case "KILL" -> kill();
            default -> runKill("-s", n);
        }
    }

    private void runKill(String... signal) {
        if (!process.isAlive()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("kill"));
        cmd.addAll(List.of(signal));
        cmd.add(Long.toString(process.pid()));
        try (Subprocess k = exec(cmd, SubprocessOptions.defaults().stdin(Stdio.DEVNULL).stdout(Stdio.DEVNULL)
                .stderr(Stdio.PIPE))) {
            Output o = k.communicate();
            if (k.returnCode() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + k.returnCode() + "): "
                        + o.stderrText().strip());
            }
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot send a signal to " + program + ": " + e.getMessage(), e);
        }
    }

    /**
     * Kills the child if it still runs and closes every pipe: the stdin writer is aborted (its queued bytes
     * dropped), the readers see EOF and keep what they buffered. Idempotent; does not suspend. Mirrors
     * asyncio's {@code transport.close()}. {@link #waitClosed()} waits for the rest to be released.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        unhook.run();
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        for (PipeTransport t : pipes) {
            t.abort();
        }
    }

    /**
     * Suspends the current task until the child has exited and every pipe's thread has closed its pipe (a pipe held
     * open by a grandchild ends when that one exits). Does not kill anything: call {@link #close()} first to
     * kill the child.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here; nothing else changes.
     */
    public void waitClosed() {
        waitFor();
        for (PipeTransport t : pipes) {
            Asyncio.shield(t.done);
        }
    }

    /** Whether every pipe thread ends within a few seconds (for tests, after {@link #waitClosed()}). */
    boolean pipeThreadsEnd() throws InterruptedException {
        for (PipeTransport t : pipes) {
            if (!t.threadEnds(5000)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "<Subprocess " + program + " pid=" + process.pid()
                + (returnCode != null ? " returncode=" + returnCode : " running") + ">";
    }
}
