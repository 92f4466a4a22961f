package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.Task: creation, results, names, the task registry; the behaviour of CPython's test_tasks. */
class TaskTest {
    @AsyncTest
    void taskRunsOnlyWhenTheCreatorSuspends(OrderedSteps steps) {
        Task<String> t = Asyncio.createTask(() -> {
            steps.expect(2);
            return "done";
        });
        steps.expect(1);
        assertFalse(t.done());
        assertEquals("done", t.await());
        steps.finish(3);
    }

    @AsyncTest
    void resultAndExceptionPassThroughAwaitAsTheSameInstance() {
        Task<Integer> ok = Asyncio.createTask(() -> 42);
        assertEquals(42, ok.await());
        IOException checked = new IOException("checked");
        Task<Integer> bad = Asyncio.createTask(() -> {
            throw checked;
        });
        Exception e = assertThrows(Exception.class, bad::await);
        assertSame(checked, e);
        assertSame(checked, bad.exception());
        Error error = new StackOverflowError("error too");
        Task<Void> worse = Asyncio.createTask(() -> {
            throw error;
        });
        assertSame(error, assertThrows(StackOverflowError.class, worse::await));
    }

    @AsyncTest
    void tasksAreNamedTaskNUnlessNamed() {
        Task<Void> a = Asyncio.createTask(() -> { });
        Task<Void> b = Asyncio.createTask(() -> { }, "worker");
        assertTrue(a.getName().matches("Task-\\d+"), a.getName());
        assertEquals("worker", b.getName());
        b.setName("renamed");
        assertEquals("renamed", b.getName());
        assertThrows(IllegalArgumentException.class, () -> b.setName(null));
        long first = Long.parseLong(a.getName().substring(5));
        Task<Void> c = Asyncio.createTask(() -> { });
        assertEquals("Task-" + (first + 2), c.getName(), "every task takes a number, named or not");
        Asyncio.gather(a, b, c);
    }

    @AsyncTest
    void tasksRefuseSetResultAndSetException() {
        Task<String> t = Asyncio.createTask(() -> "x");
        assertThrows(IllegalStateException.class, () -> t.setResult("y"));
        assertThrows(IllegalStateException.class, () -> t.setException(new RuntimeException()));
        assertEquals("x", t.await());
    }

    @AsyncTest
    void aTaskCannotAwaitItself() {
        Task<?>[] self = new Task<?>[1];
        Task<Object> t = Asyncio.createTask(() -> self[0].await());
        self[0] = t;
        IllegalStateException e = assertThrows(IllegalStateException.class, t::await);
        assertTrue(e.getMessage().contains("cannot await on itself"), e.getMessage());
    }

    @AsyncTest
    void currentTaskIsTheTaskBeingStepped() {
        Task<?> me = Asyncio.currentTask();
        assertTrue(me.getName().startsWith("test "), me.getName());
        Task<Task<?>> child = Asyncio.createTask(Asyncio::currentTask);
        assertSame(child, child.await());
        List<Task<?>> inCallback = new ArrayList<>();
        Asyncio.getRunningLoop().callSoon(() -> inCallback.add(Asyncio.currentTask()));
        Asyncio.sleep(0);
        assertEquals(Arrays.asList((Task<?>) null), inCallback, "a plain callback runs in no task");
    }

    @org.junit.jupiter.api.Test
    void currentTaskOutsideALoopIsNull() {
        assertNull(Asyncio.currentTask());
        assertThrows(IllegalStateException.class, Asyncio::allTasks);
    }

    @AsyncTest
    void allTasksListsTheTasksNotDone() {
        Task<Void> sleeper = Asyncio.createTask(() -> Asyncio.sleep(10));
        Task<Void> quick = Asyncio.createTask(() -> { });
        assertTrue(Asyncio.allTasks().containsAll(List.of(Asyncio.currentTask(), sleeper, quick)));
        quick.await();
        assertFalse(Asyncio.allTasks().contains(quick));
        assertTrue(Asyncio.allTasks().contains(sleeper));
        sleeper.await();
        assertEquals(1, Asyncio.allTasks().size());
    }

    @AsyncTest
    void aTaskNobodyReferencesStillRunsToCompletion() {
        List<String> log = new ArrayList<>();
        WeakReference<Task<Void>> ref = new WeakReference<>(Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            log.add("finished");
        }));
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        Asyncio.sleep(2);
        assertEquals(List.of("finished"), log, "the loop holds pending tasks strongly");
        assertNull(Asyncio.allTasks().stream().filter(t -> t == ref.get()).findAny().orElse(null));
    }

    @AsyncTest
    void doneCallbacksOfATaskSeeItsOutcome() {
        Task<String> t = Asyncio.createTask(() -> "v");
        List<String> seen = new ArrayList<>();
        t.addDoneCallback(f -> seen.add(f.result()));
        t.await();
        Asyncio.sleep(0);
        assertEquals(List.of("v"), seen);
    }

    @AsyncTest
    void getStackShowsWhereASuspendedTaskWaits() {
        Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(5), "sleeper");
        assertEquals(0, t.getStack().length, "not started yet");
        Asyncio.sleep(0);
        StackTraceElement[] stack = t.getStack();
        assertTrue(Arrays.stream(stack).anyMatch(f -> f.getClassName().equals(TaskTest.class.getName())),
                Arrays.toString(stack));
        assertEquals(0, Asyncio.currentTask().getStack().length, "a running task has no suspended stack");
        t.cancel();
        assertThrows(CancelledError.class, t::await);
        assertEquals(0, t.getStack().length);
    }

    @AsyncTest
    void awaitingAFutureOfAnotherLoopIsRefused() {
        AsyncLoop other = AsyncLoop.builder().virtualTime(true).build();
        try {
            Future<String> foreign = other.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class, foreign::await);
            assertTrue(e.getMessage().contains("different loop"), e.getMessage());
        } finally {
            other.close();
        }
    }

    @AsyncTest
    void createTaskRejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> Asyncio.createTask((Coroutine<Object>) null));
    }

    @AsyncTest
    void toStringShowsNameStateAndWhatItWaitsFor() {
        Future<String> f = new Future<>();
        Task<String> t = Asyncio.createTask(f::await, "waiter");
        assertEquals("<Task pending name='waiter'>", t.toString());
        Asyncio.sleep(0);
        assertEquals("<Task pending name='waiter' wait_for=Future>", t.toString());
        f.setResult("r");
        t.await();
        assertEquals("<Task finished name='waiter' result=r>", t.toString());
    }

    @org.junit.jupiter.api.Test
    void aTaskExceptionNeverRetrievedIsReportedWithTheTaskAndItsCreationStackInDebugMode() {
        List<Map<String, Object>> reports = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("nobody looked");
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).debug(true).build()) {
            loop.setExceptionHandler((l, context) -> reports.add(context));
            loop.runUntilComplete(() -> {
                Asyncio.createTask(() -> {
                    throw boom;
                }, "careless");
                Asyncio.sleep(1);
            });
        }
        assertEquals(1, reports.size());
        Map<String, Object> report = reports.get(0);
        assertEquals("Task exception was never retrieved", report.get("message"));
        assertSame(boom, report.get("exception"));
        assertTrue(String.valueOf(report.get("future")).contains("careless"), String.valueOf(report.get("future")));
        @SuppressWarnings("unchecked")
        List<StackTraceElement> creation = (List<StackTraceElement>) report.get("source_traceback");
        assertTrue(creation.get(0).getClassName().startsWith(TaskTest.class.getName()), creation.toString());
    }

    @org.junit.jupiter.api.Test
    void closingALoopWithPendingTasksReportsThem() {
        List<Map<String, Object>> reports = new ArrayList<>();
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            loop.setExceptionHandler((l, context) -> reports.add(context));
            loop.runUntilComplete(() -> {
                Asyncio.createTask(() -> Asyncio.sleep(100), "abandoned");
                Asyncio.sleep(1);
            });
        }
        assertEquals(1, reports.size());
        assertEquals("Task was destroyed but it is pending!", reports.get(0).get("message"));
        assertEquals("abandoned", ((Task<?>) reports.get(0).get("task")).getName());
    }
}
