package dev.asyncio.examples.tasks;

import dev.asyncio.Asyncio;

import java.io.PrintStream;

/**
 * One coroutine awaiting two others in order: awaiting a coroutine is calling it (seed 001).
 */
public final class TwoPhases {
    private final PrintStream out;

    private TwoPhases(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        run(System.out);
    }

    static void run(PrintStream out) {
        TwoPhases demo = new TwoPhases(out);
        out.println("entering event loop");
        // snippet:run
        String result = Asyncio.run(demo::outer);
        // end-snippet
        out.println("return value: " + result);
    }

    // snippet:phases
    String outer() {
        out.println("in outer");
        out.println("waiting for result1");
        String result1 = phase1();
        out.println("waiting for result2");
        String result2 = phase2(result1);
        return "(" + result1 + ", " + result2 + ")";
    }

    String phase1() {
        out.println("in phase1");
        Asyncio.sleep(0.1);       // a real phase would wait for I/O here
        return "result1";
    }

    String phase2(String arg) {
        out.println("in phase2");
        Asyncio.sleep(0.1);
        return "result2 derived from " + arg;
    }
    // end-snippet
}
