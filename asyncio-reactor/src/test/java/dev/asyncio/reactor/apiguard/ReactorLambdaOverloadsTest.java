package dev.asyncio.reactor.apiguard;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Yielder;
import dev.asyncio.reactor.AsyncReactor;
import dev.asyncio.reactor.LoopScheduler;
import dev.asyncio.test.internal.FunctionalOverloads;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import reactor.core.publisher.Flux;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * asyncio-reactor's part of the guard against overloads that make a caller's lambda or method reference ambiguous
 * (see asyncio-core's {@code dev.asyncio.apiguard.LambdaOverloadsTest}). {@link #calls} is compiled, not run.
 */
class ReactorLambdaOverloadsTest {
    static int answer() {
        return 42;
    }

    static String countToTwo(Yielder<Integer, Void> y) {
        y.yield(1);
        y.yield(2);
        return "counted";
    }

    static void tick() {
    }

    /** Generic in its subscriber, as a method used as a {@code Publisher<T>} reference must be (javac captures first). */
    @SuppressWarnings("unchecked")
    static <T> void publishAnswer(Subscriber<T> s) {
        Flux.just(42).subscribe((Subscriber<Object>) s);
    }

    /** Compile-time guard; never called. */
    static void calls(AsyncLoop loop) {
        // AsyncReactor.mono
        Integer a = AsyncReactor.mono(() -> 42).block();
        Integer b = AsyncReactor.mono(() -> {
            return 42;
        }).block();
        Integer c = AsyncReactor.mono(ReactorLambdaOverloadsTest::answer).block();
        // AsyncReactor.flux
        Flux<Integer> one = AsyncReactor.flux(y -> y.yield(1));
        Flux<Integer> two = AsyncReactor.flux(y -> {
            y.yield(1);
            return y.yield(2);
        });
        Flux<Integer> counted = AsyncReactor.flux(ReactorLambdaOverloadsTest::countToTwo);
        // AsyncReactor.awaitFirst
        Integer first = AsyncReactor.awaitFirst(s -> Flux.just(42).subscribe(s));
        Integer firstBlock = AsyncReactor.awaitFirst(s -> {
            Flux.just(42).subscribe(s);
        });
        Integer firstReference = AsyncReactor.awaitFirst(ReactorLambdaOverloadsTest::publishAnswer);
        // AsyncReactor.awaitLast
        Integer last = AsyncReactor.awaitLast(s -> Flux.just(42).subscribe(s));
        Integer lastBlock = AsyncReactor.awaitLast(s -> {
            Flux.just(42).subscribe(s);
        });
        Integer lastReference = AsyncReactor.awaitLast(ReactorLambdaOverloadsTest::publishAnswer);
        LoopScheduler scheduler = LoopScheduler.of(loop);
        // LoopScheduler.schedule
        scheduler.schedule(() -> tick());
        scheduler.schedule(() -> {
            tick();
        });
        scheduler.schedule(ReactorLambdaOverloadsTest::tick);
        scheduler.schedule(() -> tick(), 1, TimeUnit.SECONDS);
        scheduler.schedule(ReactorLambdaOverloadsTest::tick, 1, TimeUnit.SECONDS);
        // LoopScheduler.schedulePeriodically
        scheduler.schedulePeriodically(() -> tick(), 1, 1, TimeUnit.SECONDS);
        scheduler.schedulePeriodically(() -> {
            tick();
        }, 1, 1, TimeUnit.SECONDS);
        scheduler.schedulePeriodically(ReactorLambdaOverloadsTest::tick, 1, 1, TimeUnit.SECONDS);
    }

    @Test
    void noOverloadsTakeDifferentFunctionalInterfacesAtTheSamePosition() {
        assertEquals(Set.of(), FunctionalOverloads.pairs(FunctionalOverloads.publicClasses(AsyncReactor.class)),
                "review the new overload pair: no lambda or method reference may become ambiguous (add calls to calls())");
    }

    @Test
    void theCompileGuardCoversEveryMethodTakingALambda() {
        Path self = Path.of("src/test/java/dev/asyncio/reactor/apiguard/ReactorLambdaOverloadsTest.java");
        assertEquals(Set.of(), FunctionalOverloads.withoutCallGroup(AsyncReactor.class, self),
                "public methods taking a lambda with no '// Class.method' group in calls()");
    }
}
