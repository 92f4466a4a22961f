package dev.asyncio.test.guide;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Coroutine;
import dev.asyncio.Future;
import dev.asyncio.Queue;
import dev.asyncio.Task;
import dev.asyncio.TaskGroup;
import dev.asyncio.TimeoutError;
import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The code of the guide docs/guides/testing-with-virtual-time.md: every Java block of the guide is a region
 * of this file, so the guide shows tests that compile and pass.
 */
class TestingWithVirtualTimeTest {
    // snippet:retry
    /** Calls {@code attempt} until it succeeds, sleeping 1, 2, 4, ... seconds between tries. */
    static <T> T retry(int tries, Coroutine<T> attempt) throws Exception {
        double delay = 1.0;
        for (int i = 1; ; i++) {
            try {
                return attempt.call();
            } catch (IOException e) {
                if (i == tries) {
                    throw e;
                }
                Asyncio.sleep(delay);
                delay *= 2;
            }
        }
    }
    // end-snippet

    // snippet:retry-test
    @AsyncTest
    void retriesWithExponentialBackoff(AsyncLoop loop) throws Exception {
        List<Double> attempts = new ArrayList<>();
        String result = retry(4, () -> {
            attempts.add(loop.time());
            if (attempts.size() < 4) {
                throw new IOException("flaky");
            }
            return "ok";
        });
        assertEquals("ok", result);
        assertEquals(List.of(0.0, 1.0, 3.0, 7.0), attempts);   // exactly, and in microseconds
    }
    // end-snippet

    // snippet:timeout-test
    @AsyncTest
    void aServerThatNeverAnswersTimesOut(AsyncLoop loop) {
        Future<String> reply = new Future<>();                  // nobody will ever complete it
        assertThrows(TimeoutError.class, () -> Asyncio.waitFor(reply, 30));
        assertEquals(30.0, loop.time());
        assertTrue(reply.cancelled(), "waitFor cancels what it gave up on");
    }
    // end-snippet

    // snippet:steps
    @AsyncTest
    void theConsumerRunsWhenTheProducerSuspends(OrderedSteps steps) {
        Queue<String> queue = new Queue<>();
        Task<Void> consumer = Asyncio.createTask(() -> {
            steps.expect(2);
            String item = queue.get();          // empty: suspends
            steps.expect(4);
            assertEquals("a", item);
        });
        steps.expect(1);
        Asyncio.sleep(0);                       // the consumer runs until it waits
        steps.expect(3);
        queue.put("a");                         // wakes it, but this task goes on ...
        consumer.await();                       // ... until it suspends here
        steps.finish(5);
    }
    // end-snippet

    // snippet:task-group
    @AsyncTest
    void childrenEndWithTheGroup(AsyncLoop loop) {
        List<Integer> done = new ArrayList<>();
        TaskGroup.run(g -> {
            for (int i = 1; i <= 3; i++) {
                int seconds = i;
                g.createTask(() -> {
                    Asyncio.sleep(seconds);
                    done.add(seconds);
                });
            }
            return null;
        });                                     // returns once all three are done
        assertEquals(List.of(1, 2, 3), done);
        assertEquals(3.0, loop.time());
    }
    // end-snippet

    // snippet:expected-errors
    @AsyncTest
    void anErrorInACallbackCanBeAsserted(AsyncLoop loop) {
        List<Throwable> errors = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> errors.add((Throwable) context.get("exception")));
        loop.callSoon(() -> {
            throw new IllegalStateException("bad callback");
        });
        Asyncio.sleep(0);
        assertEquals("bad callback", errors.get(0).getMessage());
    }
    // end-snippet

    // snippet:real-time
    @AsyncTest(realTime = true, timeout = 10)
    void blockingWorkOnAThreadTakesRealTime(AsyncLoop loop) {
        double start = loop.time();
        Asyncio.toThread(() -> {
            Thread.sleep(50);                   // a blocking call, on a virtual thread
            return null;
        });
        assertTrue(loop.time() - start >= 0.05);
    }
    // end-snippet
}
