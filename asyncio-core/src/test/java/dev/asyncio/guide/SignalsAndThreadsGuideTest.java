package dev.asyncio.guide;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CrossLoopFuture;
import dev.asyncio.Event;
import dev.asyncio.QueueShutDown;
import dev.asyncio.ThreadSafeQueue;
import dev.asyncio.UnixSignal;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code of docs/guides/signals-and-threads.md, run. (Real signals are sent by SignalHandlerTest.) */
class SignalsAndThreadsGuideTest {
    static String serveUntilStopped(Event stop) {
        stop.await();
        return "drained";
    }

    @Test
    void aHandlerTurnsSigtermIntoAnEvent() {
        String result = Asyncio.run(() -> {
            // snippet:sigterm-event
            AsyncLoop loop = Asyncio.getRunningLoop();
            Event stop = new Event();
            loop.addSignalHandler(UnixSignal.SIGUSR1, stop::set); // runs on this loop's thread
            try {
                // ... serve until stop is set; for this test, set it by hand:
                loop.callSoon(stop::set);
                return serveUntilStopped(stop);
            } finally {
                loop.removeSignalHandler(UnixSignal.SIGUSR1);
            }
            // end-snippet
        });
        assertEquals("drained", result);
    }

    @Test
    void aCoroutineOnAnotherLoopIsAwaitedHere() throws Exception {
        CompletableFuture<AsyncLoop> started = new CompletableFuture<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try (AsyncLoop loop = AsyncLoop.create()) {
                started.complete(loop);
                loop.runForever();
            }
        });
        AsyncLoop worker = started.get(30, TimeUnit.SECONDS);
        try {
            String got = Asyncio.run(() -> {
                // snippet:submit
                CrossLoopFuture<String> remote = worker.submit(() -> {
                    Asyncio.sleep(0.01);              // runs on the worker loop
                    return "computed over there";
                });
                return remote.await();                // suspends this task; this loop keeps running
                // end-snippet
            });
            assertEquals("computed over there", got);
            // snippet:submit-from-thread
            String fromThread = worker.submit(() -> "hello").get(); // a plain thread blocks in get()
            // end-snippet
            assertEquals("hello", fromThread);
        } finally {
            worker.callSoonThreadsafe(worker::stop);
            other.join(30_000);
        }
    }

    @Test
    void aThreadFeedsTasksThroughAThreadSafeQueue() throws Exception {
        // snippet:queue
        ThreadSafeQueue<String> lines = new ThreadSafeQueue<>(16);   // at most 16 waiting
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                for (String line : List.of("a", "b", "c")) {
                    lines.putBlocking(line);                         // blocks while full
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lines.shutdown();                                    // the consumers end once it is empty
            }
        });
        List<String> seen = Asyncio.run(() -> {
            List<String> got = new ArrayList<>();
            try {
                while (true) {
                    got.add(lines.get());                            // suspends while empty
                }
            } catch (QueueShutDown end) {
                return got;
            }
        });
        // end-snippet
        reader.join(30_000);
        assertEquals(List.of("a", "b", "c"), seen);
        assertTrue(lines.isShutdown());
    }
}
