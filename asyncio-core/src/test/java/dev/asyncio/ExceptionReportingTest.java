package dev.asyncio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failure while reporting a failure never ends the loop: the exception handler throwing, the logger behind
 * the default handler throwing (as java.util.logging does when its formatter cannot open {@code tzdb.dat}
 * because the process is out of file descriptors), and Netty's own logging failing inside the I/O loop.
 */
class ExceptionReportingTest {
    /** A log handler that fails on every record, with an Error as the JDK's formatter does. */
    static final class ThrowingHandler extends Handler {
        int published;

        @Override
        public void publish(LogRecord record) {
            published++;
            throw new ExceptionInInitializerError("logging is broken: " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private final List<Logger> broken = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void captureStderr() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
        for (Logger l : broken) {
            for (Handler h : l.getHandlers()) {
                l.removeHandler(h);
            }
            l.setUseParentHandlers(true);
        }
    }

    private ThrowingHandler breakLogging(String loggerName) {
        Logger l = Logger.getLogger(loggerName);
        ThrowingHandler h = new ThrowingHandler();
        h.setLevel(Level.ALL);
        l.addHandler(h);
        l.setUseParentHandlers(false);
        broken.add(l);           // also keeps the configured logger reachable
        return h;
    }

    /** Runs a callback that throws, then two more loop iterations; returns "still running" if the loop went on. */
    private static String runAFailingCallback(AsyncLoop loop) {
        return loop.runUntilComplete(() -> {
            loop.callSoon(() -> {
                throw new IllegalStateException("callback failed");
            });
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            return "still running";
        });
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theDefaultHandlersLoggerFailingDoesNotEndTheLoop() {
        ThrowingHandler log = breakLogging("dev.asyncio");
        try (AsyncLoop loop = AsyncLoop.create()) {
            assertEquals("still running", runAFailingCallback(loop));
        }
        assertTrue(log.published >= 1, "the default handler logged");
        String err = stderr();
        assertTrue(err.contains("dev.asyncio: Exception in default exception handler"), err);
        assertTrue(err.contains("logging is broken"), err);
        assertTrue(err.contains("callback failed"), "the original failure is not lost: " + err);
    }

    @Test
    void aThrowingExceptionHandlerWhoseFallbackLoggerFailsTooDoesNotEndTheLoop() {
        breakLogging("dev.asyncio");
        try (AsyncLoop loop = AsyncLoop.create()) {
            loop.setExceptionHandler((l, context) -> {
                throw new StackOverflowError("handler failed");
            });
            assertEquals("still running", runAFailingCallback(loop));
        }
        String err = stderr();
        assertTrue(err.contains("while handling an unexpected error in custom exception handler"), err);
        assertTrue(err.contains("callback failed"), err);
    }

    @Test
    void nettysLoggingFailingInsideTheIoLoopIsReportedAndTheLoopGoesOn() {
        breakLogging("io.netty");
        List<Map<String, Object>> reported = new ArrayList<>();
        try (AsyncLoop loop = AsyncLoop.create()) {
            loop.setExceptionHandler((l, context) -> reported.add(context));
            String result = loop.runUntilComplete(() -> {
                Future<String> after = loop.createFuture();
                // Netty catches what a task throws and logs it; the log call throws out of the I/O loop.
                loop.ioEventLoop().execute(() -> {
                    throw new IllegalStateException("task failed");
                });
                loop.ioEventLoop().execute(() -> after.setResult("the next task ran"));
                return after.await();
            });
            assertEquals("the next task ran", result);
        }
        assertEquals(1, reported.size(), reported.toString());
        assertEquals("Unexpected error in the I/O loop (NIO)", reported.get(0).get("message"));
        Throwable e = (Throwable) reported.get(0).get("exception");
        assertTrue(e instanceof ExceptionInInitializerError && e.getMessage().contains("A task raised an exception"),
                String.valueOf(e));
    }
}
