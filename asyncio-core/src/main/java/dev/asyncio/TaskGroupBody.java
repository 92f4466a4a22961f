package dev.asyncio;

/**
 * The body of a {@link TaskGroup#run(TaskGroupBody) task group}: it starts children with
 * {@link TaskGroup#createTask} and may await them or anything else; its result is the group's result.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TaskGroupBody<T> {
    T run(TaskGroup group) throws Exception;
}
