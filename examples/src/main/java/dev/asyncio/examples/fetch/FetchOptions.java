package dev.asyncio.examples.fetch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fetcher's command line: {@code [--concurrency N] [--sequential] [--timeout S] [--file F] [--bar | --plain]
 * [--no-fail] [--pages N] [--help] [URL ...]}.
 *
 * @param urls         what to fetch; empty: the offline demo against the embedded server
 * @param concurrency  how many fetches run at once (default 20)
 * @param sequential   also fetch everything one at a time afterwards, and print the speed-up
 * @param timeout      seconds one fetch may take in all (default 30)
 * @param bar          a live progress bar ({@code true}), plain progress lines ({@code false}), or decided by
 *                     whether the output is a terminal ({@code null})
 * @param pages        how many pages the demo fetches (default 300)
 * @param failOnStatus whether a final status other than 2xx makes the exit code non-zero (default yes;
 *                     {@code --no-fail} turns it off)
 * @param help         print the usage and the exit codes, and fetch nothing
 */
record FetchOptions(List<String> urls, int concurrency, boolean sequential, double timeout, Boolean bar, int pages,
                    boolean failOnStatus, boolean help) {
    static final String USAGE = """
            usage: Fetch [--concurrency N] [--sequential] [--timeout SECONDS] [--file FILE] [--bar | --plain]
                         [--no-fail] [--help] [URL ...]
              With no URL and no --file, serves pages with simulated latency on this program's own loop and
              fetches them concurrently, then one at a time (--pages N sets how many, default 300).
              --concurrency N   fetches at once (default 20)
              --sequential      then fetch the same URLs one at a time, and print the speed-up
              --timeout S       seconds one fetch may take in all, whatever the server sends (default 30)
              --file F          read URLs from F, one per line; '#' starts a comment
              --bar, --plain    a live progress bar, or plain progress lines (default: a bar on a terminal)
              --no-fail         a status other than 2xx is counted but does not change the exit code
              -h, --help        print this and exit
            exit codes (when fetches fail in different ways, the lowest code but 1 applies, as with wget):
            """ + ExitCode.table();

    /**
     * Parses {@code args}, reading the {@code --file} if one is named.
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    static FetchOptions parse(String... args) {
        List<String> urls = new ArrayList<>();
        int concurrency = 20;
        boolean sequential = false;
        double timeout = 30;
        Boolean bar = null;
        int pages = 300;
        boolean failOnStatus = true;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--concurrency" -> concurrency = positiveInt(value(args, ++i, a), a);
                case "--pages" -> pages = positiveInt(value(args, ++i, a), a);
                case "--sequential" -> sequential = true;
                case "--timeout" -> {
                    String v = value(args, ++i, a);
                    try {
                        timeout = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--timeout needs a number of seconds, got '" + v + "'");
                    }
                    if (!(timeout > 0)) {
                        throw new IllegalArgumentException("--timeout must be > 0, got " + v);
                    }
                }
                case "--file" -> urls.addAll(readUrls(Path.of(value(args, ++i, a))));
                case "--bar" -> bar = true;
                case "--plain" -> bar = false;
                case "--no-fail" -> failOnStatus = false;
                case "-h", "--help" -> help = true;
                default -> {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    urls.add(a);
                }
            }
        }
        return new FetchOptions(List.copyOf(urls), concurrency, sequential, timeout, bar, pages, failOnStatus, help);
    }

    /** The URLs in {@code file}: one per line, blank lines and {@code #} comments skipped. */
    static List<String> readUrls(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --file " + file + ": " + e.getMessage());
        }
        List<String> urls = new ArrayList<>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            String url = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!url.isEmpty()) {
                urls.add(url);
            }
        }
        return urls;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positiveInt(String v, String option) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + v + "'");
        }
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + n);
        }
        return n;
    }
}
