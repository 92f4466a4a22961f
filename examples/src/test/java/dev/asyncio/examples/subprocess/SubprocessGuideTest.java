package dev.asyncio.examples.subprocess;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import dev.asyncio.net.Stdio;
import dev.asyncio.net.Subprocess;
import dev.asyncio.net.SubprocessOptions;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.AfterEach;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code of docs/guides/subprocesses.md, run: each snippet region is a block of the guide. */
class SubprocessGuideTest {
    /** close() kills without waiting: give each process a moment to be reaped; one that close() missed runs on. */
    @AfterEach
    void noChildLeft() throws Exception {
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            try {
                child.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                child.destroyForcibly();
                throw new AssertionError("child left running: " + child.info().commandLine().orElse("?"));
            }
        }
    }

    @AsyncTest
    void communicate() {
        // snippet:communicate
        SubprocessOptions pipes = SubprocessOptions.pipes();         // stdin, stdout, stderr: all pipes
        try (Subprocess p = Subprocess.exec(List.of("sort", "-r"), pipes)) {
            Subprocess.Output out = p.communicate("a\nc\nb\n".getBytes(StandardCharsets.UTF_8));
            System.out.print(out.stdoutText());                     // c, b, a
            System.out.println("exit " + p.returnCode());           // exit 0
        }
        // end-snippet
    }

    @AsyncTest
    void lineByLine() {
        // snippet:line-by-line
        try (Subprocess p = Subprocess.exec(List.of("cat"), SubprocessOptions.pipes())) {
            for (String word : List.of("one", "two")) {
                p.stdin().write((word + "\n").getBytes(StandardCharsets.UTF_8));
                p.stdin().drain();                                   // suspends while the pipe is full
                byte[] line = p.stdout().readLine();                 // suspends until cat answers
                System.out.print("cat says " + new String(line, StandardCharsets.UTF_8));
            }
            p.stdin().close();                                       // cat reads EOF and exits
            System.out.println("exit " + p.waitFor());               // suspends until it has exited
        }
        // end-snippet
    }

    @AsyncTest
    void shellAndMerge() {
        // snippet:shell-merge
        SubprocessOptions merged = SubprocessOptions.defaults()
                .stdout(Stdio.PIPE)
                .stderr(Stdio.STDOUT);                               // 2>&1
        try (Subprocess p = Subprocess.shell("echo out; echo err >&2; exit 3", merged)) {
            String both = p.communicate().stdoutText();              // "out\nerr\n"
            int code = p.returnCode();                               // 3
            // end-snippet
            assertEquals("out\nerr\n", both);
            assertEquals(3, code);
        }
    }

    @AsyncTest
    void signals() {
        // snippet:signals
        String script = "trap 'kill $!; echo bye; exit 0' USR1; echo ready; while :; do sleep 1 & wait $!; done";
        try (Subprocess p = Subprocess.shell(script, SubprocessOptions.defaults().stdout(Stdio.PIPE))) {
            p.stdout().readLine();                                   // "ready": the trap is set
            p.sendSignal("USR1");                                    // runs `kill -s USR1 <pid>`
            System.out.print(new String(p.stdout().readLine(), StandardCharsets.UTF_8));   // bye
            p.waitFor();
        }
        try (Subprocess p = Subprocess.exec(List.of("sleep", "60"), SubprocessOptions.defaults())) {
            p.terminate();                                           // SIGTERM
            System.out.println(p.waitFor());                         // 143 = 128 + 15, as the shell's $?
        }
        // end-snippet
    }

    @AsyncTest
    void cancellation() {
        // snippet:cancel-wait
        try (Subprocess p = Subprocess.exec(List.of("sleep", "60"), SubprocessOptions.defaults())) {
            try {
                Asyncio.waitFor(p::waitFor, 0.1);                    // gives up waiting after 0.1 s ...
            } catch (dev.asyncio.TimeoutError e) {
                System.out.println(p.returnCode());                  // ... null: sleep still runs
            }
        }                                                            // close() kills it
        // end-snippet
        Subprocess q = Subprocess.exec(List.of("sleep", "60"), SubprocessOptions.defaults());
        try (q) {
            Task<Integer> t = Asyncio.createTask(q::waitFor);
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(ProcessHandle.of(q.pid()).orElseThrow().isAlive());
        }
        q.waitClosed();
        assertEquals(137, q.returnCode());
    }
}
