package dev.asyncio;

/**
 * A done callback that stands for someone waiting on the future it is registered on, other than a task's own
 * wake-up: a gather waiting on its children, a task group's parent on its tasks, a shield on what it
 * protects. {@link TaskDump} follows these links to name who awaits whom (asyncio's
 * {@code future_add_to_awaited_by}); nothing else reads them, so they cost nothing until a dump.
 */
interface AwaitLink {
    /** The future (or task) that waits: a gather's own future, a group's parent task, a shield's outer future. */
    Future<?> awaiter();

    /** How it waits, for the dump: {@code "gather"}, {@code "TaskGroup"}, {@code "shield"}. */
    String via();
}
