package dev.asyncio;

/**
 * A {@link TaskGroupBody} that returns nothing, so that a block lambda without {@code return} compiles:
 * {@code TaskGroup.run(g -> { g.createTask(a); g.createTask(b); })}.
 */
@FunctionalInterface
public interface TaskGroupAction {
    void run(TaskGroup group) throws Exception;
}
