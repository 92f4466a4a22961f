package dev.asyncio.examples.queues;

import dev.asyncio.test.AsyncTest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueuesExamplesTest {
    private static final Pattern PROCESSED = Pattern.compile(" \\+\\+\\+ Processed value (\\d+) after (\\d+\\.\\d\\d) sec\\.");

    private static List<String> lines(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @AsyncTest
    void oneProducerAndTheConsumerProcessEveryItemAtOnceIn20SecondsInsteadOf30() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        double took = ProducerConsumer.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), new Random(7), 1);
        List<String> out = lines(bytes);
        assertEquals("App started, 1 producer(s).", out.get(0));
        assertEquals(" -- generated item 1", out.get(1));
        assertEquals(" +++ Processed value 1 after 0.00 sec.", out.get(2), "the consumer picks the item up at once");
        List<Integer> values = new ArrayList<>();
        for (String line : out) {
            Matcher m = PROCESSED.matcher(line);
            if (m.matches()) {
                values.add(Integer.parseInt(m.group(1)));
                assertEquals("0.00", m.group(2), "latency 0, as in the lecture: the producer is the slow side");
            }
        }
        List<Integer> squares = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            squares.add(i * i);
        }
        assertEquals(squares, values);
        assertEquals(20, out.stream().filter(l -> l.startsWith(" -- generated item ")).count());
        assertTrue(took > 10 && took < 31, "20 sleeps of 0.5 to 1.5 s: " + took);
        assertTrue(out.get(out.size() - 1).matches("App exiting, total time: \\d+\\.\\d\\d sec\\."), out.get(out.size() - 1));
    }

    @AsyncTest
    void twoProducersOutpaceTheConsumerSoItemsWaitButNoneIsLost() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        double took = ProducerConsumer.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), new Random(7), 2);
        List<String> out = lines(bytes);
        List<Integer> values = new ArrayList<>();
        int waited = 0;
        for (String line : out) {
            Matcher m = PROCESSED.matcher(line);
            if (m.matches()) {
                values.add(Integer.parseInt(m.group(1)));
                if (!m.group(2).equals("0.00")) {
                    waited++;
                }
            }
        }
        assertEquals(40, values.size());
        List<Integer> sorted = new ArrayList<>(values);
        sorted.sort(null);
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            expected.add(i * i);
            expected.add(i * i);
        }
        assertEquals(expected, sorted, "every item of both producers processed exactly once");
        assertTrue(waited > 0, "with two producers some items wait in the queue");
        assertTrue(took >= 20 && took < 50, "about 22 s where the synchronous version takes 50: " + took);
    }

    @AsyncTest
    void aBoundedQueueHoldsTheProducerBackAndShutdownEndsTheWorkers() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        double took = Pipeline.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> out = lines(bytes);
        assertEquals(List.of(
                "[ 0.0 s] queued job 1 (1 waiting)",
                "[ 0.0 s] queued job 2 (2 waiting)",
                "[ 0.0 s] queued job 3 (3 waiting)",
                "[ 0.0 s] queued job 4 (1 waiting)",
                "[ 0.0 s] queued job 5 (2 waiting)",
                "[ 0.0 s] queued job 6 (3 waiting)",
                "[ 1.0 s] worker A finished job 1",
                "[ 1.0 s] worker B finished job 2",
                "[ 1.0 s] worker C finished job 3",
                "[ 1.0 s] queued job 7 (1 waiting)",
                "[ 1.0 s] queued job 8 (2 waiting)",
                "[ 1.0 s] queued job 9 (3 waiting)"), out.subList(0, 12));
        assertTrue(out.contains("[ 4.0 s] all jobs done"), String.join("\n", out));
        // B and C were already waiting in get() when A finished job 10: waiters wake in the order they came.
        assertEquals(List.of(
                "[ 4.0 s] worker B stops: the queue was shut down",
                "[ 4.0 s] worker C stops: the queue was shut down",
                "[ 4.0 s] worker A stops: the queue was shut down"), out.subList(out.size() - 3, out.size()));
        assertEquals(4.0, took, "ten one-second jobs on three workers: four rounds");
    }
}
