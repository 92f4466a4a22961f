package dev.asyncio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LoopGroup: N loops on N threads, work handed to a chosen loop, and a close that leaves nothing behind. */
class LoopGroupTest {
    /** The live threads whose name starts with {@code prefix}. */
    static List<String> threadsNamed(String prefix) {
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.isAlive()) {
                out.add(t.getName());
            }
        }
        out.sort(null);
        return out;
    }

    @Test
    void eachLoopRunsOnAThreadOfItsOwnAndRunOnEachReachesEveryLoop() {
        LoopGroup group = LoopGroup.builder().size(3).name("lg-each").build();
        try (group) {
            assertEquals(List.of("lg-each-loop-0", "lg-each-loop-1", "lg-each-loop-2"), threadsNamed("lg-each-"));
            List<CompletableFuture<AsyncLoop>> where = group.runOnEach(() -> {
                Asyncio.sleep(0);
                return Asyncio.getRunningLoop();
            });
            assertEquals(group.loops(), where.stream().map(CompletableFuture::join).toList());
            assertEquals(3, new HashSet<>(group.loops()).size());
        }
        assertEquals(List.of(), threadsNamed("lg-each-"), "close() joined every loop thread");
        assertTrue(group.loops().stream().allMatch(AsyncLoop::isClosed));
    }

    @Test
    void nextGoesRoundTheLoopsAndRunOnRunsOnTheChosenOne() {
        try (LoopGroup group = LoopGroup.builder().size(2).name("lg-next").build()) {
            List<AsyncLoop> picked = List.of(group.next(), group.next(), group.next(), group.next());
            assertEquals(List.of(group.loop(0), group.loop(1), group.loop(0), group.loop(1)), picked);
            AsyncLoop second = group.loop(1);
            assertTrue(second == group.runOn(second, () -> Asyncio.getRunningLoop()).join());
            AtomicInteger ran = new AtomicInteger();
            group.runOn(second, () -> {
                ran.incrementAndGet();
            }).join();
            assertEquals(1, ran.get());
            try (AsyncLoop stranger = AsyncLoop.create()) {
                assertThrows(IllegalArgumentException.class, () -> group.runOn(stranger, () -> 1));
            }
        }
    }

    @Test
    void virtualTimeGroupsJumpTheirClocks() {
        try (LoopGroup group = LoopGroup.builder().size(2).virtualTime(true).name("lg-virtual").build()) {
            List<Double> clocks = group.runOnEach(() -> {
                Asyncio.sleep(3600);
                return Asyncio.getRunningLoop().time();
            }).stream().map(CompletableFuture::join).toList();
            assertEquals(List.of(3600.0, 3600.0), clocks);
        }
    }

    @Test
    void closeCancelsEveryTaskOnEveryLoopAndRunsTheirFinallyBlocks() throws Exception {
        LoopGroup group = LoopGroup.builder().size(2).name("lg-close").build();
        AtomicInteger cleanedUp = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(4);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(group.runOn(group.next(), () -> {
                try {
                    started.countDown();
                    Asyncio.sleep(3600);
                } finally {
                    Asyncio.sleep(0);           // cleanup that itself suspends still runs
                    // a task started by the cleanup is cancelled and awaited too
                    Asyncio.createTask(() -> {
                        try {
                            Asyncio.sleep(3600);
                        } finally {
                            cleanedUp.incrementAndGet();
                        }
                    });
                    cleanedUp.incrementAndGet();
                }
            }));
        }
        assertTrue(started.await(30, TimeUnit.SECONDS));
        group.close();
        assertEquals(8, cleanedUp.get());
        for (CompletableFuture<Void> f : running) {
            assertThrows(CancellationException.class, f::join);
        }
        assertEquals(List.of(), threadsNamed("lg-close-"));
        assertThrows(IllegalStateException.class, () -> group.runOn(group.loop(0), () -> 1));
        group.close(); // idempotent
    }

    @Test
    void aTaskRefusingCancellationIsGivenUpOnAfterTheTimeoutAndNamedAndNoThreadIsLeft() throws Exception {
        LoopGroup group = LoopGroup.builder().size(2).name("lg-stubborn").shutdownTimeout(0.2).build();
        CountDownLatch started = new CountDownLatch(2);   // both tasks running: a task cancelled before it starts never runs
        AtomicInteger polite = new AtomicInteger();
        group.runOn(group.loop(0), () -> {
            Asyncio.currentTask().setName("stubborn");
            started.countDown();
            while (true) {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError refused) {
                    // swallowed: this task never ends by cancellation
                }
            }
        });
        group.runOn(group.loop(1), () -> {
            try {
                started.countDown();
                Asyncio.sleep(3600);
            } finally {
                polite.incrementAndGet();
            }
        });
        assertTrue(started.await(30, TimeUnit.SECONDS));
        IllegalStateException e = assertThrows(IllegalStateException.class, group::close);
        assertTrue(e.getMessage().contains("lg-stubborn-loop-0: 1 task(s) still pending"), e.getMessage());
        assertTrue(e.getMessage().contains("stubborn"), e.getMessage());
        assertFalse(e.getMessage().contains("lg-stubborn-loop-1"), "the other loop ended cleanly: " + e.getMessage());
        assertEquals(1, polite.get());
        assertEquals(List.of(), threadsNamed("lg-stubborn-"));
        assertTrue(group.loop(0).isClosed());
    }

    @Test
    void closingFromOneOfTheGroupsLoopsIsRefusedInsteadOfWaitingForItself() {
        try (LoopGroup group = LoopGroup.builder().size(1).name("lg-self").build()) {
            CompletableFuture<Void> attempt = group.runOn(group.loop(0), () -> {
                group.close();
            });
            Throwable e = assertThrows(java.util.concurrent.CompletionException.class, attempt::join).getCause();
            assertTrue(e instanceof IllegalStateException && e.getMessage().contains("wait for itself"), String.valueOf(e));
            assertFalse(group.isClosed());
        }
    }

    @Test
    void aGroupThatCannotBeBuiltStartsNoThread() {
        IoTransport unavailable = null;
        for (IoTransport t : IoTransport.values()) {
            if (!t.isAvailable()) {
                unavailable = t;
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(unavailable != null, "every transport is available here");
        IoTransport t = unavailable;
        assertThrows(IllegalStateException.class, () -> LoopGroup.builder().size(2).transport(t).name("lg-none").build());
        assertEquals(List.of(), threadsNamed("lg-none-"));
    }

    @Test
    void badSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LoopGroup.builder().size(0));
        assertThrows(IllegalArgumentException.class, () -> LoopGroup.builder().shutdownTimeout(-1));
        Set<Integer> sizes = new HashSet<>();
        try (LoopGroup g = LoopGroup.create()) {
            sizes.add(g.size());
        }
        assertEquals(Set.of(Runtime.getRuntime().availableProcessors()), sizes);
    }
}
