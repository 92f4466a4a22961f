package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.internal.Signals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Child processes with pipes as streams: CPython's test_asyncio/test_subprocess cases that matter here. Every
 * test closes its children and waits until they are reaped and their pipe threads ended; {@link #noChildLeft}
 * checks that no process started from this JVM (child or grandchild) is left either way.
 */
class SubprocessTest {
    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, UTF_8);
    }

    @AfterEach
    void noChildLeft() {
        List<ProcessHandle> alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        assertEquals(List.of(), alive, "processes left running");
    }

    /** Closes {@code p} and checks that everything of it is released: the child reaped, every pipe thread ended. */
    static void closeAndCheck(Subprocess p) throws InterruptedException {
        p.close();
        p.waitClosed();
        assertFalse(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false), "child still alive");
        assertTrue(p.pipeThreadsEnd(), "a pipe thread is still running");
    }

    @AsyncTest
    void echoThroughCat() throws Exception {
        Subprocess p = Subprocess.exec(List.of("cat"), SubprocessOptions.pipes());
        try {
            assertNull(p.returnCode());
            p.stdin().write(b("hello\n"));
            p.stdin().drain();
            assertEquals("hello\n", s(p.stdout().readLine()));
            p.stdin().write(b("world\n"));
            p.stdin().close();
            assertEquals("world\n", s(p.stdout().readLine()));
            assertEquals("", s(p.stdout().readLine()));
            assertTrue(p.stdout().atEof());
            assertEquals(0, p.waitFor());
            assertEquals(0, p.returnCode());
            assertArrayEquals(new byte[0], p.stderr().read());
        } finally {
            closeAndCheck(p);
        }
    }

    /**
     * Megabytes in and out at once: written all at once to stdin while cat writes stdout, far past the
     * pipes' 64 KiB. Writing stdin first and reading afterwards would deadlock; communicate cannot.
     */
    @AsyncTest
    void communicateMovesMegabytesBothWaysWithoutDeadlock() throws Exception {
        byte[] input = new byte[4 << 20];
        new Random(12).nextBytes(input);
        Subprocess p = Subprocess.shell("cat; cat /dev/null; head -c 1000000 /dev/zero >&2",
                SubprocessOptions.pipes());
        try {
            Subprocess.Output out = p.communicate(input);
            assertArrayEquals(input, out.stdout());
            assertEquals(1_000_000, out.stderr().length);
            assertEquals(0, p.returnCode());
        } finally {
            closeAndCheck(p);
        }
    }

    @AsyncTest
    void communicateIgnoresAChildThatDoesNotReadItsInput() throws Exception {
        Subprocess p = Subprocess.shell("echo done", SubprocessOptions.pipes());
        try {
            Subprocess.Output out = p.communicate(new byte[1 << 20]);   // broken pipe after the child exits
            assertEquals("done\n", out.stdoutText());
            assertEquals(0, p.returnCode());
        } finally {
            closeAndCheck(p);
        }
    }

    /**
     * The reader's limit holds while nobody reads: the thread stops at twice the limit (plus the one chunk
     * that may be on its way when the reader pauses) and the child blocks on its full pipe. The sleeps only
     * give the thread the chance to overfill the reader; no outcome depends on how long they take.
     */
    @AsyncTest
    void stdoutReaderStaysWithinItsLimit() throws Exception {
        int limit = 16 * 1024;
        int bound = 2 * limit + 64 * 1024;
        Subprocess p = Subprocess.exec(List.of("head", "-c", "2000000", "/dev/zero"),
                SubprocessOptions.defaults().stdout(Stdio.PIPE).limit(limit));
        try {
            StreamReader r = p.stdout();
            while (!r.toString().contains("paused")) {
                assertTrue(r.buffered() <= bound, "buffered " + r.buffered() + " without pausing");
                Asyncio.sleep(0.001);
            }
            for (int i = 0; i < 20; i++) {
                Asyncio.sleep(0.002);
                assertTrue(r.buffered() <= bound, "buffered " + r.buffered() + " while paused");
            }
            assertNull(p.returnCode(), "head finished although its output was not read");
            long total = 0;
            byte[] chunk;
            while ((chunk = r.read(10_000)).length > 0) {
                total += chunk.length;
                assertTrue(r.buffered() <= bound, "buffered " + r.buffered());
            }
            assertEquals(2_000_000, total);
            assertEquals(0, p.waitFor());
        } finally {
            closeAndCheck(p);
        }
    }

    /**
     * drain() waits for the child to take the bytes: right after write nothing has reached the pipe (the thread
     * reports each piece through the loop), and drain returns only at the low-water mark.
     */
    @AsyncTest
    void drainWaitsUntilTheChildHasReadDownToTheLowWaterMark() throws Exception {
        Subprocess p = Subprocess.shell("cat > /dev/null", SubprocessOptions.defaults().stdin(Stdio.PIPE));
        try {
            Transport t = p.stdin().transport();
            assertEquals(List.of(16 * 1024, 64 * 1024), Arrays.stream(t.getWriteBufferLimits()).boxed().toList());
            p.stdin().write(new byte[1 << 20]);
            assertEquals(1 << 20, t.getWriteBufferSize());
            p.stdin().drain();
            assertTrue(t.getWriteBufferSize() <= 16 * 1024, "drained to " + t.getWriteBufferSize());
            p.stdin().close();
            p.stdin().waitClosed();
            assertEquals(0, t.getWriteBufferSize());
            assertEquals(0, p.waitFor());
        } finally {
            closeAndCheck(p);
        }
    }

    /** A child that exits without reading: drain raises the broken pipe, and so does every later write. */
    @AsyncTest
    void writingToAChildThatExitedRaisesABrokenPipe() throws Exception {
        Subprocess p = Subprocess.exec(List.of("true"), SubprocessOptions.defaults().stdin(Stdio.PIPE));
        try {
            assertEquals(0, p.waitFor());
            p.stdin().write(new byte[1 << 20]);
            ConnectionResetError e = assertThrows(ConnectionResetError.class, () -> p.stdin().drain());
            assertTrue(e.getMessage().contains("stdin"), e.getMessage());
            assertThrows(ConnectionResetError.class, () -> p.stdin().write(b("more")));
            assertThrows(ConnectionResetError.class, () -> p.stdin().waitClosed());
        } finally {
            closeAndCheck(p);
        }
    }

    /**
     * close() while the stdin thread is blocked writing to a child that does not read: the child is killed,
     * the write fails under the thread, and that is the end close() asked for, not a broken pipe.
     */
    @AsyncTest
    void closeCutsABlockedStdinWriteShortWithoutAnError() throws Exception {
        Subprocess p = Subprocess.exec(List.of("sleep", "60"), SubprocessOptions.defaults().stdin(Stdio.PIPE));
        Transport t = p.stdin().transport();
        p.stdin().write(new byte[1 << 20]);
        while (t.getWriteBufferSize() == 1 << 20) {
            Asyncio.sleep(0.001);              // until the first piece is in the pipe; the next one blocks
        }
        closeAndCheck(p);
        p.stdin().waitClosed();                 // no ConnectionResetError
        assertEquals(128 + 9, p.returnCode());
    }

    @AsyncTest
    void stderrMergedIntoStdout() throws Exception {
        Subprocess p = Subprocess.shell("echo out; echo err >&2; echo out2",
                SubprocessOptions.defaults().stdout(Stdio.PIPE).stderr(Stdio.STDOUT));
        try {
            assertNull(p.stderr());
            assertEquals("out\nerr\nout2\n", p.communicate().stdoutText());
        } finally {
            closeAndCheck(p);
        }
    }

    @AsyncTest
    void outputToFilesAndInputFromOne(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "b\na\n");
        Path out = dir.resolve("out.txt");
        Path log = dir.resolve("log.txt");
        Files.writeString(log, "first\n");
        Subprocess p = Subprocess.shell("sort; echo second >&2", SubprocessOptions.defaults()
                .stdin(Stdio.file(in)).stdout(Stdio.file(out)).stderr(Stdio.append(log)));
        try {
            assertNull(p.stdin());
            assertNull(p.stdout());
            assertEquals(0, p.waitFor());
        } finally {
            closeAndCheck(p);
        }
        assertEquals("a\nb\n", Files.readString(out));
        assertEquals("first\nsecond\n", Files.readString(log));
    }

    @AsyncTest
    void inheritedAndNullStreams() throws Exception {
        Subprocess p = Subprocess.exec("true");
        try {
            assertNull(p.stdin());
            assertNull(p.stdout());
            assertNull(p.stderr());
            assertEquals(0, p.waitFor());
        } finally {
            closeAndCheck(p);
        }
        Subprocess q = Subprocess.shell("cat; echo eof-at-once",
                SubprocessOptions.defaults().stdin(Stdio.DEVNULL).stdout(Stdio.PIPE).stderr(Stdio.DEVNULL));
        try {
            assertEquals("eof-at-once\n", q.communicate().stdoutText());
        } finally {
            closeAndCheck(q);
        }
    }

    @AsyncTest
    void exitCodes() throws Exception {
        for (int code : new int[] {0, 1, 3, 255}) {
            Subprocess p = Subprocess.shell("exit " + code);
            try {
                assertEquals(code, p.waitFor());
                assertEquals(code, p.returnCode());
                assertEquals(code, p.waitFor());    // again, at once
            } finally {
                closeAndCheck(p);
            }
        }
    }

    @AsyncTest
    void terminateAndKillReportTheShellsCodes() throws Exception {
        Subprocess p = Subprocess.exec(List.of("cat"), SubprocessOptions.pipes());
        try {
            p.terminate();
            assertEquals(128 + 15, p.waitFor());
            p.terminate();                         // exited: nothing happens
            p.kill();
        } finally {
            closeAndCheck(p);
        }
        Subprocess q = Subprocess.exec(List.of("cat"), SubprocessOptions.pipes());
        try {
            q.kill();
            assertEquals(128 + 9, q.waitFor());
        } finally {
            closeAndCheck(q);
        }
    }

    /** A shell that says it is ready, then waits for USR1 (and HUP) and exits with a code of its own. */
    private static final String TRAPPING = "trap 'kill $! 2>/dev/null; echo got USR1; exit 7' USR1; "
            + "trap 'kill $! 2>/dev/null; echo got HUP; exit 8' HUP; "
            + "echo ready; while :; do sleep 10 & wait $!; done";

    /**
     * The trapping shell, with SIGHUP and SIGUSR1 back to their default disposition: a shell cannot trap a signal it
     * inherited as ignored, and a build run under nohup (SIGHUP) or as some background jobs passes that on.
     */
    private static Subprocess trapping() throws Exception {
        return Subprocess.exec(Signals.command(List.of("/bin/sh", "-c", TRAPPING), "HUP", "USR1"),
                SubprocessOptions.defaults().stdout(Stdio.PIPE));
    }

    @AsyncTest
    void sendSignalByNameReachesATrap() throws Exception {
        Subprocess p = trapping();
        try {
            assertEquals("ready\n", s(p.stdout().readLine()));
            p.sendSignal("SIGUSR1");
            assertEquals("got USR1\n", s(p.stdout().readLine()));
            assertEquals(7, p.waitFor());
            p.sendSignal("usr1");                  // exited: nothing happens
        } finally {
            closeAndCheck(p);
        }
    }

    @AsyncTest
    void sendSignalByNumber() throws Exception {
        Subprocess p = trapping();
        try {
            assertEquals("ready\n", s(p.stdout().readLine()));
            p.sendSignal(1);                       // SIGHUP: 1 on every Unix
            assertEquals("got HUP\n", s(p.stdout().readLine()));
            assertEquals(8, p.waitFor());
        } finally {
            closeAndCheck(p);
        }
        Subprocess q = Subprocess.exec(List.of("cat"), SubprocessOptions.pipes());
        try {
            q.sendSignal(15);
            assertEquals(143, q.waitFor());
        } finally {
            closeAndCheck(q);
        }
    }

    @AsyncTest
    void badSignalsAreRefusedWithTheirName() throws Exception {
        Subprocess p = Subprocess.exec(List.of("cat"), SubprocessOptions.pipes());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.sendSignal("NOSUCHSIG"));
            assertTrue(e.getMessage().contains("NOSUCHSIG"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> p.sendSignal("USR1; rm -rf x"));
            assertThrows(IllegalArgumentException.class, () -> p.sendSignal(0));
            assertEquals(null, p.returnCode());    // the child was not touched
        } finally {
            closeAndCheck(p);
        }
    }

    /** As asyncio: cancelling wait() leaves the child running; it can be waited for again. */
    @AsyncTest
    void cancellingWaitLeavesTheChildRunning() throws Exception {
        Subprocess p = Subprocess.exec(List.of("cat"), SubprocessOptions.pipes());
        try {
            Task<Integer> waiting = Asyncio.createTask(p::waitFor);
            Asyncio.sleep(0);
            waiting.cancel();
            assertThrows(CancelledError.class, waiting::await);
            assertTrue(ProcessHandle.of(p.pid()).orElseThrow().isAlive());
            assertNull(p.returnCode());
            p.stdin().close();                     // cat ends at EOF
            assertEquals(0, p.waitFor());
        } finally {
            closeAndCheck(p);
        }
    }

    /** Cancelling a read leaves the buffer and the child as they were: the next read gets the line. */
    @AsyncTest
    void cancellingReadLineLeavesTheChildAndTheBuffer() throws Exception {
        Subprocess p = Subprocess.exec(List.of("cat"), SubprocessOptions.pipes());
        try {
            p.stdin().write(b("par"));
            Task<byte[]> reading = Asyncio.createTask(() -> p.stdout().readLine());
            Asyncio.sleep(0);
            reading.cancel();
            assertThrows(CancelledError.class, reading::await);
            assertTrue(ProcessHandle.of(p.pid()).orElseThrow().isAlive());
            p.stdin().write(b("tial\n"));
            assertEquals("partial\n", s(p.stdout().readLine()));
        } finally {
            closeAndCheck(p);
        }
        assertEquals(128 + 9, p.returnCode());    // close() killed it
    }

    /**
     * Cancelling communicate stops its reading and writing: the child keeps running with stdin open (what was
     * queued may still reach it), what was read so far is lost; close() then kills it and releases the pipes.
     */
    @AsyncTest
    void cancellingCommunicateLeavesTheChildRunningUntilClose() throws Exception {
        Subprocess p = Subprocess.exec(List.of("cat"), SubprocessOptions.pipes());
        try {
            Task<Subprocess.Output> talking = Asyncio.createTask(() -> p.communicate(new byte[1 << 20]));
            Asyncio.sleep(0);
            talking.cancel();
            assertThrows(CancelledError.class, talking::await);
            assertTrue(ProcessHandle.of(p.pid()).orElseThrow().isAlive());
            assertFalse(p.stdin().isClosing(), "communicate closed stdin although it was cancelled");
            assertNull(p.returnCode());
        } finally {
            closeAndCheck(p);
        }
        assertEquals(128 + 9, p.returnCode());
    }

    /** close() kills a child blocked writing to a full pipe nobody reads, and ends every pipe thread. */
    @AsyncTest
    void closeReleasesABlockedChildAndItsThreads() throws Exception {
        Subprocess p = Subprocess.exec(List.of("head", "-c", "10000000", "/dev/zero"),
                SubprocessOptions.pipes().limit(1024));
        assertEquals(1024, p.stdout().read(1024).length);   // the rest fills the pipe; head blocks
        closeAndCheck(p);
        assertEquals(128 + 9, p.returnCode());
        assertTrue(p.stdout().atEof() || p.stdout().buffered() > 0);
        assertThrows(IllegalStateException.class, () -> p.stdin().write(b("late")));
    }

    @AsyncTest
    void missingProgramIsNamed() throws Exception {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Subprocess.exec(List.of("no-such-program-4711"), SubprocessOptions.pipes()));
        assertTrue(e.getMessage().contains("no-such-program-4711"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Subprocess.exec(List.of(), SubprocessOptions.pipes()));
    }

    @AsyncTest
    void shellQuotingIsTheShells() throws Exception {
        Subprocess p = Subprocess.shell("printf '%s|' \"a b\" 'c \"d\"' $((6*7)) '$HOME'",
                SubprocessOptions.defaults().stdout(Stdio.PIPE));
        try {
            assertEquals("a b|c \"d\"|42|$HOME|", p.communicate().stdoutText());
        } finally {
            closeAndCheck(p);
        }
        // exec passes arguments as they are: no shell, no quoting.
        Subprocess q = Subprocess.exec(List.of("printf", "%s|", "a b", "$HOME", "*"),
                SubprocessOptions.defaults().stdout(Stdio.PIPE));
        try {
            assertEquals("a b|$HOME|*|", q.communicate().stdoutText());
        } finally {
            closeAndCheck(q);
        }
    }

    @AsyncTest
    void optionsSetTheDirectoryAndTheEnvironment(@TempDir Path dir) throws Exception {
        Subprocess p = Subprocess.shell("pwd; echo \"$GREETING\"", SubprocessOptions.defaults()
                .stdout(Stdio.PIPE).cwd(dir).env(java.util.Map.of("GREETING", "hi", "PATH", System.getenv("PATH"))));
        try {
            assertEquals(dir.toRealPath() + "\nhi\n", p.communicate().stdoutText());
        } finally {
            closeAndCheck(p);
        }
        assertThrows(IllegalArgumentException.class, () -> SubprocessOptions.defaults().stdout(Stdio.STDOUT));
        assertThrows(IllegalArgumentException.class, () -> SubprocessOptions.defaults().stdin(Stdio.STDOUT));
    }

    /**
     * A child nobody closed is killed when its loop closes: {@code close()} returns with the child reaped
     * and its pipe threads ending. On the old code the {@code sleep 60} ran on, orphaned.
     */
    @org.junit.jupiter.api.Test
    void aChildLeftOpenIsKilledAndReapedWhenItsLoopCloses() throws Exception {
        Subprocess[] child = new Subprocess[1];
        dev.asyncio.AsyncLoop loop = dev.asyncio.AsyncLoop.create();
        try {
            loop.runUntilComplete(() -> {
                child[0] = Subprocess.exec(List.of("sleep", "60"), SubprocessOptions.pipes());
            });
            assertTrue(ProcessHandle.of(child[0].pid()).orElseThrow().isAlive());
            loop.close();
            assertFalse(ProcessHandle.of(child[0].pid()).map(ProcessHandle::isAlive).orElse(false), "child still alive");
            assertTrue(child[0].pipeThreadsEnd(), "a pipe thread is still running");
        } finally {
            killLeftover(child[0]);
        }
    }

    /**
     * The task owning a child is cancelled while it waits, and nobody closes the child: the runner cancels the
     * rest and closes its loop, which kills and reaps the child.
     */
    @org.junit.jupiter.api.Test
    void aRunWhoseChildsTaskWasCancelledLeavesNoChild() throws Exception {
        Subprocess[] child = new Subprocess[1];
        try {
            Asyncio.run(() -> {
                dev.asyncio.Event started = new dev.asyncio.Event();
                Task<Integer> owner = Asyncio.createTask(() -> {
                    child[0] = Subprocess.exec(List.of("sleep", "60"), SubprocessOptions.pipes());
                    started.set();
                    return child[0].waitFor();
                });
                started.await();
                owner.cancel();   // and main returns without waiting for it
            });
            assertFalse(ProcessHandle.of(child[0].pid()).map(ProcessHandle::isAlive).orElse(false), "child still alive");
            assertTrue(child[0].pipeThreadsEnd(), "a pipe thread is still running");
        } finally {
            killLeftover(child[0]);
        }
    }

    /** Kills what a failed test left, so that one failure does not leave a process for the next test. */
    private static void killLeftover(Subprocess p) {
        if (p != null) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * A task cancelled while its child is being started gets no handle; the child, started meanwhile, is
     * killed and its pipes closed. The start thread is held after the fork until the task is cancelled.
     */
    @AsyncTest
    void cancellingTheStartKillsTheChild() throws Exception {
        CompletableFuture<Process> forked = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        Subprocess.afterStartForTests = p -> {
            forked.complete(p);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            Task<Subprocess> starting = Asyncio.createTask(() -> Subprocess.exec(List.of("cat"), SubprocessOptions.pipes()));
            Process child = Asyncio.await(forked);
            assertTrue(child.isAlive());
            starting.cancel();
            release.countDown();
            assertThrows(CancelledError.class, starting::await);
            Asyncio.await(child.onExit());
            assertFalse(child.isAlive());
            assertEquals(128 + 9, child.exitValue());
        } finally {
            Subprocess.afterStartForTests = null;
            release.countDown();
        }
    }

    @AsyncTest
    void toStringShowsTheState() throws Exception {
        Subprocess p = Subprocess.exec(List.of("cat"), SubprocessOptions.pipes());
        try {
            assertTrue(p.toString().contains("running"), p.toString());
            p.stdin().close();
            p.waitFor();
            assertTrue(p.toString().contains("returncode=0"), p.toString());
            assertTrue(Arrays.asList(p.stdin().toString(), p.stdout().toString()).stream().allMatch(x -> !x.isEmpty()));
        } finally {
            closeAndCheck(p);
        }
    }
}
