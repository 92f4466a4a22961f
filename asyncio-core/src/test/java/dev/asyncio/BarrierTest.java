package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.Barrier: CPython's test_locks.BarrierTests. */
class BarrierTest {
    private static final int N = 5;

    private static <T> List<T> gatherTasks(int n, Coroutine<T> coro) {
        List<Task<T>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(Asyncio.createTask(coro));
        }
        return Asyncio.gather(tasks);
    }

    @AsyncTest
    void partiesMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertThrows(IllegalArgumentException.class, () -> new Barrier(-4));
        assertEquals(N, new Barrier(N).parties());
    }

    @AsyncTest
    void everyTaskGetsADistinctIndexAndTheBarrierEmptiesAfterwards() {
        Barrier barrier = new Barrier(3);
        List<Integer> results = gatherTasks(3, barrier::await);
        List<Integer> sorted = new ArrayList<>(results);
        Collections.sort(sorted);
        assertEquals(List.of(0, 1, 2), sorted);
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
    }

    @AsyncTest
    void aBarrierOfOneNeverSuspends() {
        Barrier barrier = new Barrier(1);
        assertEquals(0, barrier.await());
        assertEquals(0, barrier.await());
        assertEquals(0, barrier.nWaiting());
    }

    @AsyncTest
    void reprFollowsTheStates() {
        Barrier barrier = new Barrier(N);
        assertEquals("<Barrier [filling, waiters:0/5]>", barrier.toString());
        List<Task<Integer>> waiters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiters.add(Asyncio.createTask(barrier::await));
        }
        Asyncio.sleep(0);
        assertEquals("<Barrier [filling, waiters:2/5]>", barrier.toString());
        for (int i = 0; i < 3; i++) {
            waiters.add(Asyncio.createTask(barrier::await));
        }
        Asyncio.sleep(0);
        assertEquals("<Barrier [draining]>", barrier.toString());
        for (int i = 0; i < 2; i++) {
            waiters.add(Asyncio.createTask(barrier::await));
        }
        Asyncio.sleep(0);
        barrier.reset();
        assertEquals("<Barrier [resetting]>", barrier.toString());
        for (int i = 0; i < 2; i++) {
            waiters.add(Asyncio.createTask(barrier::await));
        }
        Asyncio.sleep(0);
        barrier.abort();
        assertEquals("<Barrier [broken]>", barrier.toString());
        assertTrue(barrier.broken());
        List<Object> outcomes = Asyncio.gather(true, waiters);
        long broken = outcomes.stream().filter(o -> o instanceof BrokenBarrierError).count();
        assertEquals(4, broken, "the 4 tasks of the second round were broken");
    }

    @AsyncTest
    void fillingTaskByTaskReleasesTheRoundWithTheLast() {
        Barrier barrier = new Barrier(3);
        Task<Integer> t1 = Asyncio.createTask(barrier::await);
        Asyncio.sleep(0);
        assertEquals(1, barrier.nWaiting());
        Task<Integer> t2 = Asyncio.createTask(barrier::await);
        Asyncio.sleep(0);
        assertEquals(2, barrier.nWaiting());
        Task<Integer> t3 = Asyncio.createTask(barrier::await);
        Asyncio.sleep(0);
        Asyncio.wait(List.of(t1, t2, t3));
        assertEquals(List.of(0, 1, 2), List.of(t1.result(), t2.result(), t3.result()));
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
    }

    @AsyncTest
    void tasksPassTheBarrierTwice() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results = new ArrayList<>();
        gatherTasks(N, () -> {
            barrier.await();
            results.add(true);
            barrier.await();
            results.add(false);
            return null;
        });
        assertEquals(N * 2, results.size());
        assertEquals(N, results.stream().filter(b -> b).count());
        assertEquals(List.of(true, true, true, true, true), results.subList(0, N), "nobody passes the second round early");
    }

    @AsyncTest
    void theBarrierDrainsUntilTheLastTaskOfTheRoundHasLeft() {
        Barrier barrier = new Barrier(N);
        List<Boolean> draining = new ArrayList<>();
        gatherTasks(N, () -> {
            barrier.await();
            draining.add(barrier.toString().contains("draining"));
            return null;
        });
        assertEquals(List.of(true, true, true, true, false), draining);
    }

    @AsyncTest
    void tasksArrivingWhileARoundDrainsWaitForTheNextRound() {
        // CPython test_blocking_tasks_while_draining.
        int rewait = 2;
        Barrier barrier = new Barrier(N);
        Barrier others = new Barrier(N - rewait);
        int[] rewaitLeft = {rewait};
        gatherTasks(N, () -> {
            barrier.await();
            if (rewaitLeft[0] > 0) {
                rewaitLeft[0]--;
                barrier.await();
            } else {
                others.await();
                barrier.await();
            }
            return null;
        });
        assertEquals(0, barrier.nWaiting());
    }

    @AsyncTest
    void aCancelledWaiterLeavesAndAnotherTaskTakesItsPlace() {
        Barrier barrier = new Barrier(3);
        List<Boolean> results = new ArrayList<>();
        Coroutine<Void> coro = () -> {
            barrier.await();
            results.add(true);
            return null;
        };
        Task<Void> t1 = Asyncio.createTask(coro);
        Asyncio.sleep(0);
        Task<Void> t2 = Asyncio.createTask(coro);
        Asyncio.sleep(0);
        assertEquals(2, barrier.nWaiting());
        t1.cancel();
        Asyncio.sleep(0);
        assertEquals(1, barrier.nWaiting());
        assertThrows(CancelledError.class, t1::await);
        Task<Void> t3 = Asyncio.createTask(coro);
        Asyncio.sleep(0);
        assertEquals(2, barrier.nWaiting());
        Task<Void> t4 = Asyncio.createTask(coro);
        Asyncio.gather(t2, t3, t4);
        assertEquals(3, results.size());
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
    }

    @AsyncTest
    void aTaskCancelledWhileWaitingForTheRoundToDrainLeavesNoTrace(OrderedSteps steps) {
        Barrier barrier = new Barrier(2);
        Task<Integer> a = Asyncio.createTask(barrier::await);
        Task<Integer> b = Asyncio.createTask(barrier::await);
        Asyncio.sleep(0);                       // a waits, b releases the round: draining while a leaves
        assertEquals("<Barrier [draining]>", barrier.toString());
        Task<Integer> late = Asyncio.createTask(() -> {
            steps.expect(1);
            try {
                return barrier.await();         // blocked: the previous round is still leaving
            } catch (CancelledError e) {
                steps.expect(2);
                throw e;
            }
        });
        Asyncio.sleep(0);
        late.cancel();
        assertThrows(CancelledError.class, late::await);
        assertEquals(List.of(0, 1), List.of(a.await(), b.await()));
        assertEquals("<Barrier [filling, waiters:0/2]>", barrier.toString());
        Task<Integer> c = Asyncio.createTask(barrier::await);
        assertEquals(0, barrier.await(), "the next round fills normally (this task arrives first)");
        assertEquals(1, c.await());
        steps.finish(3);
    }

    @AsyncTest
    void resetOfAnEmptyBarrierChangesNothing() {
        Barrier barrier = new Barrier(1);
        barrier.reset();
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
    }

    @AsyncTest
    void resetBreaksTheWaitingTasksAndTheBarrierFillsAgain() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results = new ArrayList<>();
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < N - 1; i++) {
            tasks.add(Asyncio.createTask(() -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    assertEquals("Abort or reset of barrier", e.getMessage());
                    results.add(true);
                }
            }));
        }
        Asyncio.sleep(0);
        barrier.reset();
        Asyncio.gather(tasks);
        assertEquals(N - 1, results.size());
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.toString().contains("resetting"));
        assertFalse(barrier.broken());
    }

    @AsyncTest
    void resetWhileHalfTheTasksAreLeavingBreaksOnlyThoseStillWaiting() {
        // CPython test_reset_barrier_when_tasks_half_draining_half_blocking.
        Barrier barrier = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        List<Boolean> results2 = new ArrayList<>();
        int blocking = N / 2;
        int[] count = {0};
        gatherTasks(N, () -> {
            try {
                barrier.await();
            } catch (BrokenBarrierError e) {
                results1.add(true);
                barrier.await();
                return null;
            }
            count[0]++;
            if (count[0] > blocking) {
                barrier.reset();
                barrier.await();
            } else {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results2.add(true);
                }
            }
            return null;
        });
        assertEquals(Collections.nCopies(blocking, true), results1);
        assertEquals(List.of(), results2);
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
    }

    @AsyncTest
    void resetWhileTheRoundDrainsLetsTheNextRoundsComplete() {
        // CPython test_reset_barrier_while_tasks_draining.
        Barrier barrier = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        List<Boolean> results2 = new ArrayList<>();
        List<Boolean> results3 = new ArrayList<>();
        int[] count = {0};
        gatherTasks(N, () -> {
            barrier.await();
            count[0]++;
            if (count[0] == N) {
                barrier.reset();
                barrier.await();
            } else {
                try {
                    barrier.await();
                    results1.add(true);
                } catch (BrokenBarrierError e) {
                    results2.add(true);
                }
            }
            barrier.await();
            results3.add(true);
            return null;
        });
        assertFalse(barrier.broken());
        assertEquals(N - 1, results1.size());
        assertEquals(0, results2.size());
        assertEquals(N, results3.size());
        assertEquals(0, barrier.nWaiting());
    }

    @AsyncTest
    void abortBreaksWaitersAndLaterArrivals() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        List<Boolean> results2 = new ArrayList<>();
        int blocking = N / 2;
        int[] count = {0};
        gatherTasks(N, () -> {
            try {
                barrier.await();
            } catch (BrokenBarrierError e) {
                results1.add(true);
                return null;
            }
            count[0]++;
            if (count[0] > blocking) {
                barrier.abort();
            } else {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results2.add(true);
                }
            }
            return null;
        });
        assertTrue(barrier.broken());
        assertEquals(Collections.nCopies(blocking, true), results1);
        assertEquals(Collections.nCopies(N - blocking - 1, true), results2);
        assertEquals(0, barrier.nWaiting());
        BrokenBarrierError e = assertThrows(BrokenBarrierError.class, barrier::await);
        assertEquals("Barrier aborted", e.getMessage());
    }

    @AsyncTest
    void abortOnAnExceptionThenResetRepairsTheBarrier() {
        // CPython test_abort_barrier_when_exception_then_resetting.
        Barrier barrier1 = new Barrier(N);
        Barrier barrier2 = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        List<Boolean> results2 = new ArrayList<>();
        List<Boolean> results3 = new ArrayList<>();
        Function<Integer, Boolean> middle = i -> i == N / 2;
        gatherTasks(N, () -> {
            try {
                int i = barrier1.await();
                if (middle.apply(i)) {
                    throw new IllegalStateException("fail in the middle");
                }
                barrier1.await();
                results1.add(true);
            } catch (BrokenBarrierError e) {
                results2.add(true);
            } catch (IllegalStateException e) {
                barrier1.abort();
            }
            int i = barrier2.await();
            if (middle.apply(i)) {
                barrier1.reset();
            }
            barrier2.await();
            barrier1.await();
            results3.add(true);
            return null;
        });
        assertFalse(barrier1.broken());
        assertEquals(0, results1.size());
        assertEquals(N - 1, results2.size());
        assertEquals(N, results3.size());
        assertEquals(0, barrier1.nWaiting());
    }
}
