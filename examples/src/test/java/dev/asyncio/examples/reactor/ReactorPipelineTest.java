package dev.asyncio.examples.reactor;

import dev.asyncio.examples.fetch.PageServer;
import dev.asyncio.test.AsyncTest;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reactor example's parts, as the guide shows them. */
class ReactorPipelineTest {

    @AsyncTest
    void thePipelineDeliversTheSquaresInBatchesOnVirtualTime(dev.asyncio.AsyncLoop loop) {
        assertEquals(List.of("batch [1, 4, 9, 16]", "batch [25, 36, 49, 64]", "batch [81, 100]"), ReactorPipeline.pipeline(10));
        assertEquals(0.1, loop.time(), 1e-9);
    }

    @AsyncTest(realTime = true)
    void reactorNettyFetchesTheEmbeddedServersPagesFromTasks() {
        PageServer server = PageServer.start(0.0, 0.01);
        try {
            List<String> lines = ReactorPipeline.fetchWithReactorNetty(server.baseUrl(), 3);
            assertEquals(3, lines.size());
            for (int i = 0; i < 3; i++) {
                assertTrue(lines.get(i).startsWith("/page/" + (i + 1) + " -> 200, "), lines.get(i));
            }
        } finally {
            server.close();
        }
    }

    @AsyncTest
    void theContextSnippetSeesTheOuterContext() {
        assertEquals("trace t-42", ReactorPipeline.contextDemo());
    }
}
