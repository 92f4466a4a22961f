package dev.asyncio.test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asserts that a test's steps happen in exactly the order numbered, the way kotlinx.coroutines'
 * {@code TestBase} does: each point of interest calls {@link #expect(int)} with the next number, and the
 * last one calls {@link #finish(int)}.
 *
 * <pre>{@code
 * OrderedSteps steps = new OrderedSteps();
 * Asyncio.run(() -> {
 *     steps.expect(1);
 *     Task<?> t = Asyncio.createTask(() -> steps.expect(3));
 *     steps.expect(2);
 *     t.await();
 *     steps.finish(4);
 * });
 * steps.assertFinished();
 * }</pre>
 *
 * <p>A failed expectation throws an {@link AssertionError} where it happens and is also remembered, so that
 * {@link #assertFinished()} rethrows it even if it was thrown inside a task nobody awaited.
 */
public final class OrderedSteps {
    private final AtomicInteger step = new AtomicInteger();
    private final AtomicReference<AssertionError> firstError = new AtomicReference<>();
    private volatile boolean finished;

    /** Records step {@code index}; it must be exactly one more than the last step recorded. */
    public void expect(int index) {
        if (finished) {
            fail("Step " + index + " happened after finish(" + step.get() + ")");
        }
        int previous = step.getAndSet(index);
        if (previous + 1 != index) {
            fail("Expected step " + (previous + 1) + " next, but step " + index + " happened");
        }
    }

    /** Records the last step. */
    public void finish(int index) {
        expect(index);
        finished = true;
    }

    /** Fails: the caller's line must not be reached. */
    public void expectUnreached() {
        fail("This line should not be reached (last step was " + step.get() + ")");
    }

    /** The last step recorded. */
    public int current() {
        return step.get();
    }

    /** The first expectation that failed, or {@code null}. */
    AssertionError firstError() {
        return firstError.get();
    }

    /** Rethrows the first failed expectation, and fails if {@link #finish(int)} was never reached. */
    public void assertFinished() {
        AssertionError e = firstError.get();
        if (e != null) {
            throw e;
        }
        if (!finished) {
            throw new AssertionError("finish() was never reached; last step was " + step.get());
        }
    }

    private void fail(String message) {
        AssertionError e = new AssertionError(message);
        firstError.compareAndSet(null, e);
        throw e;
    }
}
