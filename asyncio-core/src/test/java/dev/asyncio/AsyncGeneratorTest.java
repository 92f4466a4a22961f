package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generators whose bodies await (asynchronous generators): the task that drives the generator suspends with
 * it, cancellation reaches the body at its await, and closing one while it is suspended in an await is
 * refused with a clear error. All on virtual time.
 */
class AsyncGeneratorTest {
    private final List<String> trace = new ArrayList<>();

    private static String at(AsyncLoop loop, Object what) {
        return what + "@" + loop.time();
    }

    /** Yields 1, 2, 3, sleeping one second before each. */
    private static Generator<Integer, Void, Void> slowCounter() {
        return Generator.of(y -> {
            for (int i = 1; i <= 3; i++) {
                Asyncio.sleep(1);
                y.yield(i);
            }
            return null;
        });
    }

    @AsyncTest
    void bodyThatSleepsSuspendsTheDrivingTaskAndLetsOthersRun(AsyncLoop loop, OrderedSteps steps) {
        Task<Void> other = Asyncio.createTask(() -> {
            steps.expect(2);
            Asyncio.sleep(0.5);
            steps.expect(3);
        });
        steps.expect(1);
        List<String> got = new ArrayList<>();
        for (int v : slowCounter()) {
            got.add(at(loop, v));
        }
        other.await();
        steps.finish(4);
        assertEquals(List.of("1@1.0", "2@2.0", "3@3.0"), got);
    }

    @AsyncTest
    void bodyRunsInTheDrivingTask() {
        Task<?> main = Asyncio.currentTask();
        Generator<Task<?>, Void, Void> g = Generator.of(y -> {
            y.yield(Asyncio.currentTask());
            Asyncio.sleep(1);
            y.yield(Asyncio.currentTask());
            return null;
        });
        assertSame(main, g.next());
        Task<Task<?>> other = Asyncio.createTask(g::next);
        assertSame(other, other.await(), "whoever calls next() runs the body, awaits included");
    }

    @AsyncTest
    void bodySeesTheContextOfTheTaskThatDrivesIt() {
        ContextVar<String> who = new ContextVar<>("who", "nobody");
        Generator<String, Void, Void> g = Generator.of(y -> {
            while (true) {
                Asyncio.sleep(0);
                y.yield(who.get());
            }
        });
        who.set("main");
        assertEquals("main", g.next());
        Task<String> other = Asyncio.createTask(() -> {
            who.set("other");
            return g.next();
        });
        assertEquals("other", other.await());
        assertEquals("main", g.next());
    }

    @AsyncTest
    void bodyCanAwaitAFutureCompletedByAnotherTask(AsyncLoop loop) {
        Future<String> answer = loop.createFuture();
        Generator<String, Void, Void> g = Generator.of(y -> {
            y.yield("asked");
            y.yield(answer.await());
            return null;
        });
        assertEquals("asked", g.next());
        Asyncio.createTask(() -> {
            Asyncio.sleep(2);
            answer.setResult("42");
        });
        assertEquals("42", g.next());
        assertEquals(2.0, loop.time());
    }

    @AsyncTest
    void delegationWorksWhenTheSubgeneratorAwaits(AsyncLoop loop) {
        Generator<String, Void, Integer> sub = Generator.of(y -> {
            Asyncio.sleep(1);
            y.yield("sub");
            Asyncio.sleep(1);
            return 7;
        });
        Generator<String, Void, Void> outer = Generator.of(y -> {
            y.yield("before");
            int r = y.yieldFrom(sub);
            y.yield("sub returned " + r);
            return null;
        });
        List<String> got = new ArrayList<>();
        for (String s : outer) {
            got.add(at(loop, s));
        }
        assertEquals(List.of("before@0.0", "sub@1.0", "sub returned 7@2.0"), got);
    }

    @AsyncTest
    void cancellingTheDrivingTaskRaisesCancelledErrorInTheBodyAtItsAwait(AsyncLoop loop, OrderedSteps steps) {
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            try {
                y.yield(1);
                steps.expect(3);
                Asyncio.sleep(10);
                steps.expectUnreached();
            } catch (CancelledError e) {
                steps.expect(5);
                trace.add(at(loop, "body got " + e.getMessage()));
                throw e;
            }
            return null;
        });
        Task<Void> driver = Asyncio.createTask(() -> {
            steps.expect(2);
            for (int v : g) {
                trace.add("got " + v);
            }
        });
        steps.expect(1);
        Asyncio.sleep(1);
        steps.expect(4);
        assertEquals(Generator.State.RUNNING, g.state(), "suspended in an await inside its body");
        driver.cancel("stop");
        assertThrows(CancelledError.class, driver::await);
        steps.finish(6);
        assertTrue(driver.cancelled());
        assertEquals(List.of("got 1", "body got stop@1.0"), trace);
        assertEquals(Generator.State.CLOSED, g.state());
        assertThrows(StopIteration.class, g::next);
    }

    @AsyncTest
    void cleanupThatAwaitsStillRunsAfterTheDrivingTaskIsCancelled(AsyncLoop loop) {
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            try {
                Asyncio.sleep(10);
                y.yield(1);
            } finally {
                Asyncio.sleep(1);
                trace.add(at(loop, "cleaned up"));
            }
            return null;
        });
        Task<Integer> driver = Asyncio.createTask(g::next);
        Asyncio.sleep(2);
        driver.cancel();
        assertThrows(CancelledError.class, driver::await);
        assertEquals(List.of("cleaned up@3.0"), trace);
        assertEquals(Generator.State.CLOSED, g.state());
    }

    @AsyncTest
    void cancellationWhileTheSubgeneratorAwaitsUnwindsBothLevels() {
        Generator<Integer, Void, Void> sub = Generator.of(y -> {
            try {
                Asyncio.sleep(10);
                y.yield(1);
            } finally {
                trace.add("sub finally");
            }
            return null;
        });
        Generator<Integer, Void, Void> outer = Generator.of(y -> {
            try {
                y.yieldFrom(sub);
            } finally {
                trace.add("outer finally");
            }
            return null;
        });
        Task<Integer> driver = Asyncio.createTask(outer::next);
        Asyncio.sleep(1);
        driver.cancel();
        assertThrows(CancelledError.class, driver::await);
        assertEquals(List.of("sub finally", "outer finally"), trace);
        assertEquals(Generator.State.CLOSED, sub.state());
        assertEquals(Generator.State.CLOSED, outer.state());
    }

    @AsyncTest
    void closeWhoseFinallyAwaitsSuspendsTheClosingTask(AsyncLoop loop, OrderedSteps steps) {
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            try {
                y.yield(1);
            } finally {
                steps.expect(2);
                Asyncio.sleep(2);
                steps.expect(4);
                trace.add(at(loop, "closed"));
            }
            return null;
        });
        g.next();
        Task<Void> other = Asyncio.createTask(() -> steps.expect(3));
        steps.expect(1);
        g.close();
        steps.finish(5);
        other.await();
        assertEquals(List.of("closed@2.0"), trace);
        assertEquals(Generator.State.CLOSED, g.state());
    }

    @AsyncTest
    void cancellingATaskWhileCloseAwaitsInTheBodysFinallyCancelsTheTask(AsyncLoop loop) {
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            try {
                y.yield(1);
            } finally {
                trace.add(at(loop, "cleanup starts"));
                Asyncio.sleep(5);
                trace.add("cleanup finished");
            }
            return null;
        });
        Task<Void> closer = Asyncio.createTask(() -> {
            g.next();
            g.close();
        });
        Asyncio.sleep(1);
        closer.cancel("hurry");
        CancelledError e = assertThrows(CancelledError.class, closer::await);
        assertEquals("hurry", e.getMessage());
        assertTrue(closer.cancelled());
        assertEquals(List.of("cleanup starts@0.0"), trace);
        assertEquals(Generator.State.CLOSED, g.state());
    }

    @AsyncTest
    void closingAGeneratorSuspendedInAnAwaitOfAnotherTaskIsAClearError(AsyncLoop loop) {
        // snippet:close-running
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            Asyncio.sleep(10);
            y.yield(1);
            return null;
        });
        Task<Integer> driver = Asyncio.createTask(g::next);
        Asyncio.sleep(1);
        IllegalStateException close = assertThrows(IllegalStateException.class, g::close);
        assertTrue(close.getMessage().contains("cannot close a running generator")
                && close.getMessage().contains("cancel that task"), close.getMessage());
        IllegalStateException next = assertThrows(IllegalStateException.class, g::next);
        assertEquals("generator already executing", next.getMessage());
        assertEquals(Generator.State.RUNNING, g.state(), "the refused calls changed nothing");
        assertEquals(1, driver.await());
        assertEquals(10.0, loop.time());
        // end-snippet
        g.close();
        assertEquals(Generator.State.CLOSED, g.state());
    }

    @AsyncTest
    void hasNextOnAGeneratorSuspendedInAnAwaitOfAnotherTaskIsRefused() {
        Generator<Integer, Void, Void> g = slowCounter();
        Task<Integer> driver = Asyncio.createTask(g::next);
        Asyncio.sleep(0.5);
        IllegalStateException e = assertThrows(IllegalStateException.class, g::hasNext);
        assertEquals("generator already executing", e.getMessage());
        assertEquals(1, driver.await());
        assertEquals(2, g.next());
    }

    @AsyncTest
    void twoTasksCanTakeTurnsDrivingOneGenerator(AsyncLoop loop) {
        Generator<Integer, Void, Void> g = slowCounter();
        Task<Integer> first = Asyncio.createTask(g::next);
        assertEquals(1, first.await());
        Task<Integer> second = Asyncio.createTask(g::next);
        assertEquals(2, second.await());
        assertEquals(3, g.next());
        assertEquals(3.0, loop.time());
    }

    @Test
    void awaitingInABodyDrivenOutsideAnyTaskFailsClearly() {
        Generator<Integer, Void, Void> g = slowCounter();
        IllegalStateException e = assertThrows(IllegalStateException.class, g::next);
        assertTrue(e.getMessage().contains("outside a task"), e.getMessage());
        assertEquals(Generator.State.CLOSED, g.state());
    }
}
