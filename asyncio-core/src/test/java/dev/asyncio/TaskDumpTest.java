package dev.asyncio;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TaskDump: who awaits whom through gather, TaskGroup and shield, the stacks, and a dump from another thread. */
class TaskDumpTest {
    /** Completed at t=2 so that the scenario ends; until then the task 'inner' waits for it. */
    private static Future<String> gate;

    // snippet:scenario
    private static Void groupBody(TaskGroup g) {
        g.createTask(TaskDumpTest::fetcher, "fetcher");
        g.createTask(TaskDumpTest::guarded, "guarded");
        Asyncio.sleep(1);
        return null;
    }

    private static List<Integer> fetcher() {
        return Asyncio.gather(Asyncio.createTask(() -> leaf(5), "leaf-a"), Asyncio.createTask(() -> leaf(10), "leaf-b"));
    }

    private static int leaf(int seconds) {
        Asyncio.sleep(seconds);
        return seconds;
    }

    private static String guarded() {
        return Asyncio.shield(Asyncio.createTask(TaskDumpTest::inner, "inner"));
    }

    private static String inner() {
        return gate.await();
    }
    // end-snippet

    /** Runs the scenario on a virtual-time loop and returns the dump taken by a callback at t=0.5. */
    private static TaskDump scenario(boolean debug) {
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).debug(debug).build()) {
            TaskDump[] dump = new TaskDump[1];
            loop.runUntilComplete(loop.createTask(() -> {
                gate = new Future<>();
                AsyncLoop l = Asyncio.getRunningLoop();
                // snippet:of
                l.callLater(0.5, () -> dump[0] = TaskDump.of(l));   // on the loop's thread, between two steps
                // end-snippet
                l.callLater(2, () -> gate.setResult("open"));
                TaskGroup.run(TaskDumpTest::groupBody);
            }, "main"));
            return dump[0];
        }
    }

    @Test
    void psAndPstreeShowTheAwaitChainsThroughTaskGroupGatherAndShield() {
        TaskDump dump = scenario(false);
        String header = dump.loop() + " at 0.500 s: 6 tasks, 0 ready, 4 timers, 0 slow steps, 0 open connections\n";
        assertEquals(header
                + "id  name     state    awaiting                          awaited by             where\n"
                + "#1  main     waiting  sleep until 1.000                                        TaskDumpTest.groupBody\n"
                + "#2  fetcher  waiting  gather(#4 'leaf-a', #5 'leaf-b')  #1 'main' (TaskGroup)  TaskDumpTest.fetcher\n"
                + "#3  guarded  waiting  <Future pending>                  #1 'main' (TaskGroup)  TaskDumpTest.guarded\n"
                + "#4  leaf-a   waiting  sleep until 5.000                 #2 'fetcher' (gather)  TaskDumpTest.leaf\n"
                + "#5  leaf-b   waiting  sleep until 10.000                #2 'fetcher' (gather)  TaskDumpTest.leaf\n"
                + "#6  inner    waiting  <Future pending>                  #3 'guarded' (shield)  TaskDumpTest.inner\n",
                dump.ps());
        assertEquals(header
                + "└── (T) #1 'main' waiting, awaiting sleep until 1.000 at TaskDumpTest.groupBody\n"
                + "    ├── (T) #2 'fetcher' waiting, awaiting gather(#4 'leaf-a', #5 'leaf-b') at TaskDumpTest.fetcher\n"
                + "    │   ├── (T) #4 'leaf-a' waiting, awaiting sleep until 5.000 at TaskDumpTest.leaf\n"
                + "    │   └── (T) #5 'leaf-b' waiting, awaiting sleep until 10.000 at TaskDumpTest.leaf\n"
                + "    └── (T) #3 'guarded' waiting, awaiting <Future pending> at TaskDumpTest.guarded\n"
                + "        └── (T) #6 'inner' waiting, awaiting <Future pending> at TaskDumpTest.inner\n",
                dump.pstree());
    }

    @Test
    void theStackOfASuspendedTaskStartsAtTheLibraryCallItWaitsInAndEndsAtItsBody() {
        TaskDump.TaskInfo leafA = scenario(false).tasks().get(3);
        assertEquals("leaf-a", leafA.name());
        List<String> frames = leafA.stack().stream().map(e -> e.getClassName() + "." + e.getMethodName()).toList();
        assertEquals("dev.asyncio.Asyncio.sleep", frames.get(0), frames.toString());
        assertEquals("dev.asyncio.TaskDumpTest.leaf", frames.get(1), frames.toString());
        assertTrue(frames.get(frames.size() - 1).startsWith("dev.asyncio.TaskDumpTest.lambda$fetcher$"), frames.toString());
        assertEquals(List.of(), leafA.createdAt(), "creation sites are recorded in debug mode only");
        String full = scenario(false).format();
        assertTrue(full.contains("* Task #4 'leaf-a' waiting, awaiting sleep until 5.000\n"
                + "  + awaited by: #2 'fetcher' (gather)\n"
                + "  + stack:\n"
                + "  |   at dev.asyncio.Asyncio.sleep("), full);
    }

    @Test
    void debugModeAddsWhereEachTaskWasCreated() {
        TaskDump.TaskInfo leafA = scenario(true).tasks().get(3);
        assertTrue(leafA.createdAt().get(0).getMethodName().startsWith("fetcher"), leafA.createdAt().toString());
        assertTrue(scenario(true).format().contains("  + created at:\n"));
    }

    @Test
    void aTaskDumpingItselfIsRunningWithItsCurrentStack() {
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            TaskDump dump = loop.runUntilComplete(() -> TaskDump.of(Asyncio.getRunningLoop()));
            TaskDump.TaskInfo self = dump.tasks().get(0);
            assertEquals("running", self.state());
            assertTrue(self.where().startsWith("TaskDumpTest.lambda$aTaskDumpingItselfIsRunningWithItsCurrentStack$"),
                    self.where());
        }
    }

    @Test
    void anotherThreadGetsTheDumpFromTheRunningLoop() throws Exception {
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            java.util.concurrent.CompletableFuture<TaskDump> seen = new java.util.concurrent.CompletableFuture<>();
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    running.await();                                  // not before: an idle loop is read at once
                    // snippet:request
                    TaskDump fromAnotherThread = TaskDump.request(loop).get(30, TimeUnit.SECONDS);
                    // end-snippet
                    seen.complete(fromAnotherThread);
                } catch (Exception e) {
                    seen.completeExceptionally(e);
                }
            });
            loop.runUntilComplete(() -> {
                Future<String> fromOutside = new Future<>();
                loop.markExternal(fromOutside);
                seen.whenComplete((d, e) -> loop.callSoonThreadsafe(() -> fromOutside.setResult("ok")));
                Asyncio.createTask(() -> Asyncio.sleep(Double.POSITIVE_INFINITY), "forever");
                running.countDown();
                fromOutside.await();
            });
            other.join();
            TaskDump dump = seen.get();
            assertEquals(List.of("Task-1:waiting:<Future pending>", "forever:waiting:sleep(inf)"),
                    dump.tasks().stream().map(t -> t.name() + ":" + t.state() + ":" + t.awaiting()).toList());
        }
    }

    @Test
    void aClosedLoopAnswersWithAnError() {
        AsyncLoop loop = AsyncLoop.create();
        loop.close();
        assertTrue(TaskDump.request(loop).isCompletedExceptionally());
    }
}
