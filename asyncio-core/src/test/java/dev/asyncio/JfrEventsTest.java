package dev.asyncio;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop's JFR events, recorded in-process and read back from the recording file. */
class JfrEventsTest {
    @Test
    void aRecordingShowsTaskLifetimesSlowStepsAndLag() throws Exception {
        Path file = Files.createTempFile("asyncio", ".jfr");
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build();  // created before the recording
             Recording recording = new Recording()) {
            // snippet:recording
            recording.enable("dev.asyncio.TaskLifetime");
            recording.enable("dev.asyncio.SlowStep").withThreshold(Duration.ZERO);   // default threshold: 20 ms
            recording.enable("dev.asyncio.LoopLag");
            // end-snippet
            recording.start();
            loop.runUntilComplete(() -> {
                Asyncio.getRunningLoop().monitorLag(1);
                Task<Void> ok = Asyncio.createTask(() -> Asyncio.sleep(1), "ok");
                Task<Void> failing = Asyncio.createTask(() -> {
                    throw new IllegalStateException("boom");
                }, "failing");
                Task<Void> cancelled = Asyncio.createTask(() -> Asyncio.sleep(10), "cancelled");
                Asyncio.sleep(0);
                cancelled.cancel();
                Asyncio.gather(true, ok, failing, cancelled);
                Asyncio.getRunningLoop().monitorLag(0);
            });
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            List<String> lifetimes = events.stream()
                    .filter(e -> e.getEventType().getName().equals("dev.asyncio.TaskLifetime"))
                    .map(e -> e.getString("name") + ":" + e.getString("outcome"))
                    .sorted().toList();
            assertEquals(List.of("Task-1:finished", "cancelled:cancelled", "failing:failed", "ok:finished"), lifetimes);
            assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.asyncio.SlowStep")
                    && "ok".equals(e.getString("task"))), "a step of task 'ok' at a 0 ms threshold");
            assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.asyncio.LoopLag")
                    && e.getString("loop").startsWith("loop-")), "the lag tick at t=1");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
