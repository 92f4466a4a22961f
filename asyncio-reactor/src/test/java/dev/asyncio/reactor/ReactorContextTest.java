package dev.asyncio.reactor;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.ContextVar;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.ContextView;

import java.time.Duration;

import static dev.asyncio.reactor.AsyncReactor.awaitSingle;
import static dev.asyncio.reactor.AsyncReactor.contextVar;
import static dev.asyncio.reactor.AsyncReactor.currentContext;
import static dev.asyncio.reactor.AsyncReactor.flux;
import static dev.asyncio.reactor.AsyncReactor.mono;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Context both ways: ContextVar values reach the Reactor context of pipelines awaited from a coroutine (a Mono
 * built from a coroutine included), and a subscriber's Reactor context is readable from the coroutine and reaches
 * what it awaits inside the pipeline (kotlinx.coroutines#1212 done right).
 */
class ReactorContextTest {
    private static final ContextVar<String> USER = new ContextVar<>("user");

    @AsyncTest
    void contextVarValuesAreVisibleInTheReactorContextOfAnAwaitedPipeline() {
        USER.set("alice");
        Mono<String> readsIt = Mono.deferContextual(ctx -> Mono.just("user=" + contextVar(ctx, USER)));
        assertEquals("user=alice", awaitSingle(readsIt));
    }

    @AsyncTest
    void aMonoBuiltFromACoroutineCarriesTheContextVarsOfWhereItWasBuilt() {
        USER.set("alice");
        Mono<String> m = mono(() -> awaitSingle(Mono.deferContextual(ctx -> Mono.just("user=" + contextVar(ctx, USER)))));
        USER.set("bob");
        assertEquals("user=alice", awaitSingle(m));
        assertEquals("bob", USER.get());
    }

    @AsyncTest
    void theSubscribersReactorContextIsReadableInTheCoroutine() {
        Mono<String> m = mono(() -> "trace=" + currentContext().getOrDefault("trace", "none"))
                .contextWrite(c -> c.put("trace", "t-1"));
        assertEquals("trace=t-1", awaitSingle(m));
        assertEquals("trace=none", awaitSingle(mono(() -> "trace=" + currentContext().getOrDefault("trace", "none"))));
    }

    /** The case of kotlinx.coroutines#1212: a Reactor call inside the coroutine sees the outer subscriber's context. */
    @AsyncTest
    void aPipelineAwaitedInsideTheCoroutineSeesTheOuterSubscribersContext() {
        Mono<String> inner = Mono.deferContextual(ctx -> Mono.just("trace=" + ctx.getOrDefault("trace", "none")));
        Mono<String> outer = mono(() -> awaitSingle(inner)).contextWrite(c -> c.put("trace", "t-2"));
        assertEquals("trace=t-2", awaitSingle(outer));
    }

    @AsyncTest
    void aFluxBodySeesItsSubscribersContextOnEachSubscription() {
        Flux<String> f = flux((dev.asyncio.Yielder<String, Void> y) -> {
            ContextView ctx = currentContext();
            y.yield("for " + ctx.get("who"));
            return null;
        });
        assertEquals("for a", awaitSingle(f.contextWrite(c -> c.put("who", "a")).single()));
        assertEquals("for b", awaitSingle(f.contextWrite(c -> c.put("who", "b")).single()));
    }

    @Test
    void bothWaysThroughAStepVerifier() throws Exception {
        try (BackgroundLoop bg = new BackgroundLoop(true)) {
            Mono<String> m = mono(() -> {
                Asyncio.sleep(1);
                return awaitSingle(Mono.deferContextual(ctx -> Mono.just(ctx.get("trace") + "@" + Asyncio.getRunningLoop().time())));
            }).contextWrite(c -> c.put("trace", "t-3").put(AsyncLoop.class, bg.loop));
            StepVerifier.create(m).expectAccessibleContext().contains("trace", "t-3").then()
                    .expectNext("t-3@1.0").expectComplete().verify(Duration.ofSeconds(30));
            assertTrue(bg.reports.isEmpty(), bg.reports.toString());
        }
    }
}
