package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an idle streams server connection keeps, checked without timing. Its handler task waits in
 * {@code readLine()}, and a suspended task keeps every frame between its entry and the suspension point (on
 * the continuation engine, in its stack chunk: about 100 bytes per frame while the code is interpreted, the
 * largest part of an idle connection's heap; benchmarks/idle/run.sh measures it). These tests pin that
 * chain of frames, so that a wrapper lambda or an extra helper on the read path shows up here first.
 */
class IdleConnectionTest {
    /** The frames, innermost last, from the task's entry to the first engine frame, "Class.method". */
    private static List<String> taskFrames(Task<?> task) {
        StackTraceElement[] stack = task.getStack();
        List<String> out = new ArrayList<>();
        boolean inTask = false;
        for (int i = stack.length - 1; i >= 0; i--) {
            String c = stack[i].getClassName();
            String frame = c.substring(c.lastIndexOf('.') + 1) + "." + stack[i].getMethodName();
            if (frame.equals("Task$Body.run")) {
                inTask = true;
            } else if (inTask && c.startsWith("dev.asyncio.internal.")) {
                break;          // the engine's suspension: Fiber.suspendTask and below it
            }
            if (inTask) {
                out.add(frame);
            }
        }
        return out;
    }

    /** What a test checks on the idle server connection: its handler task and the client's end. */
    private interface Check {
        void check(Task<?> handlerTask, Connection client) throws Exception;
    }

    /**
     * Runs {@code check} while a server connection's handler waits in {@code readLine()}; then the client
     * closes, the handler reads EOF and ends, and the server closes, whatever the check did.
     */
    private static void whileIdle(Check check) throws Exception {
        Future<Task<?>> handlerTask = new Future<>();
        Server server = Streams.startServer((r, w) -> {
            handlerTask.setResult(Asyncio.currentTask());
            r.readLine();
        }, "127.0.0.1", 0);
        try {
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            Task<?> task = handlerTask.await();       // it set this, then went on into readLine() and suspended
            try {
                check.check(task, c);
            } finally {
                c.writer().close();
                task.await();
            }
        } finally {
            server.close();
            server.waitClosed();
        }
    }

    @AsyncTest
    void anIdleHandlerIsSuspendedInReadLineWithNoAdapterFrames() throws Exception {
        whileIdle((task, client) -> {
            List<String> frames = taskFrames(task);
            assertTrue(frames.size() > 2 && frames.get(2).contains("lambda$"), frames.toString());
            frames.set(2, "handler");
            assertEquals(List.of("Task$Body.run", "StreamReaderProtocol.run", "handler", "StreamReader.readLine",
                    "StreamReader.readUntil", "StreamReader.waitForData", "Future.await", "Task.awaitFuture"), frames,
                    "from the task's entry to the engine's suspension: " + Arrays.toString(task.getStack()));
        });
    }

    @AsyncTest
    void theHandlerTaskIsNamedAfterThePeerWithoutKeepingTheName() throws Exception {
        whileIdle((task, client) -> {
            String expected = "connection from " + client.writer().getExtraInfo("sockname");
            assertEquals(expected, task.getName());
            assertTrue(task.toString().contains("name='" + expected + "'"), task.toString());
            client.writer().close();
            task.await();
            assertEquals(expected, task.getName(), "the same name once the connection is gone");
        });
    }
}
