package dev.asyncio.examples.generators;

import dev.asyncio.Generator;
import dev.asyncio.StopIteration;

import java.io.PrintStream;

/**
 * The countdown generator, in a for-each loop and stepped with {@code next()} until
 * {@code StopIteration} (seed 001).
 *
 * <p>The stepped one prints a line between each statement of its body, to show what runs when.
 */
public final class CountdownGenerator {
    private CountdownGenerator() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    // snippet:countdown
    static Generator<Integer, Void, Void> countdown(int from) {
        return Generator.of(y -> {
            int n = from;
            while (n > 0) {
                y.yield(n);
                n--;
            }
            return null;
        });
    }
    // end-snippet

    // snippet:traced-countdown
    /** {@link #countdown(int)} with a print statement between each line, as the video suggests. */
    static Generator<Integer, Void, Void> tracedCountdown(int from, PrintStream out) {
        return Generator.of(y -> {
            int n = from;
            out.println("  [countdown] n = " + n);
            while (n > 0) {
                out.println("  [countdown] n > 0, yield " + n);
                y.yield(n);
                n--;
                out.println("  [countdown] resumed, n -= 1: n = " + n);
            }
            out.println("  [countdown] loop over, the body returns");
            return null;
        });
    }
    // end-snippet

    static void run(PrintStream out) {
        out.println("for (int x : countdown(10)):");
        // snippet:for-each
        for (int x : countdown(10)) {
            out.print(x + " ");
        }
        out.println();
        // end-snippet

        // snippet:step
        Generator<Integer, Void, Void> x = tracedCountdown(2, out);
        out.println("x = countdown(2) is a generator in state " + x.state());
        try {
            while (true) {
                out.println("next(x):");
                out.println("-> " + x.next());
            }
        } catch (StopIteration end) {
            out.println("-> StopIteration; x is " + x.state());
        }
        // end-snippet
    }
}
