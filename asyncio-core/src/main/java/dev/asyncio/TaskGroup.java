package dev.asyncio;

import dev.asyncio.internal.Sneaky;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A scope of tasks that ends only when all of them have: structured concurrency; mirrors
 * {@code asyncio.TaskGroup} (Python 3.13, plus {@link #cancel()} from 3.15).
 *
 * <pre>{@code
 * List<String> pages = TaskGroup.run(g -> {
 *     Task<String> a = g.createTask(() -> fetch("a"));
 *     Task<String> b = g.createTask(() -> fetch("b"));
 *     return List.of(a.await(), b.await());
 * });                                    // every child is done here, whatever happened
 * }</pre>
 *
 * <p>{@link #run} runs the body in the current task, then waits for every child. The first child that
 * fails (with anything but a {@link CancelledError}) cancels the other children <em>and the body</em>;
 * once all are done, {@code run} throws a {@link TaskGroupError} holding every failure - of the children,
 * and of the body if it failed with something else than the cancellation. A body that fails also cancels
 * the children. Cancelled children are not failures.
 *
 * <p>When the task running the group is cancelled from outside, the children are cancelled, awaited, and
 * the {@link CancelledError} goes on up - unless children failed, in which case the {@link TaskGroupError}
 * wins and the task stays marked as being cancelled ({@link Task#cancelling()}), so the cancellation is
 * delivered at its next suspension. {@link #cancel()} stops the whole group without an error. A
 * {@link KeyboardInterrupt} or a {@link VirtualMachineError} (out of memory, stack overflow) in a child or
 * the body is not collected: it is rethrown as is once the children are done, as Python does with
 * {@code KeyboardInterrupt} and {@code SystemExit}.
 *
 * <p>A body that computes nothing returns {@code null}: {@code TaskGroup.run(g -> { g.createTask(a); return null; })}.
 * (A {@code void} twin of {@code run} would make {@code g -> compute(g)} ambiguous to javac, and the API
 * contract's signature, docs/api.md, must keep compiling.)
 */
public final class TaskGroup {
    private final AsyncLoop loop;
    private final Task<?> parent;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final Consumer<Future<?>> onTaskDone = new MemberWatch();
    private boolean exiting;
    private boolean finished;
    private boolean aborting;
    private boolean parentCancelRequested;
    private Throwable baseError;
    private Future<Void> onCompleted;

    private TaskGroup(Task<?> parent) {
        this.parent = parent;
        this.loop = parent.loop;
    }

    /**
     * Runs {@code body} in the current task with a new group, then suspends the current task until every
     * task of the group is done, and returns the body's result. Mirrors {@code async with TaskGroup() as g:}.
     *
     * <p>Cancellation: a {@link CancelledError} arriving while the body runs or while the children are
     * awaited cancels every child; they are awaited, and then the {@code CancelledError} is thrown (a
     * {@link TaskGroupError} instead if children failed, see above). A cancellation caused by
     * {@link #cancel()}, or by the group itself because a child failed, is withdrawn ({@link Task#uncancel()}).
     *
     * @return the body's result; {@code null} if the body was stopped by {@link #cancel()}
     * @throws TaskGroupError        if children or the body failed
     * @throws IllegalStateException outside a task
     */
    public static <T> T run(TaskGroupBody<T> body) {
        if (body == null) {
            throw new IllegalArgumentException("a task group needs a body, got null");
        }
        TaskGroup group = new TaskGroup(Task.current("run a TaskGroup"));
        T result = null;
        Throwable failure = null;
        try {
            result = body.run(group);
        } catch (Throwable e) {
            failure = e;
        }
        group.exit(failure);
        return failure == null ? result : null;
    }

    /**
     * Starts {@code coro} as a task of this group; mirrors {@code TaskGroup.create_task}.
     *
     * @throws IllegalStateException if the group has finished, or is shutting down (a child failed, or it
     *                               was cancelled)
     */
    public <T> Task<T> createTask(Coroutine<T> coro) {
        return createTask(coro, null, null);
    }

    public Task<Void> createTask(AsyncRunnable coro) {
        return createTask(coro.asCoroutine(), null, null);
    }

    public <T> Task<T> createTask(Coroutine<T> coro, String name) {
        return createTask(coro, name, null);
    }

    public Task<Void> createTask(AsyncRunnable coro, String name) {
        return createTask(coro.asCoroutine(), name, null);
    }

    /** A task of this group named {@code name} (or "Task-N" if null) running in {@code context} (or a copy of the current one). */
    public <T> Task<T> createTask(Coroutine<T> coro, String name, Context context) {
        if (exiting && tasks.isEmpty() || finished) {
            throw new IllegalStateException("TaskGroup " + this + " is finished");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup " + this + " is shutting down");
        }
        Task<T> task = loop.createTask(coro, name, context);
        tasks.add(task);
        task.addInternalCallback(onTaskDone);
        return task;
    }

    public Task<Void> createTask(AsyncRunnable coro, String name, Context context) {
        return createTask(coro.asCoroutine(), name, context);
    }

    /**
     * Cancels every child not done yet and the body, and makes the group end without an error (the
     * body's {@link CancelledError} is swallowed by {@link #run}); mirrors {@code TaskGroup.cancel} of
     * Python 3.15. Failures of children that happen during the cancellation are still reported. Does
     * nothing if the group has finished, or is already shutting down.
     */
    public void cancel() {
        loop.checkThread();
        if (exiting && tasks.isEmpty() || finished) {
            return;
        }
        if (!aborting) {
            abort();
            if (!parentCancelRequested) {
                parentCancelRequested = true;
                parent.cancel();
            }
        }
    }

    private static boolean isBaseError(Throwable e) {
        return e instanceof KeyboardInterrupt || e instanceof VirtualMachineError;
    }

    private void abort() {
        aborting = true;
        for (Task<?> t : tasks) {
            if (!t.done()) {
                t.cancel();
            }
        }
    }

    /** The callback on each task of the group: also tells {@link TaskDump} that the parent awaits the task. */
    private final class MemberWatch implements Consumer<Future<?>>, AwaitLink {
        @Override
        public void accept(Future<?> task) {
            onTaskDone(task);
        }

        @Override
        public Future<?> awaiter() {
            return parent;
        }

        @Override
        public String via() {
            return "TaskGroup";
        }
    }

    private void onTaskDone(Future<?> f) {
        Task<?> task = (Task<?>) f;
        tasks.remove(task);
        if (onCompleted != null && tasks.isEmpty() && !onCompleted.done()) {
            onCompleted.setResult(null);
        }
        if (task.cancelled()) {
            return;
        }
        Throwable exc = task.exception();
        if (exc == null) {
            return;
        }
        errors.add(exc);
        if (isBaseError(exc) && baseError == null) {
            baseError = exc;
        }
        if (parent.done()) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "Task " + task + " has errored out but its parent task " + parent + " is already completed");
            context.put("exception", exc);
            context.put("task", task);
            loop.callExceptionHandler(context);
            return;
        }
        if (!aborting && !parentCancelRequested) {
            // Stop whatever the body is doing; the request is withdrawn when the group exits.
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    /** The end of the block: Python's {@code __aexit__} with the body's exception ({@code null}: none). */
    private void exit(Throwable exc) {
        exiting = true;
        try {
            exitInner(exc);
        } finally {
            finished = true;
        }
    }

    private void exitInner(Throwable exc) {
        if (exc != null && isBaseError(exc) && baseError == null) {
            baseError = exc;
        }
        CancelledError propagateCancellation = exc instanceof CancelledError ce ? ce : null;
        if (exc != null && !aborting) {
            // The body failed, or the task running it was cancelled: stop the children.
            abort();
        }
        // A loop: the wait can be cancelled again and again while the children finish.
        while (!tasks.isEmpty()) {
            if (onCompleted == null) {
                onCompleted = new Future<>(loop);
            }
            try {
                onCompleted.await();
            } catch (CancelledError e) {
                // Ours (the group cancelled its own task) or from outside: uncancel() below tells which, so an
                // outside cancel arriving while the group is already cancelling itself is not lost (gh-155433).
                propagateCancellation = e;
                if (!aborting) {
                    abort();
                }
            }
            onCompleted = null;
        }
        if (baseError != null) {
            // The other failures cannot travel with it: report them rather than drop them (gh-135736).
            for (Throwable e : errors) {
                if (e == baseError) {
                    continue;
                }
                java.util.Map<String, Object> context = new java.util.LinkedHashMap<>();
                context.put("message", "TaskGroup error discarded while " + baseError.getClass().getSimpleName()
                        + " propagates");
                context.put("exception", e);
                context.put("task", parent);
                loop.callExceptionHandler(context);
            }
            throw Sneaky.rethrow(baseError);
        }
        if (parentCancelRequested) {
            // We cancelled the parent ourselves: withdraw that request; if it was the only one, the
            // CancelledError it caused is ours and does not propagate.
            if (parent.uncancel() == 0) {
                propagateCancellation = null;
            }
        }
        // The body's own failure counts as an error before the cancellation is considered: errors have priority
        // (in 3.13 a recorded cancellation implied the body had raised nothing else; recording cancellations that
        // arrive while aborting, above, must not change that).
        if (exc != null && !(exc instanceof CancelledError)) {
            errors.add(exc);
        }
        if (propagateCancellation != null && errors.isEmpty()) {
            throw propagateCancellation;
        }
        if (!errors.isEmpty()) {
            // Cancelled from outside too: keep the request count stable and re-arm the cancellation.
            if (parent.cancelling() > 0) {
                parent.uncancel();
                parent.cancel();
            }
            throw new TaskGroupError("unhandled errors in a TaskGroup", errors);
        }
        // Anything left is a CancelledError the group caused itself (cancel() or a failing child): swallowed.
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<TaskGroup");
        if (!tasks.isEmpty()) {
            sb.append(" tasks=").append(tasks.size());
        }
        if (!errors.isEmpty()) {
            sb.append(" errors=").append(errors.size());
        }
        if (aborting) {
            sb.append(" cancelling");
        } else if (!finished) {
            sb.append(" entered");
        }
        return sb.append('>').toString();
    }
}
