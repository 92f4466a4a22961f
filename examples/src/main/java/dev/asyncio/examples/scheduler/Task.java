package dev.asyncio.examples.scheduler;

import dev.asyncio.Generator;

/**
 * A generator with an id, as the toy scheduler of seed 004 runs it; not {@link dev.asyncio.Task}, which is
 * what this toy grows into.
 *
 * <p>The lecture numbers tasks with a class variable; here the {@link Scheduler} numbers its own, so that
 * every run of the demo starts again at 1.
 */
// snippet:task
record Task(int id, Generator<?, ?, ?> routine) {
}
// end-snippet
