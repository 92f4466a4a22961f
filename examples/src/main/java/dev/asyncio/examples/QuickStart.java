package dev.asyncio.examples;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;

import java.util.List;

/** The README's first example: two tasks that sleep one second each, gathered in one second. */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        List<String> pages = pages();
        System.out.printf("%s in %.1f s%n", pages, (System.nanoTime() - t0) / 1e9);
    }

    static List<String> pages() {
        // snippet:readme
        List<String> pages = Asyncio.run(() -> {
            Task<String> a = Asyncio.createTask(() -> { Asyncio.sleep(1); return "a"; });
            Task<String> b = Asyncio.createTask(() -> { Asyncio.sleep(1); return "b"; });
            return Asyncio.gather(a, b);          // one second, not two
        });
        // end-snippet
        return pages;
    }
}
