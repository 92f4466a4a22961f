package dev.asyncio.reactor;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Context;
import dev.asyncio.ContextVar;
import dev.asyncio.Coroutine;
import dev.asyncio.FlowSubscriber;
import dev.asyncio.Flows;
import dev.asyncio.GeneratorBody;
import org.reactivestreams.Publisher;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import java.util.NoSuchElementException;
import java.util.concurrent.Flow;

/**
 * Project Reactor for tasks: await a {@link Mono} or {@link Flux} from a coroutine, iterate a {@code Flux} with
 * bounded demand, and build a {@code Mono} from a coroutine or a {@code Flux} from an asynchronous generator.
 *
 * <pre>{@code
 * import static dev.asyncio.reactor.AsyncReactor.*;
 *
 * String body = awaitSingle(webClient.get().retrieve().bodyToMono(String.class));   // suspends the task
 * Flux<Integer> numbers = flux(y -> { for (int i = 0; ; i++) { Asyncio.sleep(1); y.yield(i); } });
 * Mono<String> hello = mono(() -> { Asyncio.sleep(1); return "hello"; });
 * }</pre>
 *
 * <p>Built on the {@link java.util.concurrent.Flow} bridge of asyncio-core ({@link Flows}): the same demand
 * policy (prefetch, requests in batches of three quarters, never unbounded), cancellation (cancelling the task
 * cancels the subscription; cancelling the subscription closes the generator) and errors (thrown unchanged).
 *
 * <p><b>Context, both ways.</b> A {@code mono}/{@code flux} body sees its subscriber's Reactor context through
 * {@link #currentContext()}, and every await made from a coroutine writes into the awaited pipeline's context
 * (a) that enclosing Reactor context, so that a Reactor call made inside a {@code mono} sees the context of
 * whoever subscribed to the {@code mono} (the case of kotlinx.coroutines#1212), and (b) the awaiting task's
 * {@link ContextVar} values, readable there with {@link #contextVar(ContextView, ContextVar)}. A {@code mono}
 * or {@code flux} body runs in a copy of the asyncio context current where it was built.
 *
 * <p><b>Loop.</b> A {@code mono}/{@code flux} runs its body on the loop named in the subscriber's Reactor
 * context under the key {@code AsyncLoop.class}, else on the loop running where it is subscribed, else on the
 * loop that was running where it was built.
 */
public final class AsyncReactor {
    /** The Reactor context of the {@code mono}/{@code flux} subscriber a body runs for. */
    private static final ContextVar<ContextView> REACTOR_CONTEXT = new ContextVar<>("reactor.context");

    private AsyncReactor() {
    }

    // ---------------------------------------------------------------- awaiting

    /**
     * Suspends the current task until {@code mono} emits its value and returns it.
     *
     * <p>Cancellation: the subscription is cancelled and the {@link CancelledError} is thrown here.
     *
     * @throws NoSuchElementException if the mono completes empty
     */
    public static <T> T awaitSingle(Mono<T> mono) {
        return Flows.awaitSingle(flow(inContext(mono)));
    }

    /**
     * Suspends the current task until {@code mono} completes; returns its value, or {@code null} if it was empty.
     *
     * <p>Cancellation: the subscription is cancelled and the {@link CancelledError} is thrown here.
     */
    public static <T> T awaitSingleOrNull(Mono<T> mono) {
        return Flows.awaitSingleOrNull(flow(inContext(mono)));
    }

    /**
     * Suspends the current task until {@code publisher} emits its first item and returns it; the subscription is
     * then cancelled. One item is requested.
     *
     * <p>Cancellation: the subscription is cancelled and the {@link CancelledError} is thrown here.
     *
     * @throws NoSuchElementException if the publisher completes without an item
     */
    public static <T> T awaitFirst(Publisher<T> publisher) {
        return Flows.awaitFirst(flow(inContext(publisher)));
    }

    /**
     * Suspends the current task until {@code publisher} completes and returns its last item; items are requested
     * in batches and only the last is kept.
     *
     * <p>Cancellation: the subscription is cancelled and the {@link CancelledError} is thrown here.
     *
     * @throws NoSuchElementException if the publisher completes without an item
     */
    public static <T> T awaitLast(Publisher<T> publisher) {
        return Flows.awaitLast(flow(inContext(publisher)));
    }

    /**
     * Subscribes to {@code flux} with the default prefetch ({@value FlowSubscriber#DEFAULT_PREFETCH}); iterate the
     * result in this task, in try-with-resources so that leaving the loop early cancels the subscription. Each
     * {@code hasNext} suspends until an item or the end arrives; see {@link FlowSubscriber}.
     */
    public static <T> FlowSubscriber<T> iterate(Flux<T> flux) {
        return Flows.iterate(flow(inContext(flux)));
    }

    /** As {@link #iterate(Flux)}, with at most {@code prefetch} items outstanding. */
    public static <T> FlowSubscriber<T> iterate(Flux<T> flux, int prefetch) {
        return Flows.iterate(flow(inContext(flux)), prefetch);
    }

    private static <T> Flow.Publisher<T> flow(Publisher<T> p) {
        return JdkFlowAdapter.publisherToFlowPublisher(p);
    }

    /** {@code p} with the awaiting task's contexts written into its Reactor context. */
    private static <T> Publisher<T> inContext(Publisher<T> p) {
        ContextView enclosing = REACTOR_CONTEXT.get(null);
        Context asyncio = Context.copyCurrent();
        if (p instanceof Mono<T> mono) {
            return mono.contextWrite(c -> write(c, enclosing, asyncio));
        }
        return Flux.from(p).contextWrite(c -> write(c, enclosing, asyncio));
    }

    private static reactor.util.context.Context write(reactor.util.context.Context c, ContextView enclosing, Context asyncio) {
        if (enclosing != null) {
            c = c.putAll(enclosing);
        }
        return c.put(Context.class, asyncio);
    }

    // ---------------------------------------------------------------- context

    /**
     * The Reactor context of the subscriber whose {@code mono}/{@code flux} body is running in the current task,
     * or an empty one outside such a body.
     */
    public static ContextView currentContext() {
        ContextView view = REACTOR_CONTEXT.get(null);
        return view != null ? view : reactor.util.context.Context.empty();
    }

    /**
     * The value that {@code var} had in the task that awaited the pipeline whose Reactor context is {@code view},
     * or {@code null} if it had none (or the pipeline is not awaited from a task).
     */
    public static <T> T contextVar(ContextView view, ContextVar<T> var) {
        return view.<Context>getOrEmpty(Context.class).map(c -> c.get(var)).orElse(null);
    }

    // ---------------------------------------------------------------- building

    /**
     * A cold {@link Mono} of the value {@code coro} returns (empty for {@code null}); each subscription runs it in
     * a task of its own (see the class comment for the loop and the contexts). Cancelling the subscription
     * cancels the task: a {@link CancelledError} is thrown where it awaits. An exception is signalled unchanged.
     */
    public static <T> Mono<T> mono(Coroutine<T> coro) {
        Context built = Context.copyCurrent();
        AsyncLoop builtOn = runningLoop();
        return Mono.deferContextual(view -> Mono.fromDirect(JdkFlowAdapter.flowPublisherToFlux(
                Flows.<T>fromGenerator(loopFor(view, builtOn), built, y -> {
                    REACTOR_CONTEXT.set(view);
                    T value = coro.call();
                    if (value != null) {
                        y.yield(value);
                    }
                    return null;
                }))));
    }

    /**
     * A cold {@link Flux} of what an asynchronous generator body yields; each subscription runs it in a task of
     * its own (see the class comment for the loop and the contexts). {@code y.yield(item)} suspends the task
     * while the subscriber has no demand; cancelling the subscription raises {@link dev.asyncio.GeneratorExit}
     * at that yield (or a {@link CancelledError} where the body awaits), so its {@code finally} blocks run.
     */
    public static <T> Flux<T> flux(GeneratorBody<T, Void, ?> body) {
        Context built = Context.copyCurrent();
        AsyncLoop builtOn = runningLoop();
        return Flux.deferContextual(view -> JdkFlowAdapter.flowPublisherToFlux(
                Flows.<T>fromGenerator(loopFor(view, builtOn), built, y -> {
                    REACTOR_CONTEXT.set(view);
                    return body.run(y);
                })));
    }

    private static AsyncLoop loopFor(ContextView view, AsyncLoop builtOn) {
        AsyncLoop named = view.getOrDefault(AsyncLoop.class, null);
        if (named != null) {
            return named;
        }
        AsyncLoop running = runningLoop();
        return running != null ? running : builtOn;
    }

    private static AsyncLoop runningLoop() {
        try {
            return Asyncio.getRunningLoop();
        } catch (IllegalStateException none) {
            return null;
        }
    }
}
