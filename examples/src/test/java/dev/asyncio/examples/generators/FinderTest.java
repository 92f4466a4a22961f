package dev.asyncio.examples.generators;

import dev.asyncio.Generator;
import dev.asyncio.GeneratorExit;
import dev.asyncio.examples.Captured;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FinderTest {
    @Test
    void primingSendingThrowingAndClosingPrintWhatTheVideoShows() {
        assertEquals(List.of(
                "send before next: can't send a non-null value to a just-started generator: call next() first to "
                        + "run it to its first yield",
                "I love python",
                "python, Java, both",
                "send(null) primes a new finder just as next() does:",
                "sent to a finder primed with send(null): python",
                "throwInto and close:",
                "  [finder] a line was lost: line 42",
                "still finding python after the throw",
                "  [finder] closed: cleaning up",
                "after close() the finder is CLOSED",
                "an exception the body does not catch comes back out of throwInto:",
                "throwInto raised not a line of text; the finder is CLOSED"),
                Captured.lines(Finder::run));
    }

    @Test
    void carefulFinderLetsGeneratorExitThrough() {
        List<String> lines = Captured.lines(out -> {
            Generator<Void, String, Void> f = Finder.carefulFinder("x", out);
            f.next();
            assertThrows(GeneratorExit.class, () -> f.throwInto(new GeneratorExit()));
            assertEquals(Generator.State.CLOSED, f.state());
        });
        assertEquals(List.of("  [finder] closed: cleaning up"), lines);
    }
}
