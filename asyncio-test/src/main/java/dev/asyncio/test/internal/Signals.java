package dev.asyncio.test.internal;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Starting a child process that a test will send signals to, so that the signals really arrive. Not API: for
 * the project's own tests.
 *
 * <p>A signal ignored by a process stays ignored in everything it starts (exec keeps {@code SIG_IGN}), and the
 * JVM then leaves it alone: {@code sun.misc.Signal.handle} cannot take it back. POSIX shells start background
 * jobs with SIGINT and SIGQUIT ignored ({@code ./mvnw verify > build.log 2>&1 &}, any script that does the
 * same), {@code nohup} ignores SIGHUP: a child JVM started from such a build never sees the Ctrl-C a test sends
 * it. {@link #command} therefore starts the child through coreutils {@code env --default-signal=...} when a
 * signal the test sends is ignored here, and when that is not possible aborts the test (skipped, with the
 * reason printed) rather than letting it wait for a signal that cannot come.
 */
public final class Signals {
    /** Signal numbers as Linux numbers them (the bit positions of {@code /proc/<pid>/status}'s {@code SigIgn}). */
    private static final Map<String, Integer> NUMBERS = Map.of("HUP", 1, "INT", 2, "QUIT", 3, "USR1", 10, "USR2", 12, "TERM", 15);

    private static volatile Boolean envResets;

    private Signals() {
    }

    /**
     * {@code command}, or {@code command} behind {@code env --default-signal=SIG,...} if one of {@code signals}
     * (names such as {@code "INT"}) is ignored in this JVM, so that the child process gets each of them with its
     * default disposition.
     *
     * @throws org.opentest4j.TestAbortedException if a signal is ignored here and cannot be restored for the child
     */
    public static List<String> command(List<String> command, String... signals) {
        Set<String> ignored = ignoredHere(signals);
        if (ignored.isEmpty()) {
            return command;
        }
        String restore = "--default-signal=" + String.join(",", ignored);
        if (!envCanReset()) {
            String reason = "SIG" + String.join(", SIG", ignored) + " ignored in this JVM (inherited: the build runs as a "
                    + "background job or under nohup) and `env " + restore + "` (coreutils 8.31+) is not available to "
                    + "restore it in the child: the signal could not reach it";
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        List<String> wrapped = new ArrayList<>(List.of("env", restore));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Which of {@code signals} this process ignores, from {@code /proc/self/status} (none if it cannot be read). */
    public static Set<String> ignoredHere(String... signals) {
        long mask;
        try {
            mask = ignoredMask(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException unreadable) {
            return Set.of(); // no procfs (not Linux): assume nothing is ignored, as before
        }
        Set<String> ignored = new LinkedHashSet<>();
        for (String s : signals) {
            Integer n = NUMBERS.get(s);
            if (n == null) {
                throw new IllegalArgumentException("unknown signal name " + s + "; known: " + NUMBERS.keySet());
            }
            if ((mask & (1L << (n - 1))) != 0) {
                ignored.add(s);
            }
        }
        return ignored;
    }

    /** The {@code SigIgn} mask of a {@code /proc/<pid>/status} text: bit n-1 set if signal n is ignored. */
    static long ignoredMask(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("SigIgn:")) {
                return Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
            }
        }
        throw new IllegalArgumentException("no SigIgn line in the process status");
    }

    /** Whether {@code env --default-signal} works here (GNU coreutils 8.31 or later). */
    private static boolean envCanReset() {
        Boolean known = envResets;
        if (known == null) {
            known = false;
            try {
                Process p = new ProcessBuilder("env", "--default-signal=INT", "true")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                known = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
                p.destroyForcibly();
            } catch (IOException e) {
                known = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            envResets = known;
        }
        return known;
    }
}
