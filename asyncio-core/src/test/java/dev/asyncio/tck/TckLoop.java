package dev.asyncio.tck;

import dev.asyncio.AsyncLoop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real-time loop running on a thread of its own for the Reactive Streams TCK, whose threads subscribe,
 * request and cancel from outside the loop. What the loop's exception handler receives is kept for the
 * verifications to check.
 */
final class TckLoop implements AutoCloseable {
    final AsyncLoop loop = AsyncLoop.create();
    final List<Map<String, Object>> reports = new CopyOnWriteArrayList<>();
    private final Thread thread;

    TckLoop(String name) {
        loop.setExceptionHandler((l, c) -> reports.add(c));
        thread = Thread.ofPlatform().name(name).daemon().start(() -> {
            try {
                loop.runForever();
            } finally {
                loop.close();
            }
        });
    }

    @Override
    public void close() {
        loop.callSoonThreadsafe(loop::stop);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
