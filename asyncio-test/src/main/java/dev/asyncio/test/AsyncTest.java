package dev.asyncio.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A JUnit 5 test whose body runs as a coroutine, in a task on a fresh {@link dev.asyncio.AsyncLoop}:
 * the body may call {@code Asyncio.sleep}, await futures, create tasks.
 *
 * <pre>{@code
 * @AsyncTest
 * void sleepsOnVirtualTime(AsyncLoop loop) {
 *     Asyncio.sleep(3600);                     // returns at once
 *     assertEquals(3600.0, loop.time());
 * }
 * }</pre>
 *
 * <p>The loop runs on virtual time unless {@link #realTime()} is set, and in debug mode unless
 * {@link #debug()} is cleared; the test's task (named "test " and the method's name) starts with an empty
 * {@link dev.asyncio.Context}. The test fails when:
 * <ul>
 *   <li>the body throws (the same exception is reported);</li>
 *   <li>it runs longer than {@link #timeout()} seconds of real time: its task is cancelled and the failure
 *       lists the tasks still pending and where each is suspended. A test that goes on after the
 *       cancellation is stopped a second later (the loop is stopped); one that blocks the loop thread
 *       instead of suspending is interrupted, and the failure shows where the thread is;</li>
 *   <li>it ends while tasks it created are still running: they are listed with where they wait, then
 *       cancelled (a few times, for a few seconds at most; tasks that swallow every cancellation are
 *       abandoned and named as such);</li>
 *   <li>the loop reports an error nobody received: a task or future exception never retrieved, an exception
 *       in a callback (replace the handler with {@code loop.setExceptionHandler} to assert on them);</li>
 *   <li>Netty reports a leaked buffer (the detector runs at PARANOID level in this project's builds);</li>
 *   <li>an {@link OrderedSteps} parameter saw a step out of order (the first such step is the failure, even
 *       if it happened in a task whose exception was swallowed), or never reached {@code finish}.</li>
 * </ul>
 * Test methods may take an {@link dev.asyncio.AsyncLoop} (the test's loop) and an {@link OrderedSteps}
 * parameter, besides JUnit's own ({@code TestInfo}, ...). {@code @BeforeEach}/{@code @AfterEach} methods
 * run outside the loop.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(AsyncTestExtension.class)
public @interface AsyncTest {
    /** Run on real time instead of virtual time. */
    boolean realTime() default false;

    /** Run the loop in debug mode (slow-step warnings, monitor checks, creation stacks). */
    boolean debug() default true;

    /** Real-time limit in seconds (positive), after which the test is cancelled and fails. */
    double timeout() default 30;
}
