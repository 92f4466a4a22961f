package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Debug mode: slow-step warnings that name the task and where it resumed. */
class DebugModeTest {
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String msg = r.getMessage();
            Object[] params = r.getParameters();
            if (params != null) {
                msg = java.text.MessageFormat.format(msg, params);
            }
            warnings.add(r.getLevel() + " " + msg);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("dev.asyncio").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("dev.asyncio").removeHandler(capture);
    }

    private static void blockTheLoop(long millis) throws InterruptedException {
        Thread.sleep(millis); // what a coroutine must never do: it blocks every other task
    }

    @AsyncTest
    void aSlowStepIsReportedWithTheTaskNameAndWhereItResumed(AsyncLoop loop) {
        loop.setSlowCallbackDuration(0.05);
        Task<Void> slow = Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            blockTheLoop(80);
        }, "slowpoke");
        slow.await();
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.startsWith("WARNING Executing <Task name='slowpoke' resumed at dev.asyncio.DebugModeTest"), w);
        assertTrue(w.contains("DebugModeTest.java:"), w);
        assertTrue(w.matches("(?s).* took 0\\.\\d{3} seconds"), w);
    }

    @AsyncTest
    void aSlowFirstStepSaysTheTaskWasStarting(AsyncLoop loop) {
        loop.setSlowCallbackDuration(0.05);
        Asyncio.createTask(() -> blockTheLoop(80), "eager").await();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("WARNING Executing <Task name='eager' starting> took"), warnings.get(0));
    }

    @AsyncTest
    void aSlowCallbackIsReportedToo(AsyncLoop loop) {
        loop.setSlowCallbackDuration(0.05);
        loop.callSoon(() -> {
            try {
                blockTheLoop(80);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Asyncio.sleep(0);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("WARNING Executing <Handle "), warnings.get(0));
    }

    @AsyncTest(debug = false)
    void withoutDebugModeNothingIsTimed(AsyncLoop loop) throws InterruptedException {
        loop.setSlowCallbackDuration(0.01);
        Asyncio.createTask(() -> blockTheLoop(30)).await();
        assertEquals(List.of(), warnings);
    }

    @Test
    void debugModeIsOffByDefaultAndCanBeSwitched() {
        try (AsyncLoop loop = AsyncLoop.create()) {
            assertEquals(Boolean.getBoolean("dev.asyncio.debug"), loop.getDebug());
            loop.setDebug(true);
            assertTrue(loop.getDebug());
            assertEquals(0.1, loop.slowCallbackDuration());
        }
    }
}
