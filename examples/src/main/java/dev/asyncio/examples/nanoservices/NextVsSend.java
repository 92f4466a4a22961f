package dev.asyncio.examples.nanoservices;

import dev.asyncio.Generator;
import dev.asyncio.StopIteration;

import java.io.PrintStream;

/**
 * {@code next()} versus {@code send()}: a generator stepped, then a times-five coroutine primed and
 * sent values (seed 002).
 *
 * <p>The coroutine's shorter form stops when it is sent {@code null}.
 */
public final class NextVsSend {
    private NextVsSend() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    // snippet:my-gen
    static Generator<Integer, Void, Void> myGen() {
        return Generator.of(y -> {
            y.yield(1);
            y.yield(2);
            y.yield(3);
            return null;
        });
    }
    // end-snippet

    // snippet:times-five
    /** {@code x = yield x; x *= 5}, forever. */
    static Generator<Integer, Integer, Void> timesFive() {
        return Generator.of(y -> {
            Integer x = null;
            while (true) {
                x = y.yield(x);
                x *= 5;
            }
        });
    }
    // end-snippet

    // snippet:times-five-until-null
    /** {@code while (x := (yield x)): x *= 5}: stops when sent {@code null}. */
    static Generator<Integer, Integer, Void> timesFiveUntilNull() {
        return Generator.of(y -> {
            Integer x = null;
            while ((x = y.yield(x)) != null) {
                x *= 5;
            }
            return null;
        });
    }
    // end-snippet

    static void run(PrintStream out) {
        // snippet:next
        Generator<Integer, Void, Void> g = myGen();
        out.println("the generator is its own iterator: " + (g.iterator() == g));
        out.println("next(g) -> " + g.next());
        out.println("next(g) -> " + g.next());
        out.println("next(g) -> " + g.next());
        try {
            g.next();
        } catch (StopIteration end) {
            out.println("next(g) -> StopIteration");
        }
        // end-snippet

        // snippet:send
        Generator<Integer, Integer, Void> c = timesFive();
        out.println("next(c) -> " + c.next() + " (priming: run to the first yield)");
        out.println("c.send(10) -> " + c.send(10));
        out.println("c.send(23) -> " + c.send(23));
        // end-snippet

        Generator<Integer, Integer, Void> w = timesFiveUntilNull();
        out.println("next(w) -> " + w.next());
        out.println("w.send(7) -> " + w.send(7));
        try {
            w.send(null);
        } catch (StopIteration end) {
            out.println("w.send(null) -> StopIteration: the loop ended and the body returned");
        }
    }
}
