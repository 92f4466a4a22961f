package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.TaskGroup: CPython's test_taskgroups (3.13 error and cancellation rules) and TaskGroup.cancel() of 3.15. */
@SuppressWarnings("finally") // throwing from finally blocks on purpose, as CPython's tests do
class TaskGroupTest {
    static final class MyExc extends RuntimeException {
        MyExc() {
            super("MyExc");
        }
    }

    private static Set<Class<?>> errorTypes(TaskGroupError e) {
        Set<Class<?>> types = new HashSet<>();
        for (Throwable t : e.exceptions()) {
            types.add(t.getClass());
        }
        return types;
    }

    private static <T> Coroutine<T> after(double seconds, T value) {
        return () -> {
            Asyncio.sleep(seconds);
            return value;
        };
    }

    private static Coroutine<Void> crashAfter(double seconds) {
        return () -> {
            Asyncio.sleep(seconds);
            throw new ArithmeticException("/ by zero after " + seconds);
        };
    }

    /** A child that fails while it is being cancelled (CPython's {@code finally: 1 / 0}). */
    private static Coroutine<Void> crashInCleanup() {
        return () -> {
            try {
                Asyncio.sleep(10);
            } finally {
                throw new ArithmeticException("/ by zero in cleanup");
            }
        };
    }

    // ---------------------------------------------------------------- waiting for children

    @AsyncTest
    void theGroupWaitsForEveryChild(AsyncLoop loop) {
        List<Task<Integer>> tasks = new ArrayList<>();
        TaskGroup.run(g -> {
            tasks.add(g.createTask(after(0.1, 42)));
            tasks.add(g.createTask(after(0.2, 11)));
            return null;
        });
        assertEquals(42, tasks.get(0).result());
        assertEquals(11, tasks.get(1).result());
        assertEquals(0.2, loop.time());
    }

    @AsyncTest
    void childrenCanBeCreatedLaterAndTheBodyResultIsReturned(AsyncLoop loop) {
        String r = TaskGroup.run(g -> {
            Task<Integer> t1 = g.createTask(after(0.1, 42));
            Asyncio.sleep(0.15);
            Task<Integer> t2 = g.createTask(after(0.2, 11));
            return t1.result() + "/" + t2.done();
        });
        assertEquals("42/false", r);
        assertEquals(0.35, loop.time(), 1e-9);
    }

    @AsyncTest
    void aChildCancelledExplicitlyIsNotAFailure() {
        Task<?>[] tasks = new Task<?>[2];
        TaskGroup.run(g -> {
            tasks[0] = g.createTask(after(1, 42));
            Asyncio.sleep(0.15);
            tasks[0].cancel();
            tasks[1] = g.createTask(after(0.2, 11));
            return null;
        });
        assertTrue(tasks[0].cancelled());
        assertEquals(11, tasks[1].result());
    }

    @AsyncTest
    void childrenCreateMoreChildrenUntilTheGroupEnds() {
        // CPython test_taskgroup_24 and _25 (the hydra).
        int[] hydras = {0};
        class Hydra {
            Coroutine<Void> head(TaskGroup g) {
                return () -> {
                    hydras[0]++;
                    Asyncio.sleep(0.01);
                    g.createTask(head(g));
                    g.createTask(head(g));
                    return null;
                };
            }
        }
        TaskGroupError e = assertThrows(TaskGroupError.class, () -> TaskGroup.run(g -> {
            g.createTask(new Hydra().head(g));
            g.createTask(() -> {
                while (hydras[0] < 10) {
                    Asyncio.sleep(0.015);
                }
                throw new ArithmeticException("hercules");
            });
            return null;
        }));
        assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
        assertTrue(hydras[0] >= 10);
    }

    @AsyncTest
    void tasksLeaveTheGroupAsTheyFinish() {
        // CPython test_taskgroup_23, through the group's display.
        TaskGroup.run(g -> {
            for (int count = 0; count < 10; count++) {
                Asyncio.sleep(0.1);
                g.createTask(() -> Asyncio.sleep(0.3));
                if (count == 5) {
                    int running = Integer.parseInt(g.toString().replaceAll("\\D+", ""));
                    assertTrue(running < 5, g.toString());
                }
            }
            Asyncio.sleep(1.35);
            assertEquals("<TaskGroup entered>", g.toString());
            return null;
        });
    }

    @AsyncTest
    void nameAndContextAreGivenToTheChild() {
        ContextVar<Integer> cvar = new ContextVar<>("cvar");
        TaskGroup.run(g -> {
            Task<Void> t = g.createTask(() -> Asyncio.sleep(0), "yolo");
            assertEquals("yolo", t.getName());
            Context ctx = Context.copyCurrent();
            g.createTask(() -> {
                cvar.set(1);
            }, null, ctx).await();
            assertEquals(1, ctx.run(() -> cvar.get(null)));
            assertNull(cvar.get(null), "the group's own context is untouched");
            return null;
        });
    }

    // ---------------------------------------------------------------- failures

    @AsyncTest
    void aFailingChildCancelsItsSiblingsAndTheGroupThrowsEveryFailure(OrderedSteps steps) {
        boolean[] t2Cancelled = {false};
        int[] num = {0};
        Task<?>[] t2 = new Task<?>[1];
        Task<Void> runner = Asyncio.createTask(() -> {
            TaskGroup.run(g -> {
                g.createTask(crashAfter(0.1));
                t2[0] = g.createTask(() -> {
                    try {
                        Asyncio.sleep(1);
                    } catch (CancelledError e) {
                        t2Cancelled[0] = true;
                        throw e;
                    }
                    num[0]++;
                });
                return null;
            });
            num[0] += 10;
        });
        TaskGroupError e = assertThrows(TaskGroupError.class, runner::await);
        assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
        assertEquals(0, num[0]);
        assertTrue(t2Cancelled[0]);
        assertTrue(t2[0].cancelled());
        steps.finish(1);
    }

    @AsyncTest
    void aFailingChildCancelsTheBodyToo(AsyncLoop loop) {
        boolean[] bodyCancelled = {false};
        TaskGroupError e = assertThrows(TaskGroupError.class, () -> TaskGroup.run(g -> {
            g.createTask(crashAfter(0.1));
            g.createTask(crashAfter(0.1));
            g.createTask(crashAfter(0.1));
            g.createTask(() -> Asyncio.sleep(5));
            try {
                Asyncio.sleep(10);
            } catch (CancelledError c) {
                bodyCancelled[0] = true;
                throw c;
            }
            return null;
        }));
        assertEquals(3, e.exceptions().size(), "the three failures, which happened in the same step");
        assertTrue(bodyCancelled[0]);
        assertEquals(0.1, loop.time());
        assertEquals("unhandled errors in a TaskGroup (3 sub-exceptions)", e.getMessage());
        assertEquals(3, e.getSuppressed().length);
    }

    @AsyncTest
    void theCallerGoesOnAfterCatchingTheGroupError(AsyncLoop loop) {
        // The cancellation the group sent to the body is withdrawn: the next sleep is not cancelled.
        assertThrows(TaskGroupError.class, () -> TaskGroup.run(g -> {
            g.createTask(crashAfter(0.1));
            Asyncio.sleep(10);
            return null;
        }));
        assertEquals(0, Asyncio.currentTask().cancelling());
        Asyncio.sleep(1);
        assertEquals(1.1, loop.time(), 1e-9);
    }

    @AsyncTest
    void aFailingBodyCancelsTheChildrenAndIsInTheGroupError() {
        for (boolean sleepFirst : new boolean[]{true, false}) {
            Task<?>[] tasks = new Task<?>[2];
            IllegalStateException boom = new IllegalStateException("body");
            TaskGroupError e = assertThrows(TaskGroupError.class, () -> TaskGroup.run((TaskGroup g) -> {
                tasks[0] = g.createTask(after(1, 42));
                tasks[1] = g.createTask(after(2, 11));
                if (sleepFirst) {
                    Asyncio.sleep(0.1);
                }
                throw boom;
            }));
            assertEquals(List.of(boom), e.exceptions());
            assertTrue(tasks[0].cancelled());
            assertTrue(tasks[1].cancelled());
        }
    }

    @AsyncTest
    void childAndBodyFailuresAreCollectedChildrenFirst() {
        // CPython test_taskgroup_19: the body fails while being cancelled by the failing child.
        MyExc bodyError = new MyExc();
        TaskGroupError e = assertThrows(TaskGroupError.class, () -> TaskGroup.run((TaskGroup g) -> {
            g.createTask(crashAfter(0.1));
            try {
                Asyncio.sleep(10);
            } finally {
                throw bodyError;
            }
        }));
        assertEquals(2, e.exceptions().size());
        assertInstanceOf(ArithmeticException.class, e.exceptions().get(0));
        assertSame(bodyError, e.exceptions().get(1));
    }

    @AsyncTest
    void exceptionsOfTheChildrenAreTheVeryInstancesThrown() {
        Exception checked = new java.io.IOException("checked");
        TaskGroupError e = assertThrows(TaskGroupError.class, () -> TaskGroup.run(g -> {
            g.createTask(() -> {
                throw checked;
            });
            return null;
        }));
        assertSame(checked, e.exceptions().get(0));
    }

    @AsyncTest
    void aChildThatFailsInItsCleanupIsReportedWhenTheBodyFails() {
        TaskGroupError e = assertThrows(TaskGroupError.class, () -> TaskGroup.run((TaskGroup g) -> {
            g.createTask(crashInCleanup());
            Asyncio.sleep(0);
            throw new MyExc();
        }));
        assertInstanceOf(MyExc.class, e.exceptions().get(1));
        assertInstanceOf(ArithmeticException.class, e.exceptions().get(0));
    }

    @AsyncTest
    void noTaskCanBeCreatedOnceAChildFailed() {
        TaskGroupError e = assertThrows(TaskGroupError.class, () -> TaskGroup.run(g -> {
            g.createTask(crashAfter(0.001));
            g.createTask(() -> {
                try {
                    Asyncio.sleep(1);
                } catch (CancelledError c) {
                    IllegalStateException refused = assertThrows(IllegalStateException.class,
                            () -> g.createTask(crashAfter(0)));
                    assertTrue(refused.getMessage().endsWith(" is shutting down"), refused.getMessage());
                }
            });
            return null;
        }));
        assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
    }

    @AsyncTest
    void noTaskCanBeCreatedOnceTheGroupFinished() {
        TaskGroup[] group = new TaskGroup[1];
        TaskGroup.run(g -> {
            group[0] = g;
            return null;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> group[0].createTask(() -> Asyncio.sleep(0)));
        assertEquals("TaskGroup <TaskGroup> is finished", e.getMessage());
    }

    @AsyncTest
    void nestedGroupErrorsNest() {
        // CPython test_taskgroup_14: the inner group fails first; the outer reports the inner's error.
        TaskGroupError e = assertThrows(TaskGroupError.class, () -> TaskGroup.run(g1 -> {
            g1.createTask(crashAfter(10));
            TaskGroup.run(g2 -> {
                g2.createTask(crashAfter(0.1));
                return null;
            });
            return null;
        }));
        assertEquals(Set.of(TaskGroupError.class), errorTypes(e));
        assertEquals(Set.of(ArithmeticException.class), errorTypes((TaskGroupError) e.exceptions().get(0)));

        // test_taskgroup_13: the outer's child fails first and cancels the inner group, which ends quietly.
        TaskGroupError e2 = assertThrows(TaskGroupError.class, () -> TaskGroup.run(g1 -> {
            g1.createTask(crashAfter(0.1));
            TaskGroup.run(g2 -> {
                g2.createTask(crashAfter(10));
                return null;
            });
            return null;
        }));
        assertEquals(Set.of(ArithmeticException.class), errorTypes(e2));
    }

    @AsyncTest
    void aKeyboardInterruptOrAVirtualMachineErrorIsRethrownAsIsAndTheOtherFailuresAreReported() {
        List<Map<String, Object>> reports = new ArrayList<>();
        Asyncio.getRunningLoop().setExceptionHandler((l, c) -> reports.add(c));
        KeyboardInterrupt ki = new KeyboardInterrupt(new CancelledError());
        KeyboardInterrupt thrown = assertThrows(KeyboardInterrupt.class, () -> TaskGroup.run((TaskGroup g) -> {
            g.createTask(crashAfter(0.1));
            try {
                Asyncio.sleep(10);
            } finally {
                throw ki;
            }
        }));
        assertSame(ki, thrown);

        StackOverflowError so = new StackOverflowError("simulated");
        StackOverflowError thrown2 = assertThrows(StackOverflowError.class, () -> TaskGroup.run(g -> {
            g.createTask(() -> {
                Asyncio.sleep(0.1);
                throw so;
            });
            g.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } finally {
                    throw new IllegalArgumentException("cleanup");
                }
            });
            return null;
        }));
        assertSame(so, thrown2);
        assertEquals(List.of("TaskGroup error discarded while KeyboardInterrupt propagates",
                        "TaskGroup error discarded while StackOverflowError propagates"),
                reports.stream().map(r -> (String) r.get("message")).toList());
        assertInstanceOf(ArithmeticException.class, reports.get(0).get("exception"));
        assertInstanceOf(IllegalArgumentException.class, reports.get(1).get("exception"));
    }

    @AsyncTest
    void anAssertionErrorOfAChildIsCollectedLikeAnyFailure() {
        TaskGroupError e = assertThrows(TaskGroupError.class, () -> TaskGroup.run(g -> {
            g.createTask(() -> {
                assertEquals(1, 2);
            });
            return null;
        }));
        assertInstanceOf(AssertionError.class, e.exceptions().get(0));
    }

    @AsyncTest
    void cancellingLevelIsPreservedAfterAGroupError() {
        assertThrows(TaskGroupError.class, () -> TaskGroup.run(g -> {
            g.createTask(crashAfter(0));
            return null;
        }));
        assertEquals(0, Asyncio.currentTask().cancelling());
    }

    @AsyncTest
    void nestedGroupsBothCancelledKeepTheCountRight() {
        TaskGroupError outerError = assertThrows(TaskGroupError.class, () -> TaskGroup.run(outer -> {
            TaskGroupError inner = assertThrows(TaskGroupError.class, () -> TaskGroup.run(innerGroup -> {
                innerGroup.createTask(() -> {
                    Asyncio.sleep(0);
                    throw new IllegalStateException("inner");
                });
                outer.createTask(() -> {
                    Asyncio.sleep(0);
                    throw new IllegalArgumentException("outer");
                });
                return null;
            }));
            assertEquals(Set.of(IllegalStateException.class), errorTypes(inner));
            assertEquals(1, Asyncio.currentTask().cancelling(), "the outer group's cancellation is still pending");
            return null;
        }));
        assertEquals(Set.of(IllegalArgumentException.class), errorTypes(outerError));
        assertEquals(0, Asyncio.currentTask().cancelling());
    }

    @AsyncTest
    void aBodyErrorRaisedWhileTheGroupCancelsItIsCollected() {
        // CPython test_taskgroup_context_manager_exit_raises (issue 95289).
        Task<Void> main = Asyncio.createTask(() -> {
            TaskGroupError err = assertThrows(TaskGroupError.class, () -> TaskGroup.run((TaskGroup tg) -> {
                try {
                    tg.createTask(() -> {
                        throw new MyExc();
                    });
                    Asyncio.sleep(1);
                } finally {
                    throw new MyExc();
                }
            }));
            assertEquals(0, Asyncio.currentTask().cancelling());
            assertEquals(2, err.exceptions().size());
        });
        main.await();
    }

    // ---------------------------------------------------------------- cancellation from outside

    @AsyncTest
    void cancellingTheRunningTaskCancelsEveryChildAndPropagates() {
        int[] num = {0};
        Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
            for (int i = 0; i < 5; i++) {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(5);
                    } catch (CancelledError e) {
                        num[0]++;
                        throw e;
                    }
                });
            }
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                num[0] += 10;
                throw e;
            }
            return null;
        }));
        Asyncio.sleep(0.1);
        assertFalse(r.done());
        r.cancel();
        assertThrows(CancelledError.class, r::await);
        assertEquals(15, num[0]);
        assertTrue(r.cancelled());
    }

    @AsyncTest
    void cancellingTheTaskWhileTheGroupWaitsForItsChildrenCancelsThem() {
        int[] num = {0};
        Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
            for (int i = 0; i < 5; i++) {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(5);
                    } catch (CancelledError e) {
                        num[0]++;
                        throw e;
                    }
                });
            }
            return null;
        }));
        Asyncio.sleep(0.1);
        r.cancel();
        assertThrows(CancelledError.class, r::await);
        assertEquals(5, num[0]);
    }

    @AsyncTest
    void childrenFailingInTheirCleanupWinOverTheOuterCancellation() {
        Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
            for (int i = 0; i < 5; i++) {
                g.createTask(crashInCleanup());
            }
            Asyncio.sleep(10);
            return null;
        }));
        Asyncio.sleep(0.1);
        r.cancel();
        TaskGroupError e = assertThrows(TaskGroupError.class, r::await);
        assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
        assertEquals(5, e.exceptions().size());
        assertEquals(1, r.cancelling(), "the outer request stays counted");
    }

    @AsyncTest
    void nestedGroupsReportTheInnerGroupErrorOnOuterCancellation() {
        // CPython test_taskgroup_11 and _12.
        for (boolean outerHasAChild : new boolean[]{false, true}) {
            Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g1 -> {
                if (outerHasAChild) {
                    g1.createTask(() -> Asyncio.sleep(10));
                }
                TaskGroup.run(g2 -> {
                    for (int i = 0; i < 5; i++) {
                        g2.createTask(crashInCleanup());
                    }
                    Asyncio.sleep(10);
                    return null;
                });
                return null;
            }));
            Asyncio.sleep(0.1);
            r.cancel();
            TaskGroupError e = assertThrows(TaskGroupError.class, r::await);
            assertEquals(Set.of(TaskGroupError.class), errorTypes(e));
            assertEquals(Set.of(ArithmeticException.class), errorTypes((TaskGroupError) e.exceptions().get(0)));
        }
    }

    @AsyncTest
    void aChildFailingWhileTheBodyCleansUpAfterAnOuterCancelIsReported() {
        // CPython test_taskgroup_15 and _16.
        AsyncRunnable nestedRunner = () -> TaskGroup.run(g1 -> {
            g1.createTask(crashAfter(0.3));
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                Asyncio.sleep(0.5);
                throw e;
            }
            return null;
        });
        Task<Void> r = Asyncio.createTask(nestedRunner);
        Asyncio.sleep(0.1);
        r.cancel();
        assertEquals(Set.of(ArithmeticException.class), errorTypes(assertThrows(TaskGroupError.class, r::await)));

        Task<Void> r2 = Asyncio.createTask(() -> {
            Asyncio.createTask(nestedRunner).await();
        });
        Asyncio.sleep(0.1);
        r2.cancel();
        assertEquals(Set.of(ArithmeticException.class), errorTypes(assertThrows(TaskGroupError.class, r2::await)));
    }

    @AsyncTest
    void aBodyThatTurnsTheCancellationIntoAnErrorReportsTheError() {
        // CPython test_taskgroup_17 and _18.
        int[] num = {0};
        Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                num[0] += 10;
                throw e;
            }
            return null;
        }));
        Asyncio.sleep(0.1);
        r.cancel();
        assertThrows(CancelledError.class, r::await);
        assertEquals(10, num[0]);

        Task<Void> r2 = Asyncio.createTask(() -> TaskGroup.run(g -> {
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                throw new MyExc();
            }
            return null;
        }));
        Asyncio.sleep(0.1);
        r2.cancel();
        assertEquals(Set.of(MyExc.class), errorTypes(assertThrows(TaskGroupError.class, r2::await)));
    }

    @AsyncTest
    void aGroupErrorAndAnOuterCancellationTogetherKeepTheCancellationPending(OrderedSteps steps) {
        // CPython test_error_and_cancel.
        Event event = new Event();
        Task<Void> inner = Asyncio.createTask(() -> {
            TaskGroupError e = assertThrows(TaskGroupError.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    event.set();
                    Asyncio.sleep(0);
                    throw new IllegalStateException("raise_error");
                });
                Asyncio.sleep(1);
                steps.expectUnreached();
                return null;
            }));
            assertEquals(Set.of(IllegalStateException.class), errorTypes(e));
            assertEquals(1, Asyncio.currentTask().cancelling());
            steps.expect(2);
            Asyncio.sleep(1);
            steps.expectUnreached();
        });
        event.await();
        assertEquals(0, inner.cancelling());
        inner.cancel();
        assertEquals(1, inner.cancelling());
        steps.expect(1);
        assertThrows(CancelledError.class, inner::await);
        assertTrue(inner.cancelled());
        steps.finish(3);
    }

    // ---------------------------------------------------------------- cancel() (3.15)

    @AsyncTest
    void cancelStopsTheBodyAndTheChildrenWithoutAnError(AsyncLoop loop, OrderedSteps steps) {
        Task<?>[] child = new Task<?>[1];
        String r = TaskGroup.run(g -> {
            child[0] = g.createTask(() -> Asyncio.sleep(10));
            Asyncio.sleep(1);
            steps.expect(1);
            g.cancel();
            Asyncio.sleep(10);
            steps.expectUnreached();
            return "unreached";
        });
        assertNull(r, "a cancelled group has no result");
        assertTrue(child[0].cancelled());
        assertEquals(1.0, loop.time());
        assertEquals(0, Asyncio.currentTask().cancelling());
        Asyncio.sleep(1);
        steps.finish(2);
    }

    @AsyncTest
    void aChildCanCancelItsGroup(AsyncLoop loop) {
        List<String> done = new ArrayList<>();
        TaskGroup.run(g -> {
            g.createTask(() -> {
                Asyncio.sleep(1);
                done.add("canceller");
                g.cancel();
            });
            g.createTask(() -> {
                Asyncio.sleep(5);
                done.add("sleeper");
            });
            Asyncio.sleep(10);
            done.add("body");
            return null;
        });
        assertEquals(List.of("canceller"), done);
        assertEquals(1.0, loop.time());
    }

    @AsyncTest
    void cancelFromAnotherTaskWhileTheGroupWaitsForChildren() {
        TaskGroup[] group = new TaskGroup[1];
        Task<String> r = Asyncio.createTask(() -> {
            TaskGroup.run(g -> {
                group[0] = g;
                g.createTask(() -> Asyncio.sleep(10));
                return null;
            });
            return "after the group";
        });
        Asyncio.sleep(1);
        group[0].cancel();
        group[0].cancel(); // idempotent
        assertEquals("after the group", r.await());
        group[0].cancel(); // after the end: does nothing
        assertEquals(0, r.cancelling());
    }

    @AsyncTest
    void failuresDuringCancelAreStillReported() {
        TaskGroupError e = assertThrows(TaskGroupError.class, () -> TaskGroup.run(g -> {
            g.createTask(crashInCleanup());
            Asyncio.sleep(0);
            g.cancel();
            return null;
        }));
        assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
        assertEquals(0, Asyncio.currentTask().cancelling());
    }

    @AsyncTest
    void cancelTogetherWithAnOuterCancellationStillPropagatesTheOuterOne() {
        TaskGroup[] group = new TaskGroup[1];
        Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
            group[0] = g;
            g.createTask(() -> Asyncio.sleep(10));
            Asyncio.sleep(10);
            return null;
        }));
        Asyncio.sleep(1);
        group[0].cancel();
        r.cancel();
        assertThrows(CancelledError.class, r::await);
        assertTrue(r.cancelled());
    }

    // ---------------------------------------------------------------- misuse

    @AsyncTest
    void runningAGroupOutsideATaskIsRefused(AsyncLoop loop) {
        Future<String> message = new Future<>();
        loop.callSoon(() -> {
            try {
                TaskGroup.run(g -> {
                    return null;
                });
            } catch (IllegalStateException e) {
                message.setResult(e.getMessage());
            }
        });
        assertTrue(message.await().startsWith("Cannot run a TaskGroup outside a task"), message.result());
        assertThrows(IllegalArgumentException.class, () -> TaskGroup.run((TaskGroupBody<Object>) null));
    }

    @AsyncTest
    void aTaskGroupErrorNeedsExceptions() {
        assertThrows(IllegalArgumentException.class, () -> new TaskGroupError("x", List.of()));
        TaskGroupError one = new TaskGroupError("x", List.of(new MyExc()));
        assertEquals("x (1 sub-exception)", one.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> one.exceptions().add(new MyExc()));
    }

    /**
     * CPython gh-155433 (taskgroups.py, "the remaining cancellation is not ours, don't drop it"): a cancel()
     * from outside that arrives while the group waits for children it cancelled itself (cancel(), or a
     * failing child) is caught in the wait loop and then dropped: the task runs on as if never cancelled,
     * with cancelling() stuck at 1.
     */

    @AsyncTest
    void anOutsideCancelArrivingWhileTheGroupCancelsItselfIsNotLost() {
        Task<String> outer = Asyncio.createTask(() -> {
            TaskGroup.run(g -> {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(Double.POSITIVE_INFINITY);
                    } finally {
                        Asyncio.sleep(1);              // slow to finish cancelling
                    }
                });
                Asyncio.sleep(0);
                g.cancel();
                return null;
            });
            return "went on after the group";
        });
        Asyncio.sleep(0.5);                            // the group waits for its cancelled child
        outer.cancel();
        assertThrows(CancelledError.class, outer::await);
    }
}
