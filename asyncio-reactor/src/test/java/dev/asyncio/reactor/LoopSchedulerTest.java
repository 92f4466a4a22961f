package dev.asyncio.reactor;

import dev.asyncio.Asyncio;

import dev.asyncio.AsyncLoop;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.asyncio.reactor.AsyncReactor.iterate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Reactor Scheduler on an AsyncLoop: publishOn hops onto the loop, timers use the loop clock, disposal rules. */
class LoopSchedulerTest {

    @Test
    void publishOnHopsThePipelineOntoTheLoopThread() throws Exception {
        try (BackgroundLoop bg = new BackgroundLoop(false)) {
            // Where each item is seen: the loop running there (the loop's thread is bg.thread on the continuation
            // engine and a virtual thread of the loop's own on the thread engine).
            List<AsyncLoop> loops = new CopyOnWriteArrayList<>();
            Flux<Integer> f = Flux.range(0, 100).publishOn(LoopScheduler.of(bg.loop)).doOnNext(i -> loops.add(Asyncio.getRunningLoop()));
            StepVerifier.create(f).expectNextCount(100).expectComplete().verify(Duration.ofSeconds(30));
            assertEquals(100, loops.size());
            assertTrue(loops.stream().allMatch(l -> l == bg.loop));
        }
    }

    @Test
    void delaysRunOnTheLoopsVirtualClock() throws Exception {
        try (BackgroundLoop bg = new BackgroundLoop(true)) {
            LoopScheduler s = LoopScheduler.of(bg.loop);
            // three one-hour delays finish at once in real time: the virtual loop clock jumps
            StepVerifier.create(Flux.interval(Duration.ofHours(1), s).take(3).map(i -> s.now(TimeUnit.SECONDS)))
                    .expectNext(3600L, 7200L, 10800L).expectComplete().verify(Duration.ofSeconds(30));
        }
    }

    @AsyncTest
    void aTaskConsumesAPipelinePublishedOnItsOwnLoop(AsyncLoop loop) {
        Thread me = Thread.currentThread();
        List<Integer> got = new java.util.ArrayList<>();
        // snippet:publish-on
        Flux<Integer> onTheLoop = Flux.range(0, 10).publishOn(LoopScheduler.of(loop), 4);
        try (var items = iterate(onTheLoop)) {
            for (int i : items) {
                assertEquals(me, Thread.currentThread());     // signals arrive on the loop thread: no hand-off
                got.add(i);
            }
        }
        // end-snippet
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), got);
    }

    @Test
    void aDisposedSchedulerRejectsWorkAndLeavesTheLoopRunning() throws Exception {
        try (BackgroundLoop bg = new BackgroundLoop(false)) {
            LoopScheduler s = LoopScheduler.of(bg.loop);
            List<String> ran = new CopyOnWriteArrayList<>();
            s.schedule(() -> ran.add("late"), 1, TimeUnit.HOURS);
            var worker = s.createWorker();
            var workerTask = worker.schedule(() -> ran.add("worker, late"), 1, TimeUnit.HOURS);
            s.dispose();
            assertTrue(s.isDisposed());
            assertTrue(worker.isDisposed());
            assertTrue(workerTask.isDisposed(), "disposing the scheduler disposes its workers' work");
            assertThrows(RejectedExecutionException.class, () -> worker.schedule(() -> ran.add("after")));
            assertThrows(RejectedExecutionException.class, () -> s.schedule(() -> ran.add("after")));
            assertFalse(bg.loop.isClosed());
            assertEquals(List.of(), ran);
        }
    }

    @Test
    void onceTheLoopIsClosedTheSchedulerIsDisposedAndRejects() throws Exception {
        BackgroundLoop bg = new BackgroundLoop(false);
        LoopScheduler s = LoopScheduler.of(bg.loop);
        bg.close();
        assertTrue(bg.loop.isClosed());
        assertTrue(s.isDisposed());
        assertThrows(RejectedExecutionException.class, () -> s.schedule(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> s.createWorker().schedule(() -> { }));
        StepVerifier.create(Flux.just(1).publishOn(s)).expectError(RejectedExecutionException.class).verify(Duration.ofSeconds(10));
    }

    @Test
    void disposingAWorkerCancelsItsPendingWork() throws Exception {
        try (BackgroundLoop bg = new BackgroundLoop(false)) {
            LoopScheduler s = LoopScheduler.of(bg.loop);
            var w = s.createWorker();
            List<String> ran = new CopyOnWriteArrayList<>();
            // real time: an hour never passes during the test (on virtual time the loop could tick before dispose)
            var periodic = w.schedulePeriodically(() -> ran.add("tick"), 1, 1, TimeUnit.HOURS);
            w.dispose();
            assertTrue(periodic.isDisposed());
            assertThrows(RejectedExecutionException.class, () -> w.schedule(() -> ran.add("x")));
            // give the loop a step: nothing of the worker runs
            StepVerifier.create(Flux.just(1).publishOn(s)).expectNext(1).expectComplete().verify(Duration.ofSeconds(30));
            assertEquals(List.of(), ran);
        }
    }
}
