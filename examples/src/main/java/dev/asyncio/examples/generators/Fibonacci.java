package dev.asyncio.examples.generators;

import dev.asyncio.Generator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Fibonacci as a list of fixed size, then as an infinite generator that the consumer stops (seed 000).
 *
 * <p>The third part retells the lecture's walk through the debugger: the generator's body does not start
 * when {@code fib()} is called, runs only up to each {@code yield}, resumes exactly where it paused with its
 * local variables intact, and simply never runs again once the consumer stops pulling.
 */
public final class Fibonacci {
    private Fibonacci() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    // snippet:fib-list
    /** The first {@code n} Fibonacci numbers, all computed before the caller sees any. */
    static List<Long> fib(int n) {
        List<Long> numbers = new ArrayList<>();
        long current = 0;
        long next = 1;
        while (numbers.size() < n) {
            long sum = current + next;
            current = next;
            next = sum;
            numbers.add(current);
        }
        return numbers;
    }
    // end-snippet

    // snippet:fib-generator
    /** Every Fibonacci number, one each time the consumer asks. */
    static Generator<Long, Void, Void> fib() {
        return Generator.of(y -> {
            long current = 0;
            long next = 1;
            while (true) {
                long sum = current + next;
                current = next;
                next = sum;
                y.yield(current);
            }
        });
    }
    // end-snippet

    /** {@link #fib()} saying what it does at each step. */
    static Generator<Long, Void, Void> tracedFib(PrintStream out) {
        return Generator.of(y -> {
            long current = 0;
            long next = 1;
            out.println("  [fib] body starts: current=0, next=1");
            while (true) {
                long sum = current + next;
                current = next;
                next = sum;
                out.println("  [fib] yield " + current);
                y.yield(current);
                out.println("  [fib] resumed after the yield: current=" + current + ", next=" + next);
            }
        });
    }

    static void run(PrintStream out) {
        out.println("fib(10) as a list: " + fib(10));

        out.println("fib() as a generator, consumed until a number passes 10000:");
        // snippet:consume
        for (long n : fib()) {
            out.print(n + ", ");
            if (n > 10_000) {
                break;
            }
        }
        out.println();
        out.println("Done");
        // end-snippet

        out.println("Stepping through it:");
        // snippet:step-through
        Generator<Long, Void, Void> numbers = tracedFib(out);
        out.println("fib() returned a generator in state " + numbers.state() + "; nothing of its body has run");
        for (long n : numbers) {
            out.println("got " + n);
            if (n >= 3) {
                break;
            }
        }
        out.println("stopped pulling; the generator stays " + numbers.state() + " and never runs again");
        // end-snippet
    }
}
