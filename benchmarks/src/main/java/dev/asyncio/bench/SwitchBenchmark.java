package dev.asyncio.bench;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Task;
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
 * The cost of one task switch: two tasks ping-ponging with {@code sleep(0)}, per switch, beside its floor, a
 * raw continuation yield + resume (what the engine cannot go below), measured in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-Xmx2g"})
public class SwitchBenchmark {
    static final int SWITCHES = 100_000;

    private AsyncLoop loop;
    private final ContinuationScope scope = new ContinuationScope("bench");
    private Continuation first;
    private Continuation second;

    @Setup
    public void setUp() {
        loop = AsyncLoop.create();
        Runnable forever = () -> {
            while (true) {
                Continuation.yield(scope);
            }
        };
        first = new Continuation(scope, forever);
        second = new Continuation(scope, forever);
    }

    @TearDown
    public void tearDown() {
        loop.close();
    }

    /** Two tasks, each doing SWITCHES/2 {@code sleep(0)}: SWITCHES task steps through the loop. */
    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void asyncioSleep0PingPong() {
        loop.runUntilComplete(() -> {
            Task<Void> a = Asyncio.createTask(SwitchBenchmark::yieldHalf);
            Task<Void> b = Asyncio.createTask(SwitchBenchmark::yieldHalf);
            a.await();
            b.await();
        });
    }

    private static void yieldHalf() {
        for (int i = 0; i < SWITCHES / 2; i++) {
            Asyncio.sleep(0);
        }
    }

    /** The floor: SWITCHES resumes of two raw continuations that yield at once. */
    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void rawContinuationYieldResume() {
        Continuation a = first;
        Continuation b = second;
        for (int i = 0; i < SWITCHES / 2; i++) {
            a.run();
            b.run();
        }
    }
}
