package dev.asyncio;

/**
 * Health figures of one loop at one moment, from {@link AsyncLoop#stats()}.
 *
 * <pre>{@code
 * LoopStats s = Asyncio.getRunningLoop().stats();
 * if (s.readyQueue() > 10_000) log.warn("the loop is falling behind: " + s);
 * }</pre>
 *
 * @param tasksAlive      tasks created and not done yet (running, scheduled or suspended)
 * @param readyQueue      callbacks and task steps ready to run in the next iteration
 * @param timers          timers in the heap, sleeps included (cancelled ones may linger until purged)
 * @param slowSteps       steps and callbacks that ran at least {@link AsyncLoop#slowCallbackDuration()}, counted
 *                        only while steps are timed: in debug mode or with {@link AsyncLoop#monitorLag(double)}
 *                        on; 0 otherwise
 * @param openConnections connections of this loop not closed yet: those the library's transports opened, and
 *                        any channel passed to {@link AsyncLoop#trackConnection}
 * @param lagSeconds      how late the lag timer ran at its last tick, in seconds: the time a callback ready to
 *                        run waited for the loop; {@code NaN} unless {@link AsyncLoop#monitorLag(double)} is on
 * @param maxLagSeconds   the largest lag seen since monitoring started; {@code NaN} when it is off
 */
public record LoopStats(int tasksAlive, int readyQueue, int timers, long slowSteps, int openConnections,
                        double lagSeconds, double maxLagSeconds) {
}
