package dev.asyncio.examples.scheduler;

import dev.asyncio.Generator;
import dev.asyncio.StopIteration;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The map function made cooperative: a generator that yields after each item, stepped by hand and by a
 * runner (seed 004).
 */
public final class AsyncMap {
    private AsyncMap() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    // snippet:map
    static <T, R> List<R> map(Function<T, R> func, Iterable<T> seq) {
        List<R> result = new ArrayList<>();
        for (T item : seq) {
            result.add(func.apply(item));
        }
        return result;
    }
    // end-snippet

    // snippet:async-map
    static <T, R> Generator<Void, Void, List<R>> asyncMap(Function<T, R> func, Iterable<T> seq) {
        return Generator.of(y -> {
            List<R> result = new ArrayList<>();
            for (T item : seq) {
                result.add(func.apply(item));
                y.yield(null);              // give something else the chance to run
            }
            return result;
        });
    }
    // end-snippet

    // snippet:runner
    /** Calls next until StopIteration and returns the generator's result. */
    static <R> R runner(Generator<?, ?, R> gen) {
        while (true) {
            try {
                gen.next();
            } catch (StopIteration stopped) {
                return gen.returnValue();
            }
        }
    }
    // end-snippet

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    static void run(PrintStream out) {
        out.println("map(x -> x + 2, range(3)) = " + map((Integer x) -> x + 2, range(3)));
        // snippet:step
        Generator<Void, Void, List<Integer>> g = asyncMap(x -> {
            out.println("  adding 2 to " + x);
            return x + 2;
        }, range(3));
        out.println("next(g):");
        g.next();
        out.println("next(g):");
        g.next();
        out.println("meanwhile the caller does other work: 5 + 7 = " + (5 + 7));
        out.println("next(g):");
        g.next();
        out.println("next(g):");
        try {
            g.next();
        } catch (StopIteration stopped) {
            out.println("StopIteration, value " + stopped.value());
        }
        // end-snippet
        out.println("runner(asyncMap(x -> x + 2, range(3))) = " + runner(asyncMap((Integer x) -> x + 2, range(3))));
    }
}
