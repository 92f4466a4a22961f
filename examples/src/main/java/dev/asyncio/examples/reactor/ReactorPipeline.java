package dev.asyncio.examples.reactor;

import dev.asyncio.Asyncio;
import dev.asyncio.Yielder;
import dev.asyncio.examples.fetch.PageServer;
import dev.asyncio.reactor.AsyncReactor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.asyncio.reactor.AsyncReactor.awaitSingle;
import static dev.asyncio.reactor.AsyncReactor.flux;
import static dev.asyncio.reactor.AsyncReactor.iterate;

/**
 * A Reactor pipeline fed by an async generator and consumed by a task; reactor-netty's HttpClient awaited from tasks.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am compile exec:exec -Dexample=ReactorPipeline}.
 */
public final class ReactorPipeline {
    private ReactorPipeline() {
    }

    public static void main(String[] args) {
        Asyncio.run(() -> {
            System.out.println("Sensor readings, squared and batched by Reactor, consumed by a task:");
            for (String line : pipeline(12)) {
                System.out.println("  " + line);
            }
            PageServer server = PageServer.start(0.05, 0.2);
            try {
                System.out.println();
                System.out.println("Three pages fetched with reactor-netty's HttpClient, awaited from tasks at once:");
                for (String line : fetchWithReactorNetty(server.baseUrl(), 3)) {
                    System.out.println("  " + line);
                }
            } finally {
                server.close();
            }
        });
    }

    // snippet:pipeline
    /** Readings from an asynchronous generator, through a Reactor pipeline, back into this task. */
    static List<String> pipeline(int readings) {
        Flux<Integer> sensor = flux((Yielder<Integer, Void> y) -> {
            for (int i = 1; i <= readings; i++) {
                Asyncio.sleep(0.01);            // the generator awaits between items...
                y.yield(i);                     // ...and suspends here while nobody asked for more
            }
            return null;
        });
        Flux<List<Integer>> batches = sensor.map(i -> i * i).buffer(4);   // plain Reactor operators
        List<String> lines = new ArrayList<>();
        try (var items = iterate(batches, 2)) {  // at most 2 batches outstanding
            for (List<Integer> batch : items) {  // suspends this task until a batch arrives
                lines.add("batch " + batch);
            }
        }                                       // leaving early would cancel the whole pipeline
        return lines;
    }
    // end-snippet

    // snippet:reactor-netty
    /** GETs pages 1..n with reactor-netty, each in a task of its own, all awaited together. */
    static List<String> fetchWithReactorNetty(String baseUrl, int n) {
        HttpClient client = HttpClient.create().baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(10));
        List<dev.asyncio.Task<String>> tasks = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String path = "/page/" + i;
            tasks.add(Asyncio.createTask(() -> {
                Mono<String> body = client.get().uri(path).responseSingle((response, content) ->
                        content.asString().map(text -> path + " -> " + response.status().code() + ", "
                                + text.length() + " characters"));
                return awaitSingle(body);       // suspends the task, not a thread; cancelling it cancels the request
            }));
        }
        return Asyncio.gather(tasks);
    }
    // end-snippet

    /** For the guide: the Reactor context of a mono built from a coroutine. */
    static String contextDemo() {
        // snippet:context
        Mono<String> inner = Mono.deferContextual(ctx -> Mono.just("trace " + ctx.getOrDefault("trace", "?")));
        Mono<String> outer = AsyncReactor.mono(() -> awaitSingle(inner))   // a Reactor call inside a coroutine
                .contextWrite(ctx -> ctx.put("trace", "t-42"));           // ...sees the outer subscriber's context
        String seen = awaitSingle(outer);                                  // "trace t-42"
        // end-snippet
        return seen;
    }
}
