package dev.asyncio.examples.fetch;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The table printed after a run: how many, how fast, which statuses and failures, how many bytes, the
 * median and 99th percentile time, and the slowest URLs.
 *
 * @param results     one per URL, in the order given
 * @param seconds     how long the whole run took
 * @param concurrency how many fetches ran at once
 */
record Summary(List<FetchResult> results, double seconds, int concurrency) {
    private static final int SLOWEST_SHOWN = 3;

    /** Fetches finished per second. */
    double rate() {
        return seconds > 0 ? results.size() / seconds : 0;
    }

    long failures() {
        return results.stream().filter(FetchResult::failed).count();
    }

    /** The {@code q}-quantile of the fetch times (nearest rank), in seconds. */
    double percentile(double q) {
        List<Double> times = results.stream().map(FetchResult::seconds).sorted().toList();
        if (times.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(q * times.size());
        return times.get(Math.max(0, Math.min(times.size(), rank) - 1));
    }

    void print(PrintStream out) {
        String perSecond = String.format(Locale.ROOT, "%.1f", rate());
        row(out, "fetched", results.size() + " URL" + (results.size() == 1 ? "" : "s") + " in "
                + String.format(Locale.ROOT, "%.2f s", seconds) + ": " + perSecond + " per second, "
                + (concurrency == 1 ? "one at a time" : concurrency + " at a time"));
        Map<Integer, Long> statuses = new TreeMap<>(results.stream().filter(r -> !r.failed())
                .collect(Collectors.groupingBy(FetchResult::status, Collectors.counting())));
        row(out, "statuses", statuses.isEmpty() ? "none"
                : statuses.entrySet().stream().map(e -> e.getKey() + " x " + e.getValue()).collect(Collectors.joining(", ")));
        Map<String, Long> problems = new TreeMap<>(results.stream().filter(FetchResult::failed)
                .collect(Collectors.groupingBy(r -> r.error().getClass().getSimpleName(), Collectors.counting())));
        row(out, "failures", problems.isEmpty() ? "none" : failures() + " (" + problems.entrySet().stream()
                .map(e -> e.getKey() + " x " + e.getValue()).collect(Collectors.joining(", ")) + ")");
        long bytes = results.stream().mapToLong(FetchResult::bytes).sum();
        row(out, "bytes", bytes(bytes) + " of bodies (decompressed)");
        row(out, "times", "p50 " + ms(percentile(0.5)) + "   p99 " + ms(percentile(0.99)) + "   max " + ms(percentile(1)));
        List<FetchResult> slowest = new ArrayList<>(results);
        slowest.sort(Comparator.comparingDouble(FetchResult::seconds).reversed());
        for (int i = 0; i < Math.min(SLOWEST_SHOWN, slowest.size()); i++) {
            FetchResult r = slowest.get(i);
            row(out, i == 0 ? "slowest" : "", String.format(Locale.ROOT, "%7s  %s", ms(r.seconds()), r.url()));
        }
    }

    private static void row(PrintStream out, String name, String value) {
        out.println(String.format(Locale.ROOT, "  %-9s %s", name, value));
    }

    static String ms(double seconds) {
        return String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2f MiB", n / (1024.0 * 1024));
    }
}
