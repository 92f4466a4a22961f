package dev.asyncio.examples.tasks;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Runner;
import dev.asyncio.Task;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Polgár against 24 boards: 12 hours one board at a time, about one hour in turn, on virtual time (seed 001).
 *
 * <p>Judit is the event loop: one player, who never stands idle at a board while a move can be made at
 * another. The opponents' thinking is the waiting for I/O.
 */
public final class ChessExhibition {
    // snippet:rules
    static final int BOARDS = 24;
    static final int MOVE_PAIRS = 30;
    static final double JUDIT_MOVES_IN = 5;        // seconds
    static final double OPPONENT_MOVES_IN = 55;
    // end-snippet

    private final PrintStream out;
    private double start;

    private ChessExhibition(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        // snippet:virtual-time
        try (Runner runner = new Runner(() -> AsyncLoop.builder().virtualTime(true).build())) {
            runner.run(() -> run(System.out));
        }
        // end-snippet
    }

    /** Plays the exhibition both ways on the running loop; returns the loop time each took. */
    static double[] run(PrintStream out) {
        ChessExhibition show = new ChessExhibition(out);
        out.println(BOARDS + " boards, " + MOVE_PAIRS + " move pairs a game; Judit moves in "
                + (int) JUDIT_MOVES_IN + " s, her opponents in " + (int) OPPONENT_MOVES_IN + " s");
        out.println("One board at a time:");
        double sequential = show.timed(show::sequential);
        out.println("One board at a time took " + clock(sequential));
        out.println("A move on each board in turn:");
        double concurrent = show.timed(show::concurrent);
        out.println("A move on each board in turn took " + clock(concurrent) + ": " + MOVE_PAIRS + " rounds of "
                + BOARDS + " x " + (int) JUDIT_MOVES_IN + " s = " + clock(MOVE_PAIRS * BOARDS * JUDIT_MOVES_IN)
                + ", and the last reply");
        return new double[] {sequential, concurrent};
    }

    // snippet:sequential
    void sequential() {
        for (int board = 1; board <= BOARDS; board++) {
            for (int move = 1; move <= MOVE_PAIRS; move++) {
                Asyncio.sleep(JUDIT_MOVES_IN);       // Judit thinks and moves
                Asyncio.sleep(OPPONENT_MOVES_IN);    // she stands and waits while her opponent thinks
            }
            print("board " + board + " finished");
        }
    }
    // end-snippet

    // snippet:concurrent
    void concurrent() {
        List<Task<Void>> thinking = new ArrayList<>();
        for (int move = 1; move <= MOVE_PAIRS; move++) {
            for (int board = 1; board <= BOARDS; board++) {
                if (move > 1) {
                    thinking.get(board - 1).await();   // done long ago: they had two minutes
                }
                Asyncio.sleep(JUDIT_MOVES_IN);       // Judit thinks and moves, then walks on
                Task<Void> reply = opponentReplies(board, move);
                if (move == 1) {
                    thinking.add(reply);
                } else {
                    thinking.set(board - 1, reply);
                }
            }
        }
        Asyncio.gather(thinking);                    // the last replies
    }

    Task<Void> opponentReplies(int board, int move) {
        return Asyncio.createTask(() -> {
            Asyncio.sleep(OPPONENT_MOVES_IN);        // the opponent thinks while Judit plays elsewhere
            if (move == MOVE_PAIRS) {
                print("board " + board + " finished");
            }
        });
    }
    // end-snippet

    private double timed(Runnable play) {
        start = Asyncio.getRunningLoop().time();
        play.run();
        return Asyncio.getRunningLoop().time() - start;
    }

    private void print(String line) {
        out.println("  [" + clock(Asyncio.getRunningLoop().time() - start) + "] " + line);
    }

    /** {@code h:mm:ss}. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%2d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
