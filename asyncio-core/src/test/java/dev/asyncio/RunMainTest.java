package dev.asyncio;

import dev.asyncio.programs.ChildJvm;
import dev.asyncio.programs.RunMainProgram;
import dev.asyncio.programs.SigintProgram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Asyncio#runMain} in a real program: real signals sent to a child JVM end it as a command-line user
 * expects (cleanup, one line on standard error, no stack trace, exit status 128 + the signal's number), where
 * {@link Asyncio#run} lets a {@link KeyboardInterrupt} escape main: a stack trace, then status 130.
 */
class RunMainTest {
    @ParameterizedTest
    @CsvSource({
            "INT, 130, interrupted by SIGINT (Ctrl-C), Interrupted by SIGINT (Ctrl-C)",
            "TERM, 143, terminated by SIGTERM, Terminated by SIGTERM"})
    void aSignalCancelsTheMainTaskWhichCleansUpThenTheProgramExitsWithOneLine(
            String signal, int status, String cancelMessage, String line) throws Exception {
        try (ChildJvm child = ChildJvm.startProgram(List.of(signal), RunMainProgram.class)) {
            child.awaitLine("READY", 60);
            child.signal(signal);
            assertEquals(status, child.waitFor(60), child.output() + "\n" + child.errors());
            assertEquals("READY\nCANCELLED: " + cancelMessage + "\nCLEANED UP\nOTHER TASK CLEANED UP", child.output(),
                    "the main task cleaned up, then the other tasks were cancelled and awaited; main did not go on");
            assertEquals(List.of(line), child.errors(), "one line on standard error, no stack trace");
        }
    }

    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSecondSignalDuringTheCleanupExitsAtOnce(String signal, int status) throws Exception {
        try (ChildJvm child = ChildJvm.startProgram(List.of(signal), RunMainProgram.class, "3600")) {
            child.awaitLine("READY", 60);
            child.signal(signal);
            child.awaitLine("CANCELLED", 60);
            child.signal(signal);
            assertEquals(status, child.waitFor(60), child.output() + "\n" + child.errors());
            assertEquals("READY\nCANCELLED: " + (signal.equals("INT") ? "interrupted by SIGINT (Ctrl-C)" : "terminated by SIGTERM"),
                    child.output(), "the hour-long cleanup was cut short");
            assertEquals(List.of(), child.errors());
        }
    }

    @Test
    void inABackgroundJobCtrlCStaysIgnoredAndSigtermStillEndsTheProgram() throws Exception {
        try (ChildJvm child = ChildJvm.startAsBackgroundJob(List.of("INT", "TERM"), RunMainProgram.class)) {
            child.awaitLine("READY", 60);
            child.signal("INT"); // ignored, as the shell meant: a background job is not interrupted by Ctrl-C
            child.signal("TERM");
            assertEquals(143, child.waitFor(60), child.output() + "\n" + child.errors());
            assertEquals("READY\nCANCELLED: terminated by SIGTERM\nCLEANED UP\nOTHER TASK CLEANED UP", child.output());
            assertEquals(List.of("Terminated by SIGTERM"), child.errors());
        }
    }

    /**
     * {@link Asyncio#run} keeps its semantics: the {@link KeyboardInterrupt} escapes main with its stack trace. But the
     * JVM then exits with 130, what a shell expects after Ctrl-C and what CPython does after an uncaught
     * KeyboardInterrupt (before, the JVM's 1 for any uncaught exception).
     */
    @Test
    void asyncioRunKeepsItsSemanticsAKeyboardInterruptEscapesMainAndTheJvmExitsWith130() throws Exception {
        try (ChildJvm child = ChildJvm.startProgram(List.of("INT"), RunMainProgram.class, "0", "wait", "run")) {
            child.awaitLine("READY", 60);
            child.signal("INT");
            assertEquals(130, child.waitFor(60), child.output() + "\n" + child.errors());
            assertEquals("READY\nCANCELLED: interrupted by SIGINT (Ctrl-C)\nCLEANED UP\nOTHER TASK CLEANED UP",
                    child.output(), "the finally blocks ran; the code after run() did not");
            List<String> errors = child.errors();
            assertEquals("Exception in thread \"main\" dev.asyncio.KeyboardInterrupt: interrupted by SIGINT (Ctrl-C)",
                    errors.get(0), String.join("\n", errors));
            assertTrue(errors.size() > 5, "the stack trace runMain spares its users:\n" + String.join("\n", errors));
        }
    }

    /** A program that catches the {@link KeyboardInterrupt} and returns from main ends normally: status 0. */
    @Test
    void aCaughtKeyboardInterruptLeavesTheExitStatusToTheProgram() throws Exception {
        try (ChildJvm child = ChildJvm.startProgram(List.of("INT"), SigintProgram.class, "0", "return")) {
            child.awaitLine("READY", 60);
            child.signal("INT");
            assertEquals(0, child.waitFor(60), child.output() + "\n" + child.errors());
            assertTrue(child.output().endsWith("KEYBOARD INTERRUPT\nRETURNING"), child.output());
            assertEquals(List.of(), child.errors());
        }
    }

    /**
     * After a caught {@link KeyboardInterrupt}, another exception escaping main is the JVM's business as before: its
     * trace and status 1, not 130.
     */
    @Test
    void anotherExceptionEscapingMainAfterACaughtKeyboardInterruptStillExitsWith1() throws Exception {
        try (ChildJvm child = ChildJvm.startProgram(List.of("INT"), SigintProgram.class, "0", "fail")) {
            child.awaitLine("READY", 60);
            child.signal("INT");
            assertEquals(1, child.waitFor(60), child.output() + "\n" + child.errors());
            List<String> errors = child.errors();
            assertEquals("Exception in thread \"main\" java.lang.IllegalStateException: failed after the interrupt",
                    errors.get(0), String.join("\n", errors));
        }
    }

    /**
     * {@link Asyncio#run} (and so {@link Runner}) treats SIGTERM like Ctrl-C: the main task is cancelled and cleans
     * up, the other tasks too, then the JVM exits with 143 (before, the JVM's own handler exited at once: no
     * {@code finally} block ran).
     */
    @Test
    void asyncioRunTreatsSigtermLikeCtrlCThenExitsWith143() throws Exception {
        try (ChildJvm child = ChildJvm.startProgram(List.of("TERM"), RunMainProgram.class, "0", "wait", "run")) {
            child.awaitLine("READY", 60);
            child.signal("TERM");
            assertEquals(143, child.waitFor(60), child.output() + "\n" + child.errors());
            assertEquals("READY\nCANCELLED: terminated by SIGTERM\nCLEANED UP\nOTHER TASK CLEANED UP", child.output(),
                    "the finally blocks ran; the code after run() did not");
            assertEquals(List.of("Terminated by SIGTERM"), child.errors());
        }
    }

    @Test
    void asyncioRunExitsAtOnceOnASecondSigtermDuringTheCleanupAlsoInABackgroundJob() throws Exception {
        try (ChildJvm child = ChildJvm.startAsBackgroundJob(List.of("TERM"), RunMainProgram.class, "3600", "wait", "run")) {
            child.awaitLine("READY", 60);
            child.signal("TERM");
            child.awaitLine("CANCELLED", 60);
            child.signal("TERM");
            assertEquals(143, child.waitFor(60), child.output() + "\n" + child.errors());
            assertEquals("READY\nCANCELLED: terminated by SIGTERM", child.output(), "the hour-long cleanup was cut short");
        }
    }

    @Test
    void withoutASignalItReturnsMainsResultAndPrintsNothing() throws Exception {
        try (ChildJvm child = ChildJvm.startProgram(List.of(), RunMainProgram.class, "0", "finish")) {
            assertEquals(0, child.waitFor(60), child.output() + "\n" + child.errors());
            assertEquals("READY\nCLEANED UP\nOTHER TASK CLEANED UP\nRETURNED finished", child.output());
            assertEquals(List.of(), child.errors());
        }
    }
}
