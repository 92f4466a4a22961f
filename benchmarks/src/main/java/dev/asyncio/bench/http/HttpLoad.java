package dev.asyncio.bench.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.IoTransport;
import dev.asyncio.Task;
import dev.asyncio.http.HttpClient;
import dev.asyncio.http.HttpRequest;
import dev.asyncio.http.HttpResponse;

import java.net.URI;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop HTTP load: N small GETs with C requests in flight, over keep-alive connections, by two clients
 * in one JVM, in interleaved rounds (so that whatever else the machine does falls on both alike): this
 * project's {@link HttpClient} (C tasks on one loop thread) and the JDK's {@link java.net.http.HttpClient}
 * (C virtual threads calling {@code send}). Both first run unmeasured warm-up rounds. Prints per
 * client the best and median round: requests/s and per-request latency (p50, p99), and the ratios to the
 * JDK client and to wrk (a C load generator, run in the same rounds for a few seconds each when given), the
 * ceiling of what the server gives.
 *
 * <p>Arguments: {@code --url URL [--requests 20000] [--concurrency 100] [--rounds 5] [--warmup-rounds 5]
 * [--transport NIO|EPOLL] [--wrk /usr/bin/wrk] [--wrk-seconds 2] [--aiohttp python3]}. With {@code --aiohttp},
 * Python's aiohttp runs in the same rounds too, on asyncio's loop and on uvloop (benchmarks/http/aiohttp_load.py).
 */
public final class HttpLoad {
    private HttpLoad() {
    }

    /** One measured round: requests per second, latency percentiles in microseconds, failed requests. */
    record Round(double rate, double p50Micros, double p99Micros, int errors) {
        static Round of(double seconds, long[] latencyNanos, int errors) {
            long[] sorted = latencyNanos.clone();
            Arrays.sort(sorted);
            return new Round(sorted.length / seconds, percentile(sorted, 0.5) / 1e3, percentile(sorted, 0.99) / 1e3, errors);
        }

        private static long percentile(long[] sorted, double q) {
            int rank = (int) Math.ceil(q * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
        }
    }

    /** A client under load: runs one round of {@code n} requests, {@code concurrency} at a time. */
    interface Client extends AutoCloseable {
        String name();

        Round round(int n, int concurrency) throws Exception;

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        URI url = URI.create(opts.getOrDefault("url", "http://127.0.0.1:18080/"));
        int requests = Integer.parseInt(opts.getOrDefault("requests", "20000"));
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "100"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
        int warmupRounds = Integer.parseInt(opts.getOrDefault("warmup-rounds", "5"));
        IoTransport transport = IoTransport.valueOf(opts.getOrDefault("transport", "NIO"));
        String wrk = opts.get("wrk");
        double wrkSeconds = Double.parseDouble(opts.getOrDefault("wrk-seconds", "2"));

        List<Client> clients = new ArrayList<>(List.of(new AsyncioClient(url, concurrency, transport), new JdkClient(url)));
        if (wrk != null) {
            clients.add(new WrkClient(wrk, url, wrkSeconds));
        }
        String python = opts.get("aiohttp");
        if (python != null) {
            clients.add(new AiohttpClient(python, url, false));
            clients.add(new AiohttpClient(python, url, true));
        }
        Map<Client, List<Round>> results = new LinkedHashMap<>();
        System.out.printf(Locale.ROOT, "# %s  %d CPU visible  %s  %d requests x %d rounds per client (after %d warm-up rounds), "
                        + "%d in flight, keep-alive; asyncio loop on %s%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), url, requests, rounds, warmupRounds, concurrency, transport);
        // On one core the JIT compiles slowly: both clients keep getting faster for several rounds.
        for (int r = 0; r < warmupRounds; r++) {
            for (Client c : clients) {
                results.put(c, new ArrayList<>());
                if (!(c instanceof WrkClient) && !(c instanceof AiohttpClient)) {
                    checkErrors(c, c.round(requests, concurrency));
                }
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (Client c : clients) {
                Round round = c.round(requests, concurrency);
                checkErrors(c, round);
                results.get(c).add(round);
                System.out.printf(Locale.ROOT, "#   round %d %-34s %9.0f req/s%n", r + 1, c.name(), round.rate());
            }
        }
        for (Client c : clients) {
            c.close();
        }

        double jdkMedian = median(results.get(clients.get(1)));
        double wrkMedian = wrk != null ? median(results.get(clients.get(2))) : 0;
        // Python's rounds are processes of their own: no JIT to warm, no pool carried over between rounds.
        System.out.printf(Locale.ROOT, "%-34s %10s %10s %9s %9s %9s %9s%n", "client", "best/s", "median/s", "p50_us",
                "p99_us", "x JDK", wrk != null ? "x wrk" : "");
        for (Client c : clients) {
            List<Round> rs = results.get(c);
            double med = median(rs);
            Round medianRound = rs.stream().sorted((a, b) -> Double.compare(a.rate(), b.rate())).toList().get(rs.size() / 2);
            double best = rs.stream().mapToDouble(Round::rate).max().orElse(0);
            System.out.printf(Locale.ROOT, "%-34s %10.0f %10.0f %9.0f %9.0f %9.2f %9s%n", c.name(), best, med,
                    medianRound.p50Micros(), medianRound.p99Micros(), med / jdkMedian,
                    wrk != null ? String.format(Locale.ROOT, "%.2f", med / wrkMedian) : "");
        }
    }

    private static void checkErrors(Client c, Round r) {
        if (r.errors() > 0) {
            throw new IllegalStateException(c.name() + ": " + r.errors() + " requests failed or got an unexpected answer");
        }
    }

    static double median(List<Round> rounds) {
        double[] rates = rounds.stream().mapToDouble(Round::rate).sorted().toArray();
        return rates[rates.length / 2];
    }

    // ---------------------------------------------------------------- the clients

    /** This project's client: one loop, {@code concurrency} tasks sharing one {@link HttpClient}. */
    static final class AsyncioClient implements Client {
        private final AsyncLoop loop;
        private final HttpClient client;
        private final HttpRequest request;

        AsyncioClient(URI url, int concurrency, IoTransport transport) {
            this.loop = AsyncLoop.builder().transport(transport).build();
            this.request = HttpRequest.builder(url).build();
            this.client = loop.runUntilComplete(() -> HttpClient.builder().maxConnections(concurrency).build());
        }

        @Override
        public String name() {
            return "asyncio-java HttpClient (1 thread)";
        }

        @Override
        public Round round(int n, int concurrency) {
            return loop.runUntilComplete(() -> {
                long[] latency = new long[n];
                int[] next = {0};
                int[] errors = {0};
                long t0 = System.nanoTime();
                List<Task<Void>> workers = new ArrayList<>();
                for (int w = 0; w < concurrency; w++) {
                    workers.add(Asyncio.createTask(() -> {
                        while (next[0] < n) {
                            int i = next[0]++;
                            long start = System.nanoTime();
                            try (HttpResponse r = client.request(request)) {
                                byte[] body = r.body();
                                if (r.status() != 200 || body.length == 0) {
                                    errors[0]++;
                                }
                            } catch (RuntimeException e) {
                                errors[0]++;
                            }
                            latency[i] = System.nanoTime() - start;
                        }
                    }));
                }
                Asyncio.gather(workers);
                return Round.of((System.nanoTime() - t0) / 1e9, latency, errors[0]);
            });
        }

        @Override
        public void close() {
            loop.runUntilComplete(client::close);
            loop.close();
        }
    }

    /** The JDK's client, HTTP/1.1, called by {@code concurrency} virtual threads (its async work on virtual threads too). */
    static final class JdkClient implements Client {
        private final ExecutorService clientExecutor = Executors.newVirtualThreadPerTaskExecutor();
        private final java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .executor(clientExecutor)
                .build();
        private final java.net.http.HttpRequest request;

        JdkClient(URI url) {
            this.request = java.net.http.HttpRequest.newBuilder(url).GET().build();
        }

        @Override
        public String name() {
            return "JDK HttpClient (virtual threads)";
        }

        @Override
        public Round round(int n, int concurrency) throws Exception {
            long[] latency = new long[n];
            AtomicInteger next = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            long t0 = System.nanoTime();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < concurrency; w++) {
                    threads.submit(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < n) {
                            long start = System.nanoTime();
                            try {
                                java.net.http.HttpResponse<byte[]> r = client.send(request, BodyHandlers.ofByteArray());
                                if (r.statusCode() != 200 || r.body().length == 0) {
                                    errors.incrementAndGet();
                                }
                            } catch (Exception e) {
                                errors.incrementAndGet();
                            }
                            latency[i] = System.nanoTime() - start;
                        }
                        return null;
                    });
                }
            }
            return Round.of((System.nanoTime() - t0) / 1e9, latency, errors.get());
        }

        @Override
        public void close() {
            client.close();
            clientExecutor.close();
        }
    }

    /** wrk, a C load generator, against the same server in the same rounds: the ceiling. Runs for a duration. */
    static final class WrkClient implements Client {
        private final String wrk;
        private final URI url;
        private final double seconds;

        WrkClient(String wrk, URI url, double seconds) {
            this.wrk = wrk;
            this.url = url;
            this.seconds = seconds;
        }

        @Override
        public String name() {
            return "wrk -t1 (C, epoll; the ceiling)";
        }

        @Override
        public Round round(int n, int concurrency) throws Exception {
            Process p = new ProcessBuilder(wrk, "-t1", "-c" + concurrency, "-d" + Math.max(1, Math.round(seconds)) + "s", "--latency", url.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("wrk failed:\n" + out);
            }
            double rate = 0;
            double p50 = 0;
            double p99 = 0;
            int errors = 0;
            for (String line : out.lines().map(String::strip).toList()) {
                String[] f = line.split("\\s+");
                if (line.startsWith("Requests/sec:")) {
                    rate = Double.parseDouble(f[1]);
                } else if (f[0].equals("50%")) {
                    p50 = micros(f[1]);
                } else if (f[0].equals("99%")) {
                    p99 = micros(f[1]);
                } else if (line.startsWith("Non-2xx") || line.startsWith("Socket errors")) {
                    errors++;
                }
            }
            return new Round(rate, p50, p99, errors);
        }

        private static double micros(String value) {
            double v = Double.parseDouble(value.replaceAll("[a-z]+$", ""));
            return value.endsWith("us") ? v : value.endsWith("ms") ? v * 1e3 : v * 1e6;
        }

        @Override
        public void close() {
        }
    }

    /** Python's aiohttp (with asyncio's own loop, or uvloop), one process per round: benchmarks/http/aiohttp_load.py. */
    static final class AiohttpClient implements Client {
        private final String python;
        private final URI url;
        private final boolean uvloop;

        AiohttpClient(String python, URI url, boolean uvloop) {
            this.python = python;
            this.url = url;
            this.uvloop = uvloop;
        }

        @Override
        public String name() {
            return uvloop ? "Python aiohttp + uvloop" : "Python aiohttp (asyncio loop)";
        }

        @Override
        public Round round(int n, int concurrency) throws Exception {
            List<String> command = new ArrayList<>(List.of(python, "benchmarks/http/aiohttp_load.py", url.toString(),
                    String.valueOf(n), String.valueOf(concurrency)));
            if (uvloop) {
                command.add("--uvloop");
            }
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(name() + " failed:\n" + out);
            }
            String[] f = out.lines().reduce((a, b) -> b).orElse("").split("\\s+");
            return new Round(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    (int) Double.parseDouble(f[3]));
        }

        @Override
        public void close() {
        }
    }
}
