package dev.asyncio.bench;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Future;
import dev.asyncio.Yielder;
import dev.asyncio.reactor.AsyncReactor;
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
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Flux;

import java.util.concurrent.TimeUnit;

/**
 * Reactor interop per item, each beside its floor in the same run.
 *
 * <ul>
 *   <li>Consuming {@code Flux.range(0, 10M)}: in a task with {@code AsyncReactor.iterate} (the Flow bridge,
 *       prefetch 256, batched requests) vs Reactor's own {@code subscribe()} (the floor) vs
 *       {@code toIterable()} on the calling thread.</li>
 *   <li>Producing 10M items: an asynchronous generator body as a {@code Flux} ({@code AsyncReactor.flux}, each
 *       {@code yield} an {@code onNext}) vs {@code Flux.generate} (the floor), both consumed by a plain
 *       {@code subscribe()} with unbounded demand.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-Xmx2g"})
public class ReactorBenchmark {
    static final int ITEMS = 10_000_000;

    private AsyncLoop loop;

    @Setup
    public void setUp() {
        loop = AsyncLoop.create();
    }

    @TearDown
    public void tearDown() {
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long consumeInTask() {
        return loop.runUntilComplete(() -> {
            long sum = 0;
            try (var items = AsyncReactor.iterate(Flux.range(0, ITEMS))) {
                for (int i : items) {
                    sum += i;
                }
            }
            return sum;
        });
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long consumeSubscribeFloor() {
        long[] sum = {0};
        Flux.range(0, ITEMS).subscribe(i -> sum[0] += i);
        return sum[0];
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long consumeToIterable() {
        long sum = 0;
        for (int i : Flux.range(0, ITEMS).toIterable()) {
            sum += i;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void produceGeneratorFlux(Blackhole bh) {
        loop.runUntilComplete(() -> {
            Future<Void> done = loop.createFuture();
            AsyncReactor.flux((Yielder<Integer, Void> y) -> {
                for (int i = 0; i < ITEMS; i++) {
                    y.yield(i);
                }
                return null;
            }).subscribe(bh::consume, done::setException, () -> done.setResult(null));
            done.await();
        });
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void produceFluxGenerateFloor(Blackhole bh) {
        Flux.<Integer, Integer>generate(() -> 0, (i, sink) -> {
            if (i == ITEMS) {
                sink.complete();
            } else {
                sink.next(i);
            }
            return i + 1;
        }).subscribe(bh::consume);
    }
}
