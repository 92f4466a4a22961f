package dev.asyncio.reactor;

import dev.asyncio.AsyncLoop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loop running on a thread of its own, for tests where the test thread blocks (StepVerifier.verify):
 * virtual time unless asked otherwise. What its exception handler receives is kept.
 */
final class BackgroundLoop implements AutoCloseable {
    final AsyncLoop loop;
    final List<Map<String, Object>> reports = new CopyOnWriteArrayList<>();
    final Thread thread;

    BackgroundLoop(boolean virtualTime) {
        loop = AsyncLoop.builder().virtualTime(virtualTime).build();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        thread = Thread.ofPlatform().name("background-loop").daemon().start(() -> {
            try {
                loop.runForever();
            } finally {
                loop.close();
            }
        });
    }

    @Override
    public void close() {
        if (!loop.isClosed()) {
            loop.callSoonThreadsafe(loop::stop);
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
