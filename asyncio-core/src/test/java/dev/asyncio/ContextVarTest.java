package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** contextvars semantics (CPython's test_context) and their interplay with tasks. */
class ContextVarTest {
    private static final ContextVar<String> NAME = new ContextVar<>("name");
    private static final ContextVar<Integer> COUNT = new ContextVar<>("count", 0);

    @Test
    void getWithoutValueUsesTheDefaultOrFails() {
        Context.copyCurrent().run(() -> {
            NoSuchElementException e = assertThrows(NoSuchElementException.class, NAME::get);
            assertTrue(e.getMessage().contains("'name'"), e.getMessage());
            assertEquals("fallback", NAME.get("fallback"));
            assertEquals(0, COUNT.get());
            assertEquals(7, COUNT.get(7), "an explicit fallback wins over the variable's default");
            return null; // Context.run takes a Callable only (a Runnable twin made ctx.run(var::get) ambiguous)
        });
    }

    @Test
    void setAndResetRestoreThePreviousValueOrNone() {
        new Context().run(() -> {
            ContextVar.Token<String> t1 = NAME.set("a");
            assertFalse(t1.hadOldValue());
            ContextVar.Token<String> t2 = NAME.set("b");
            assertTrue(t2.hadOldValue());
            assertEquals("a", t2.oldValue());
            assertSame(NAME, t2.var());
            NAME.reset(t2);
            assertEquals("a", NAME.get());
            NAME.reset(t1);
            assertThrows(NoSuchElementException.class, NAME::get);
            return null;
        });
    }

    @Test
    void aTokenIsUsedOnceForItsOwnVariableInItsOwnContext() {
        new Context().run(() -> {
            ContextVar.Token<String> t = NAME.set("x");
            NAME.reset(t);
            assertThrows(IllegalStateException.class, () -> NAME.reset(t));
            ContextVar<String> other = new ContextVar<>("other");
            ContextVar.Token<String> foreign = other.set("y");
            assertThrows(IllegalArgumentException.class, () -> NAME.reset(foreign));
            ContextVar.Token<String> here = NAME.set("z");
            new Context().run(() -> assertThrows(IllegalArgumentException.class, () -> NAME.reset(here)));
            return null;
        });
    }

    @Test
    void tokensResetWhenClosed() {
        new Context().run(() -> {
            try (var t = NAME.set("scoped")) {
                assertEquals("scoped", NAME.get());
            }
            assertEquals("none", NAME.get("none"));
            return null;
        });
    }

    @Test
    void contextRunIsolatesChangesAndCannotBeEnteredTwice() {
        Context ctx = new Context();
        ctx.run(() -> NAME.set("inside"));
        assertEquals("outside", NAME.get("outside"));
        assertEquals("inside", ctx.get(NAME));
        assertTrue(ctx.containsKey(NAME));
        assertEquals(1, ctx.size());
        Context copy = ctx.copy();
        copy.run(() -> NAME.set("changed in the copy"));
        assertEquals("inside", ctx.get(NAME));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.run(() -> ctx.run(() -> null)));
        assertTrue(e.getMessage().contains("already entered"), e.getMessage());
        assertNull(new Context().get(NAME));
    }

    @Test
    void contextRunPassesExceptionsThroughUnchanged() {
        java.io.IOException boom = new java.io.IOException("checked");
        Exception thrown = assertThrows(Exception.class, () -> new Context().run(() -> {
            throw boom;
        }));
        assertSame(boom, thrown);
    }

    @AsyncTest
    void aTaskCopiesItsCreatorsContextAtCreation(OrderedSteps steps) {
        NAME.set("parent before");
        Task<List<String>> child = Asyncio.createTask(() -> {
            List<String> seen = new ArrayList<>();
            seen.add(NAME.get());
            steps.expect(2);
            Asyncio.sleep(1);
            seen.add(NAME.get());
            NAME.set("child's own");
            seen.add(NAME.get());
            return seen;
        });
        NAME.set("parent after");
        steps.expect(1);
        assertEquals(List.of("parent before", "parent before", "child's own"), child.await());
        assertEquals("parent after", NAME.get(), "the child's set stays in the child");
        steps.finish(3);
    }

    @AsyncTest
    void valuesSurviveSuspensionWhileOtherTasksSetTheirOwn() {
        List<Task<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            tasks.add(Asyncio.createTask(() -> {
                NAME.set("task " + n);
                for (int k = 0; k < 3; k++) {
                    Asyncio.sleep(0); // every other task runs and sets NAME meanwhile
                    assertEquals("task " + n, NAME.get());
                }
                return NAME.get();
            }));
        }
        assertEquals(List.of("task 0", "task 1", "task 2", "task 3", "task 4"), Asyncio.gather(tasks));
        assertEquals("main", NAME.get("main"));
    }

    @AsyncTest
    void createTaskWithAnExplicitContextRunsInThatVeryContext() {
        Context ctx = new Context();
        ctx.run(() -> NAME.set("given"));
        Task<String> t = Asyncio.createTask(() -> {
            NAME.set("modified by task");
            return "ok";
        }, "explicit", ctx);
        t.await();
        assertSame(ctx, t.getContext());
        assertEquals("modified by task", ctx.get(NAME), "not a copy: the task's sets land in the given context");
    }

    @AsyncTest
    void contextRunInsideATaskSurvivesASuspension() {
        Context ctx = new Context();
        ctx.run(() -> NAME.set("entered"));
        NAME.set("task's own");
        String seen = ctx.run(() -> {
            Asyncio.sleep(1);
            return NAME.get();
        });
        assertEquals("entered", seen);
        assertEquals("task's own", NAME.get(), "the task's context is back once run() returns");
    }

    @AsyncTest
    void toThreadRunsInACopyOfTheCallersContext() {
        NAME.set("from the task");
        String seen = Asyncio.toThread(() -> {
            String v = NAME.get();
            NAME.set("changed on the thread");
            return v;
        });
        assertEquals("from the task", seen);
        assertEquals("from the task", NAME.get());
    }

    @Test
    void eachThreadOutsideLoopsHasItsOwnContext() throws Exception {
        new Context().run(() -> {
            NAME.set("this thread");
            List<String> seen = new ArrayList<>();
            Thread t = Thread.ofPlatform().start(() -> seen.add(NAME.get("empty")));
            t.join();
            assertEquals(List.of("empty"), seen);
            assertEquals("this thread", NAME.get());
            return null;
        });
    }

    @Test
    void nullNamesAreRejectedAndToStringNamesTheVariable() {
        assertThrows(IllegalArgumentException.class, () -> new ContextVar<String>(null));
        assertEquals("<ContextVar name='count' default=0>", COUNT.toString());
    }

    @AsyncTest
    void tasksCreatedFromTheSameContextNeverShareWrites() {
        NAME.set("parent");
        Task<String> first = Asyncio.createTask(() -> NAME.get());
        Task<String> second = Asyncio.createTask(() -> NAME.get());
        first.getContext().run(() -> NAME.set("given to the first before it ran"));
        Task<String> third = Asyncio.createTask(() -> {
            NAME.set("third's");
            Asyncio.sleep(0);
            return NAME.get();
        });
        assertEquals(List.of("given to the first before it ran", "parent", "third's"), Asyncio.gather(first, second, third));
        assertEquals("parent", NAME.get());
        Context inside = Asyncio.createTask(() -> {
            NAME.set("inside");
            return Asyncio.currentTask().getContext();
        }).await();
        assertEquals("inside", inside.get(NAME), "getContext() from the running task is its live context");
    }

    private static final ScopedValue<String> SCOPED = ScopedValue.newInstance();

    @AsyncTest
    void scopedValueBindingsDoNotSurviveASuspensionButContextVarsDo() throws Exception {
        // docs/design.md rule 19: this is why task-local state must be a ContextVar (the thread engine keeps
        // scoped values, but code must run on both engines).
        Task<String> other = Asyncio.createTask(() -> ScopedValue.where(SCOPED, "other's").call(() -> {
            Asyncio.sleep(2);
            return SCOPED.isBound() ? SCOPED.get() : "unbound";
        }));
        NAME.set("mine");
        String seen = ScopedValue.where(SCOPED, "mine").call(() -> {
            Asyncio.sleep(1); // the other task runs and binds SCOPED meanwhile
            return (SCOPED.isBound() ? SCOPED.get() : "unbound") + "/" + NAME.get();
        });
        if (AsyncLoop.engine().equals("threads")) {
            // each task runs on its own virtual thread there, and its bindings are that thread's
            assertEquals("mine/mine", seen, "the thread engine keeps a task's scoped values across its suspensions");
        } else {
            assertFalse(seen.startsWith("mine/"), "if the JDK ever carries scoped values across a yield, update rule 19: " + seen);
        }
        assertTrue(seen.endsWith("/mine"), seen);
        other.await();
    }
}
