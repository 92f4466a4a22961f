package dev.asyncio.examples.generators;

import dev.asyncio.Generator;
import dev.asyncio.GeneratorExit;

import java.io.PrintStream;

/**
 * The {@code finder} coroutine: primed with {@code next()}, then sent text, thrown into and closed
 * (seed 001).
 */
public final class Finder {
    private Finder() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    // snippet:finder
    /** Prints every line sent to it that contains {@code x}. */
    static Generator<Void, String, Void> finder(String x, PrintStream out) {
        return Generator.of(y -> {
            while (true) {
                String inputText = y.yield(null);
                if (inputText.contains(x)) {
                    out.println(inputText);
                }
            }
        });
    }
    // end-snippet

    /** Thrown into the finder to tell it that a line was lost; it says so and goes on. */
    static final class LostLine extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostLine(String message) {
            super(message);
        }
    }

    // snippet:finder-with-cleanup
    /** {@link #finder} that survives a {@link LostLine} thrown in, and cleans up when closed. */
    static Generator<Void, String, Void> carefulFinder(String x, PrintStream out) {
        return Generator.of(y -> {
            try {
                while (true) {
                    try {
                        String inputText = y.yield(null);
                        if (inputText.contains(x)) {
                            out.println(inputText);
                        }
                    } catch (LostLine e) {
                        out.println("  [finder] a line was lost: " + e.getMessage());
                    }
                }
            } catch (GeneratorExit e) {
                out.println("  [finder] closed: cleaning up");
                throw e;
            }
        });
    }
    // end-snippet

    static void run(PrintStream out) {
        // snippet:priming
        Generator<Void, String, Void> f = finder("python", out);
        try {
            f.send("I love python");
        } catch (IllegalStateException e) {
            out.println("send before next: " + e.getMessage());
        }
        f.next();                       // priming: runs the body up to its first yield
        f.send("I love python");
        f.send("I love Java");          // no "python" in it: prints nothing
        f.send("python, Java, both");
        // end-snippet

        out.println("send(null) primes a new finder just as next() does:");
        // snippet:send-null
        Generator<Void, String, Void> g = finder("python", out);
        g.send(null);
        g.send("sent to a finder primed with send(null): python");
        // end-snippet

        out.println("throwInto and close:");
        // snippet:throw-close
        Generator<Void, String, Void> h = carefulFinder("python", out);
        h.next();
        h.throwInto(new LostLine("line 42"));   // raised at the yield, caught in the body
        h.send("still finding python after the throw");
        h.close();                              // GeneratorExit at the yield
        out.println("after close() the finder is " + h.state());
        // end-snippet

        out.println("an exception the body does not catch comes back out of throwInto:");
        // snippet:throw-uncaught
        Generator<Void, String, Void> k = finder("python", out);
        k.next();
        try {
            k.throwInto(new IllegalArgumentException("not a line of text"));
        } catch (IllegalArgumentException e) {
            out.println("throwInto raised " + e.getMessage() + "; the finder is " + k.state());
        }
        // end-snippet
    }
}
