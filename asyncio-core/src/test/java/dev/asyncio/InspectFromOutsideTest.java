package dev.asyncio;

import dev.asyncio.programs.ChildJvm;
import dev.asyncio.programs.DumpSignalSharedProgram;
import dev.asyncio.programs.InspectedProgram;
import dev.asyncio.tools.Ps;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Task dumps of a running child JVM: on SIGUSR1 to its standard error, and through the Ps tool (JMX). Two child
 * JVMs, and the tool's attach and JMX connection: the slowest class of the module for that reason (10-30 s when
 * the machine is loaded).
 */
class InspectFromOutsideTest {
    @Test
    void sigusr1PrintsEveryTaskToStandardErrorAndTheProgramGoesOn() throws Exception {
        try (ChildJvm child = ChildJvm.startProgram(List.of("USR1"), InspectedProgram.class, "USR1", "false")) {
            child.awaitLine("READY", 60);
            child.signal("USR1");
            String dump = awaitErrors(child, "* Task #2 'worker'", 1);
            assertTrue(dump.contains("* Task #1 'Task-1' waiting, awaiting sleep(inf)\n"), dump);
            assertTrue(dump.contains("* Task #2 'worker' waiting, awaiting sleep(inf)\n"
                    + "  + awaited by: #1 'Task-1' (TaskGroup)\n"), dump);
            assertTrue(dump.contains("at dev.asyncio.programs.InspectedProgram.worker("), dump);
            child.signal("USR1");                                     // the loop still runs and answers again
            awaitErrors(child, "* Task #2 'worker'", 2);
            // The same child has no MBean (-Dasyncio.inspect.jmx=false): Ps says how to get one.
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(1, Ps.run(new String[] {"ps", Long.toString(child.pid())}, System.out,
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("start it with -Dasyncio.inspect.jmx=true"),
                    err.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * The dump signal is also the program's own (a loop handler for SIGUSR1): one signal runs both, and after the
     * program removes its handler the signal still dumps, and does not take the JVM's default action (exit 138).
     */
    @Test
    void theDumpSignalRunsInAdditionToALoopsHandlerAndOutlivesIt() throws Exception {
        try (ChildJvm child = ChildJvm.startProgram(List.of("USR1"), DumpSignalSharedProgram.class)) {
            child.awaitLine("READY", 60);
            child.signal("USR1");
            child.awaitLine("GOT SIGUSR1", 60);                     // the program's handler ran on its loop
            String dump = awaitErrors(child, "* Task #1 'Task-1'", 1); // and the operator's dump was printed
            assertTrue(dump.contains("at dev.asyncio.programs.DumpSignalSharedProgram."), dump);
            child.awaitLine("REMOVED true", 60);
            child.signal("USR1");                                   // no loop handler now: only the dump
            awaitErrors(child, "* Task #1 'Task-1'", 2);
            child.signal("USR1");                                   // the process still runs and answers again
            awaitErrors(child, "* Task #1 'Task-1'", 3);
            assertEquals("READY\nGOT SIGUSR1\nREMOVED true", child.output());
        }
    }

    @Test
    void psAttachesToAnotherJvmAndPrintsItsTaskTree() throws Exception {
        try (ChildJvm child = ChildJvm.startProgram(List.of(), InspectedProgram.class, "-", "true")) {
            child.awaitLine("READY", 60);
            String tree = runPs(child, "pstree");
            assertTrue(tree.endsWith("└── (T) #1 'Task-1' waiting, awaiting sleep(inf) at InspectedProgram.lambda$mainTask$0\n"
                    + "    └── (T) #2 'worker' waiting, awaiting sleep(inf) at InspectedProgram.worker\n"), tree);
            String ps = runPs(child, "ps");
            assertTrue(ps.contains("#2  worker  waiting  sleep(inf)"), ps);
            assertTrue(runPs(child, "stats").matches("loop-1 at [0-9.]+ s: 2 tasks, 0 ready, 0 timers, 0 slow steps, "
                    + "0 open connections\n"));
        }
    }

    @Test
    void psRefusesBadArguments() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Ps.run(new String[] {"top", "1"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: Ps {ps|pstree|dump|stats} PID"));
    }

    /** Ps against the child, retried while the child is still registering its MBean (it does so on a thread). */
    private static String runPs(ChildJvm child, String command) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Ps.run(new String[] {command, Long.toString(child.pid())},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            if (status == 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Ps " + command + " failed: " + err.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(200);
        }
    }

    /** Waits until standard error holds {@code text} {@code times} times; returns all of it. */
    private static String awaitErrors(ChildJvm child, String text, int times) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            String all = String.join("\n", child.errors()) + "\n";
            if (all.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) {
                return all;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' " + times + " times on standard error; it holds:\n"
                + String.join("\n", child.errors()));
    }
}
