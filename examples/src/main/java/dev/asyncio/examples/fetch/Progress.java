package dev.asyncio.examples.fetch;

import dev.asyncio.AsyncLoop;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What the fetcher shows while it works: on a terminal, one line redrawn with {@code \r} (a bar, done/total,
 * rate, errors) at most ten times a second; otherwise a plain line at every tenth of the way. Failures, and
 * statuses other than 2xx, are printed as they happen, on lines of their own.
 */
final class Progress {
    private static final int BAR_WIDTH = 24;
    private static final double REDRAW_EVERY = 0.1;

    private final PrintStream out;
    private final boolean bar;
    private final int total;
    private final AsyncLoop loop;
    private final double start;
    private int done;
    private int errors;
    private int linesShown;
    private double lastDrawn = Double.NEGATIVE_INFINITY;
    private int drawnWidth;
    private int drawnDone = -1;

    Progress(PrintStream out, boolean bar, int total, AsyncLoop loop) {
        this.out = out;
        this.bar = bar;
        this.total = total;
        this.loop = loop;
        this.start = loop.time();
        if (bar) {
            draw();
        }
    }

    /** Counts one finished fetch and shows it. */
    void finished(FetchResult r) {
        done++;
        if (r.failed()) {
            errors++;
            printLine("  failed " + r.url() + ": " + r.problem());
        } else if (r.notOk()) {
            printLine("  status " + r.status() + " for " + r.url());
        }
        if (bar) {
            if (loop.time() - lastDrawn >= REDRAW_EVERY || done == total) {
                draw();
            }
        } else if (done * 10L / total > linesShown) {
            linesShown = (int) (done * 10L / total);
            out.println("  " + status());
        }
    }

    /** Prints {@code line} on a line of its own, above the bar if there is one. */
    private void printLine(String line) {
        if (bar) {
            out.print("\r" + " ".repeat(drawnWidth) + "\r");
        }
        out.println(line);
        if (bar) {
            draw();
        }
    }

    /** Ends the bar's line. */
    void end() {
        if (bar) {
            if (drawnDone != done) {
                draw();
            }
            out.println();
        }
    }

    private void draw() {
        lastDrawn = loop.time();
        drawnDone = done;
        int filled = total == 0 ? BAR_WIDTH : done * BAR_WIDTH / total;
        String line = "  [" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + status();
        out.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
        out.flush();
        drawnWidth = line.length();
    }

    private String status() {
        double elapsed = loop.time() - start;
        return String.format(Locale.ROOT, "%d/%d done  %.1f req/s  %d error%s  %.1f s", done, total,
                elapsed > 0 ? done / elapsed : 0.0, errors, errors == 1 ? "" : "s", elapsed);
    }
}
