package dev.asyncio.internal;

/**
 * A task body that names its task. A task created over such a body with no name asks the body each time its
 * name is wanted ({@code Task.getName()}, a task dump, a log line), so that the name string is built only
 * then: a server's idle connection task, named after its peer, then holds no string of its own.
 */
public interface TaskNaming {
    /** The name of the task running this body; called from any thread ({@code Task.getName()} is), any number of times. */
    String taskName();
}
