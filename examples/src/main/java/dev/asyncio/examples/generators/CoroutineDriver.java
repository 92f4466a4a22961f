package dev.asyncio.examples.generators;

import dev.asyncio.Asyncio;
import dev.asyncio.Generator;
import dev.asyncio.StopIteration;

import java.io.PrintStream;

/**
 * Coroutines driven by hand with {@code send(null)} and {@code StopIteration.value}, then by
 * {@code Asyncio.run} (seed 001).
 *
 * <p>The {@code run} function is the one of the asyncio foundations video, which drives native
 * coroutines this way.
 */
public final class CoroutineDriver {
    private CoroutineDriver() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    static String greet(String name) {
        return "Hello, " + name;
    }

    // snippet:greet-coroutine
    /** {@code async def greet(name): return "Hello, " + name}, as a generator that never yields. */
    static Generator<Void, Void, String> greetCoroutine(String name) {
        return Generator.of(y -> "Hello, " + name);
    }
    // end-snippet

    // snippet:run
    /** Drives {@code coro} to its end and returns what it returned: {@code StopIteration.value}. */
    static <R> R run(Generator<?, Void, R> coro) {
        try {
            while (true) {
                coro.send(null);
            }
        } catch (StopIteration end) {
            @SuppressWarnings("unchecked")
            R value = (R) end.value();
            return value;
        }
    }
    // end-snippet

    // snippet:fib-coroutine
    /** {@code async def fib(n)}: awaits its two sub-coroutines with {@code yieldFrom}. */
    static Generator<Void, Void, Integer> fib(int n) {
        return Generator.of(y -> n <= 1 ? n : y.yieldFrom(fib(n - 1)) + y.yieldFrom(fib(n - 2)));
    }
    // end-snippet

    // snippet:fib-plain
    /** The same with this framework: a coroutine is a method, and awaiting one is calling it. */
    static int fibAsync(int n) {
        return n <= 1 ? n : fibAsync(n - 1) + fibAsync(n - 2);
    }
    // end-snippet

    static void run(PrintStream out) {
        out.println("greet(\"Python\") = " + greet("Python"));
        // snippet:send-null
        Generator<Void, Void, String> g = greetCoroutine("Python");
        out.println("greetCoroutine(\"Python\") is a generator in state " + g.state());
        try {
            g.send(null);
        } catch (StopIteration end) {
            out.println("send(null) -> StopIteration, value: " + end.value());
        }
        // end-snippet
        out.println("run(greetCoroutine(\"Python\")) = " + run(greetCoroutine("Python")));
        out.println("run(fib(15)) = " + run(fib(15)));
        // snippet:asyncio-run
        String greeting = Asyncio.run(() -> greet("Python"));
        int fib15 = Asyncio.run(() -> fibAsync(15));
        // end-snippet
        out.println("Asyncio.run(() -> greet(\"Python\")) = " + greeting);
        out.println("Asyncio.run(() -> fibAsync(15)) = " + fib15);
    }
}
