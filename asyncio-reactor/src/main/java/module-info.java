/**
 * Project Reactor bridges: await a {@code Mono} or {@code Flux} from a task, build them from coroutines and
 * asynchronous generators, carry context both ways, and a Reactor {@code Scheduler} on an {@code AsyncLoop}.
 */
module asyncio.reactor {
    exports dev.asyncio.reactor;

    requires transitive asyncio.core;
    requires transitive reactor.core;          // Mono, Flux, Scheduler and ContextView in the API
    requires transitive org.reactivestreams;   // reactor-core's Publisher
}
