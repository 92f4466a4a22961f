package dev.asyncio;

import dev.asyncio.programs.ChildJvm;
import dev.asyncio.programs.SignalHandlerProgram;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AsyncLoop#addSignalHandler}: real signals sent to a child JVM reach the handler on its loop, a loop's
 * handler takes precedence over the runner's, and removing it gives the signal back; bad signals are refused with
 * a message that says why. No signal is sent to the JVM running the tests.
 */
class SignalHandlerTest {
    private static final List<String> SENT = List.of("HUP", "USR1", "USR2", "TERM");

    @Test
    void eachSignalRunsItsHandlerOnTheLoopAndARemovedHandlerGivesSigtermBackToTheRunner() throws Exception {
        try (ChildJvm child = ChildJvm.startProgram(SENT, SignalHandlerProgram.class)) {
            child.awaitLine("READY", 60);
            exercise(child);
        }
    }

    /** A background job has SIGINT ignored: a handler for it stays silent (with a warning), the others work. */
    @Test
    void inABackgroundJobAnIgnoredSigintStaysIgnoredAndTheOtherHandlersWork() throws Exception {
        List<String> signals = new java.util.ArrayList<>(SENT);
        signals.add("INT");
        try (ChildJvm child = ChildJvm.startAsBackgroundJob(signals, SignalHandlerProgram.class, "int")) {
            child.awaitLine("READY", 60);
            child.signal("INT"); // ignored by the process: no line for it
            exercise(child);
            assertTrue(child.errors().stream().anyMatch(l -> l.contains("SIGINT was ignored when this JVM started")),
                    "the registration of an ignored signal is not silent:\n" + child.errors());
        }
    }

    private static void exercise(ChildJvm child) throws Exception {
        for (String s : SENT) {
            child.signal(s);
            child.awaitLine("GOT SIG" + s + " on the loop", 60); // one at a time: the order is the test's
        }
        child.awaitLine("REMOVED true AGAIN false", 60);
        child.signal("TERM"); // no loop handles it now: the runner cancels the main task
        assertEquals(143, child.waitFor(60), child.output() + "\n" + child.errors());
        assertEquals("READY\nGOT SIGHUP on the loop\nGOT SIGUSR1 on the loop\nGOT SIGUSR2 on the loop\n"
                + "GOT SIGTERM on the loop\nREMOVED true AGAIN false\nFINALLY", child.output());
        assertTrue(child.errors().contains("Terminated by SIGTERM"), String.join("\n", child.errors()));
    }

    @Test
    void signalsTheJvmKeepsAreRefusedWithTheReason() {
        try (AsyncLoop loop = AsyncLoop.create()) {
            assertEquals("SIGQUIT cannot be handled: the JVM uses it to print thread dumps (kill -3, jstack)",
                    assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("SIGQUIT", () -> { })).getMessage());
            for (String s : List.of("KILL", "STOP", "SEGV", "FPE", "ILL", "BUS", "PIPE", "XFSZ")) {
                String m = assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(s, () -> { })).getMessage();
                assertTrue(m.startsWith("SIG" + s + " cannot be handled: "), m);
            }
            String m = assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("SIGNOPE", () -> { })).getMessage();
            assertTrue(m.startsWith("unknown signal name 'NOPE'"), m);
            assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler("NOPE"));
            assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(UnixSignal.SIGUSR1, null));
            assertEquals(Set.of(), SignalDispatch.handledBy(loop));
        }
    }

    @Test
    void closingTheLoopRemovesItsHandlersAndAClosedLoopRefusesNewOnes() {
        AsyncLoop loop = AsyncLoop.create();
        AsyncLoop other = AsyncLoop.create();
        try {
            assertFalse(loop.removeSignalHandler(UnixSignal.SIGUSR2), "nothing to remove yet");
            loop.addSignalHandler(UnixSignal.SIGUSR2, () -> { });
            loop.addSignalHandler("SIGWINCH", () -> { });
            other.addSignalHandler(UnixSignal.SIGUSR2, () -> { });
            assertEquals(Set.of("USR2", "WINCH"), SignalDispatch.handledBy(loop));
            loop.close();
            assertEquals(Set.of(), SignalDispatch.handledBy(loop));
            assertEquals(Set.of("USR2"), SignalDispatch.handledBy(other), "another loop's handler stays");
            assertThrows(IllegalStateException.class, () -> loop.addSignalHandler(UnixSignal.SIGUSR2, () -> { }));
            assertTrue(other.removeSignalHandler(UnixSignal.SIGUSR2));
        } finally {
            loop.close();
            other.close();
        }
    }
}
