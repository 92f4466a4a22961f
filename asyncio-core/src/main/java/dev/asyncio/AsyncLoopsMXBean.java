package dev.asyncio;

/**
 * The JMX view of the loops of a JVM, registered as {@code dev.asyncio:type=AsyncLoops} when the JVM runs with
 * {@code -Dasyncio.inspect.jmx=true}; {@code dev.asyncio.tools.Ps} reads it from outside the process. Each
 * operation takes its dump on every loop's own thread, between two steps (a loop busy in a step for more than
 * a second is reported with its thread's stack instead), and returns text.
 */
public interface AsyncLoopsMXBean {
    /** How many loops are open. */
    int getLoopCount();

    /** {@link TaskDump#ps()} of every open loop. */
    String ps();

    /** {@link TaskDump#pstree()} of every open loop. */
    String pstree();

    /** {@link TaskDump#format()} of every open loop: the full dump, stacks included. */
    String dumpTasks();

    /** {@link TaskDump#header()} of every open loop: one line of {@link LoopStats} each. */
    String stats();
}
