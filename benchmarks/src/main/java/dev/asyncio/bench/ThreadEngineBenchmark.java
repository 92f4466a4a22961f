package dev.asyncio.bench;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread engine (JVM started without the continuation flag, {@code -Dasyncio.engine=threads}): the same
 * switch and create + await measurements as {@link SwitchBenchmark} and {@link TaskBenchmark}, in both
 * layouts (the loop on a virtual thread of its own, the default; the loop on the calling platform thread),
 * beside the floor of this engine, two bare virtual threads handing control to each other with
 * park/unpark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Dasyncio.engine=threads", "-Xmx2g"})
public class ThreadEngineBenchmark {
    static final int SWITCHES = SwitchBenchmark.SWITCHES;
    static final int TASKS = TaskBenchmark.TASKS;
    /** The loop-on-caller layout is 20x slower: fewer operations keep an invocation near a second. */
    static final int SLOW_OPS = 5_000;

    private AsyncLoop loop;

    @Setup(Level.Trial)
    public void setUp() {
        if (!AsyncLoop.engine().equals("threads")) {
            throw new IllegalStateException("expected the thread engine, got " + AsyncLoop.engine());
        }
        loop = AsyncLoop.create();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.close();
    }

    /** Two tasks, each doing SWITCHES/2 {@code sleep(0)}; the loop on its own virtual thread. */
    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void threadEngineSleep0PingPong() {
        pingPong(loop, SWITCHES);
    }

    /** The same with the loop on the calling (platform) thread. */
    @Benchmark
    @OperationsPerInvocation(SLOW_OPS)
    @Fork(value = 2, jvmArgsAppend = {"-Dasyncio.engine=threads", "-Dasyncio.engine.loopOnCaller=true", "-Xmx2g"})
    public void threadEngineLoopOnCallerSleep0PingPong() {
        pingPong(loop, SLOW_OPS);
    }

    static void pingPong(AsyncLoop loop, int switches) {
        loop.runUntilComplete(() -> {
            Task<Void> a = Asyncio.createTask(() -> yieldTimes(switches / 2));
            Task<Void> b = Asyncio.createTask(() -> yieldTimes(switches / 2));
            a.await();
            b.await();
        });
    }

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            Asyncio.sleep(0);
        }
    }

    /** createTask + its one step + await, TASKS times in one coroutine; the loop on its own virtual thread. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long threadEngineCreateRunAwait() {
        return createRunAwait(loop, TASKS);
    }

    /** The same with the loop on the calling (platform) thread. */
    @Benchmark
    @OperationsPerInvocation(SLOW_OPS)
    @Fork(value = 2, jvmArgsAppend = {"-Dasyncio.engine=threads", "-Dasyncio.engine.loopOnCaller=true", "-Xmx2g"})
    public long threadEngineLoopOnCallerCreateRunAwait() {
        return createRunAwait(loop, SLOW_OPS);
    }

    static long createRunAwait(AsyncLoop loop, int tasks) {
        return loop.runUntilComplete(() -> {
            long sum = 0;
            for (int i = 0; i < tasks; i++) {
                int n = i;
                sum += Asyncio.createTask(() -> n).await();
            }
            return sum;
        });
    }

    /**
     * The floor of this engine: a virtual thread hands control to another and gets it back (park/unpark and
     * a volatile flag, as {@code ThreadFiber} does), per hand-over, SWITCHES of them, started from a virtual
     * thread as the loop's host is.
     */
    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void bareVirtualThreadHandOff() throws InterruptedException {
        Thread driver = Thread.ofVirtual().start(BatonPair::run);
        driver.join();
    }

    /** Two virtual threads passing a baton SWITCHES times. */
    static final class BatonPair {
        private volatile boolean otherTurn;
        private Thread driver;
        private Thread other;

        static void run() {
            new BatonPair().go();
        }

        private void go() {
            driver = Thread.currentThread();
            other = Thread.ofVirtual().unstarted(this::otherSide);
            for (int i = 0; i < SWITCHES / 2; i++) {
                otherTurn = true;
                if (i == 0) {
                    other.start();
                } else {
                    LockSupport.unpark(other);
                }
                while (otherTurn) {
                    LockSupport.park(this);
                }
            }
            otherTurn = true;
            LockSupport.unpark(other);
        }

        private void otherSide() {
            for (int i = 0; i < SWITCHES / 2; i++) {
                otherTurn = false;
                LockSupport.unpark(driver);
                while (!otherTurn) {
                    LockSupport.park(this);
                }
            }
        }
    }
}
