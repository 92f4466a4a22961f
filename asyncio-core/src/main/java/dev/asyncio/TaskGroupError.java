package dev.asyncio;

import java.util.List;

/**
 * The failures of a {@link TaskGroup}: every exception its children (and its body) ended with, in the
 * order they happened; mirrors the {@code ExceptionGroup} that {@code asyncio.TaskGroup} raises.
 *
 * <pre>{@code
 * try {
 *     TaskGroup.run(g -> { g.createTask(a); g.createTask(b); return null; });
 * } catch (TaskGroupError e) {
 *     for (Throwable failure : e.exceptions()) { ... }   // the very instances the children threw
 * }
 * }</pre>
 *
 * <p>The exceptions are also attached as suppressed exceptions, so a stack trace shows them all.
 * {@link CancelledError}s of children are never in the list: a cancelled child is not a failure.
 */
public final class TaskGroupError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<Throwable> exceptions;

    public TaskGroupError(String message, List<? extends Throwable> exceptions) {
        super(message + " (" + exceptions.size() + " sub-exception" + (exceptions.size() == 1 ? "" : "s") + ")");
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("a TaskGroupError needs at least one exception");
        }
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions) {
            addSuppressed(t);
        }
    }

    /** The failures, in the order they happened; never empty. */
    public List<Throwable> exceptions() {
        return exceptions;
    }
}
