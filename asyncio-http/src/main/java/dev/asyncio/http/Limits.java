package dev.asyncio.http;

import java.util.Locale;

/**
 * The time limits of one request, fixed when it starts: its {@link ClientTimeout} and the loop time by which
 * it must be done ({@link Double#POSITIVE_INFINITY} for none).
 */
record Limits(ClientTimeout timeout, double deadline) {
    static Limits startingAt(double now, ClientTimeout timeout) {
        return new Limits(timeout, now + timeout.total());
    }

    /** Whether the deadline has come at loop time {@code now}. */
    boolean expired(double now) {
        return now >= deadline;
    }

    TotalTimeoutError totalExceeded(Object what) {
        return new TotalTimeoutError(what + ": the request took longer than its total time limit of "
                + seconds(timeout.total()), timeout.total());
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3g s", s);
    }
}
