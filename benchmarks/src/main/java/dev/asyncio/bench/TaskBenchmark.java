package dev.asyncio.bench;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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

/**
 * Creating a task, running it and awaiting its result, one at a time, beside two baselines in the same run:
 * a raw continuation created and run to its end (the engine's floor) and a virtual thread started and
 * joined (the JDK's own lightweight alternative).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-Xmx2g"})
public class TaskBenchmark {
    static final int TASKS = 10_000;

    private AsyncLoop loop;
    private final ContinuationScope scope = new ContinuationScope("bench");

    @Setup
    public void setUp() {
        loop = AsyncLoop.create();
    }

    @TearDown
    public void tearDown() {
        loop.close();
    }

    /** createTask + the task's one step + await of its result, TASKS times in one coroutine. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long asyncioCreateRunAwait() {
        return loop.runUntilComplete(() -> {
            long sum = 0;
            for (int i = 0; i < TASKS; i++) {
                int n = i;
                sum += Asyncio.createTask(() -> n).await();
            }
            return sum;
        });
    }

    /** Floor: a continuation created and run to completion. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long rawContinuationCreateRun() {
        long[] sum = new long[1];
        for (int i = 0; i < TASKS; i++) {
            int n = i;
            new Continuation(scope, () -> sum[0] += n).run();
        }
        return sum[0];
    }

    /** Baseline: a virtual thread started and joined. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long virtualThreadStartJoin() throws InterruptedException {
        long[] sum = new long[1];
        for (int i = 0; i < TASKS; i++) {
            int n = i;
            Thread t = Thread.ofVirtual().start(() -> sum[0] += n);
            t.join();
        }
        return sum[0];
    }
}
