package dev.asyncio.examples.tasks;

import dev.asyncio.examples.Captured;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ChessExhibitionTest {
    /** The talk's arithmetic: 24 games of 30 x (5 + 55) s one after the other; 30 rounds of 24 x 5 s in turn. */
    private static List<String> expected() {
        List<String> lines = new ArrayList<>();
        lines.add("24 boards, 30 move pairs a game; Judit moves in 5 s, her opponents in 55 s");
        lines.add("One board at a time:");
        for (int board = 1; board <= 24; board++) {
            lines.add(String.format(Locale.ROOT, "  [%s] board %d finished", hms(board * 30 * 60), board));
        }
        lines.add("One board at a time took 12:00:00");
        lines.add("A move on each board in turn:");
        for (int board = 1; board <= 24; board++) {
            // Her 30th move on this board ends at 29 rounds of 2 min plus 5 s per board, then the reply takes 55 s.
            lines.add(String.format(Locale.ROOT, "  [%s] board %d finished", hms(29 * 120 + board * 5 + 55), board));
        }
        lines.add("A move on each board in turn took  1:00:55: 30 rounds of 24 x 5 s =  1:00:00, and the last reply");
        return lines;
    }

    private static String hms(int seconds) {
        return String.format(Locale.ROOT, "%2d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    @AsyncTest
    void twelveHoursOneBoardAtATimeAboutOneHourInTurn() {
        double[] took = new double[2];
        List<String> lines = Captured.lines(out -> {
            double[] t = ChessExhibition.run(out);
            took[0] = t[0];
            took[1] = t[1];
        });
        assertArrayEquals(new double[] {12 * 3600, 3600 + 55}, took);
        assertEquals(expected(), lines);
    }

    @Test
    void mainPlaysOnVirtualTime() {
        // On real time this would take 13 hours; the test's own timeout would fail it long before.
        assertEquals(expected(), Captured.stdout(() -> ChessExhibition.main(new String[0])));
    }
}
