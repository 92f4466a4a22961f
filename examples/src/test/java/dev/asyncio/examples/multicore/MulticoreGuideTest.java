package dev.asyncio.examples.multicore;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.LoopGroup;
import dev.asyncio.examples.fetch.PageServer;
import dev.asyncio.http.HttpClient;
import dev.asyncio.http.HttpResponse;
import dev.asyncio.net.Connection;
import dev.asyncio.net.Server;
import dev.asyncio.net.Streams;
import dev.asyncio.test.AsyncTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code of docs/guides/multicore.md, run. */
class MulticoreGuideTest {
    @AsyncTest
    void aGroupRunsCoroutinesOnItsLoops() {
        // snippet:group
        try (LoopGroup group = LoopGroup.builder().size(2).build()) {        // 2 loops, 2 threads
            List<CompletableFuture<AsyncLoop>> where = group.runOnEach(() -> { // a task on each loop
                Asyncio.sleep(0.01);
                return Asyncio.getRunningLoop();
            });
            int answer = Asyncio.await(group.runOn(group.next(), () -> 6 * 7)); // suspends this task, not its loop
            // ...
            // end-snippet
            assertEquals(42, answer);
            assertEquals(group.loops(), where.stream().map(CompletableFuture::join).toList());
        }
    }

    // Real time: the page server runs on this test's loop, and its header timeout is on that loop's clock, which
    // on virtual time would jump past it while the request crosses from the group's (real-time) loops.
    @AsyncTest(realTime = true)
    void oneHttpClientPerLoop() {
        PageServer pages = PageServer.start(0.001, 0.002);
        String url = pages.baseUrl() + "/page/1";
        try {
            // snippet:client-per-loop
            Map<AsyncLoop, HttpClient> clients = new ConcurrentHashMap<>();
            try (LoopGroup group = LoopGroup.builder().size(2).build()) {
                Server server = Streams.startServer(group, (reader, writer) -> {
                    // The client of the loop this connection runs on, made there the first time.
                    HttpClient client = clients.computeIfAbsent(Asyncio.getRunningLoop(), loop -> HttpClient.create());
                    reader.readLine();
                    try (HttpResponse r = client.get(url)) {
                        writer.write((r.status() + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }, "127.0.0.1", 0);
                // ... serve, then stop the server and close each client on its own loop:
                // end-snippet
                List<String> answers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                        c.writer().write("go\n".getBytes(StandardCharsets.UTF_8));
                        answers.add(new String(c.reader().readLine(), StandardCharsets.UTF_8).strip());
                    }
                }
                assertEquals(List.of("200", "200", "200", "200"), answers);
                assertTrue(clients.size() == 2, "one client per loop: " + clients.keySet());
                // snippet:client-per-loop-close
                server.shutdown(10);
                for (CompletableFuture<Void> closed : group.runOnEach(() -> {
                    HttpClient mine = clients.remove(Asyncio.getRunningLoop());
                    if (mine != null) {
                        mine.close();
                    }
                })) {
                    Asyncio.await(closed);
                }
                // end-snippet
            }
        } finally {
            pages.close();
        }
    }
}
